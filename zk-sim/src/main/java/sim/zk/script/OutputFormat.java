package sim.zk.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.OpResult;
import sim.zk.tree.Stat;

/**
 * Renders script results as JSON lines. With {@code normalize}, the values that differ between any two
 * correct runs are replaced by stable names: zxids by {@code z1, z2, ...} and session ids by {@code s1, s2,
 * ...} in order of first appearance, times by {@code "T"}. Zero stays zero (the /zookeeper nodes, persistent
 * nodes' ephemeralOwner). So two outputs are equal exactly when every value and every equality between zxids
 * agree.
 */
public final class OutputFormat implements ScriptFormat {
  private final boolean normalize;
  private final Map<Long, String> zxids = new HashMap<>();
  private final Map<Long, String> sessions = new HashMap<>();

  public OutputFormat(boolean normalize) {
    this.normalize = normalize;
  }

  @Override
  public String result(ScriptLine line, OpResult r) {
    Json j = new Json().field("line", line.lineNo()).field("client", line.client()).field("op", line.op().verb());
    if (line.op().path() != null) j.field("path", line.op().path());
    body(j, r);
    return j.toString();
  }

  @Override
  public String event(ClientEvent e) {
    return new Json().field("client", e.client()).field("event", e.type().name()).field("path", e.path()).toString();
  }

  private void body(Json j, OpResult r) {
    if (r instanceof OpResult.Failed f) {
      j.field("error", f.code().name());
      if (!f.multiCodes().isEmpty()) {
        List<String> codes = new ArrayList<>();
        for (KeeperCode c : f.multiCodes()) codes.add(Json.quote(c.name()));
        j.raw("results", "[" + String.join(",", codes) + "]");
      }
    } else if (r instanceof OpResult.Created c) {
      j.field("created", c.path());
      if (c.stat() != null) j.raw("stat", stat(c.stat()));
    } else if (r instanceof OpResult.StatOnly s) {
      j.raw("stat", s.stat() == null ? "null" : stat(s.stat()));
    } else if (r instanceof OpResult.Data d) {
      j.field("data", d.data()).raw("stat", stat(d.stat()));
    } else if (r instanceof OpResult.Children c) {
      List<String> names = new ArrayList<>();
      for (String n : c.children()) names.add(Json.quote(n));
      j.raw("children", "[" + String.join(",", names) + "]").raw("stat", stat(c.stat()));
    } else if (r instanceof OpResult.MultiDone m) {
      List<String> parts = new ArrayList<>();
      for (OpResult sub : m.results()) {
        Json s = new Json();
        body(s, sub);
        parts.add(s.toString());
      }
      j.raw("results", "[" + String.join(",", parts) + "]");
    }
    // Deleted, Checked, Synced, Closed, SessionOpened: the op line says it all
  }

  public String stat(Stat s) {
    return new Json()
        .raw("czxid", zxid(s.czxid())).raw("mzxid", zxid(s.mzxid())).raw("pzxid", zxid(s.pzxid()))
        .raw("ctime", time(s.ctime())).raw("mtime", time(s.mtime()))
        .field("version", s.version()).field("cversion", s.cversion()).field("aversion", s.aversion())
        .raw("ephemeralOwner", session(s.ephemeralOwner()))
        .field("dataLength", s.dataLength()).field("numChildren", s.numChildren()).toString();
  }

  /** A zxid as printed: {@code 0x…}, or its stable name with {@code normalize}. */
  String zxidText(long z) {
    if (!normalize) return "0x" + Long.toHexString(z);
    return z == 0 ? "0" : zxids.computeIfAbsent(z, k -> "z" + (zxids.size() + 1));
  }

  String sessionText(long s) {
    if (!normalize) return "0x" + Long.toHexString(s);
    return s == 0 ? "0" : sessions.computeIfAbsent(s, k -> "s" + (sessions.size() + 1));
  }

  String timeText(long t) {
    return !normalize || t == 0 ? Long.toString(t) : "T";
  }

  private String zxid(long z) {
    if (!normalize) return Json.quote("0x" + Long.toHexString(z));
    if (z == 0) return "0";
    return Json.quote(zxids.computeIfAbsent(z, k -> "z" + (zxids.size() + 1)));
  }

  private String session(long s) {
    if (!normalize) return Json.quote("0x" + Long.toHexString(s));
    if (s == 0) return "0";
    return Json.quote(sessions.computeIfAbsent(s, k -> "s" + (sessions.size() + 1)));
  }

  private String time(long t) {
    if (!normalize) return Long.toString(t);
    return t == 0 ? "0" : "\"T\"";
  }
}
