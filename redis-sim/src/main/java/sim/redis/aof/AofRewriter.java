package sim.redis.aof;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RHash;
import sim.redis.keyspace.RList;
import sim.redis.keyspace.RSet;
import sim.redis.keyspace.RStream;
import sim.redis.keyspace.RString;
import sim.redis.keyspace.RZSet;
import sim.redis.keyspace.RedisObject;
import sim.redis.keyspace.StreamId;
import sim.redis.resp.Numbers;
import sim.redis.resp.RespOut;

/**
 * rewriteAppendOnlyFileRio with {@code aof-use-rdb-preamble no}: the dataset as commands (SELECT, SET,
 * RPUSH, SADD, ZADD, HMSET, XADD/XSETID/XGROUP/XCLAIM, PEXPIREAT), batched 64 items per command like AOF_REWRITE_ITEMS_PER_CMD.
 */
public final class AofRewriter {
  private static final int ITEMS_PER_CMD = 64;

  private AofRewriter() {}

  public static byte[] commands(Keyspace ks) {
    RespOut out = new RespOut(4096);
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      emit(out, List.of("SELECT", Integer.toString(i)));
      db.forEach((key, value) -> {
        object(out, key, value);
        long at = db.expireAtMs(key);
        if (at >= 0) emit(out, List.of("PEXPIREAT", key, Long.toString(at)));
      });
    }
    return out.toByteArray();
  }

  private static void object(RespOut out, String key, RedisObject o) {
    if (o instanceof RString s) {
      emit(out, List.of("SET", key, s.value()));
      return;
    }
    if (o instanceof RStream st) {
      stream(out, key, st);
      return;
    }
    List<String> items = new ArrayList<>();
    String cmd;
    if (o instanceof RList l) {
      cmd = "RPUSH";
      for (int i = 0; i < l.size(); i++) items.add(l.get(i));
    } else if (o instanceof RSet s) {
      cmd = "SADD";
      items.addAll(s.members());
    } else if (o instanceof RHash h) {
      cmd = "HMSET";
      h.forEach((f, v) -> {
        items.add(f);
        items.add(v);
      });
    } else {
      cmd = "ZADD";
      for (RZSet.Entry e : ((RZSet) o).entries()) {
        items.add(Numbers.formatDouble(e.score()));
        items.add(e.member());
      }
    }
    int per = cmd.equals("HMSET") || cmd.equals("ZADD") ? 2 : 1;
    for (int i = 0; i < items.size(); i += ITEMS_PER_CMD * per) {
      List<String> argv = new ArrayList<>(List.of(cmd, key));
      argv.addAll(items.subList(i, Math.min(items.size(), i + ITEMS_PER_CMD * per)));
      emit(out, argv);
    }
  }

  /**
   * rewriteStreamObject: XADD per entry (XADD key MAXLEN 0 0-1 x y for an empty stream), XSETID with the
   * last ID, entries-added and max-deleted ID, then per group XGROUP CREATE ... ENTRIESREAD, and per consumer
   * an XCLAIM ... JUSTID FORCE per pending entry, or XGROUP CREATECONSUMER when it has none.
   */
  private static void stream(RespOut out, String key, RStream s) {
    if (s.length() > 0) {
      for (RStream.Entry e : s.range(StreamId.MIN, StreamId.MAX, 0, false)) {
        List<String> argv = new ArrayList<>(List.of("XADD", key, e.id().toString()));
        argv.addAll(e.fieldsValues());
        emit(out, argv);
      }
    } else {
      emit(out, List.of("XADD", key, "MAXLEN", "0", "0-1", "x", "y"));
    }
    emit(out, List.of("XSETID", key, s.lastId().toString(), "ENTRIESADDED", Long.toString(s.entriesAdded()),
        "MAXDELETEDID", s.maxDeletedId().toString()));
    for (RStream.Group g : s.groups().values()) {
      emit(out, List.of("XGROUP", "CREATE", key, g.name, g.lastId.toString(), "ENTRIESREAD", Long.toString(g.entriesRead)));
      for (RStream.Consumer c : g.consumers.values()) {
        if (c.pel.isEmpty()) {
          emit(out, List.of("XGROUP", "CREATECONSUMER", key, g.name, c.name));
          continue;
        }
        for (Map.Entry<StreamId, RStream.Nack> p : c.pel.entrySet()) {
          emit(out, List.of("XCLAIM", key, g.name, c.name, "0", p.getKey().toString(), "TIME",
              Long.toString(p.getValue().deliveryTimeMs), "RETRYCOUNT", Long.toString(p.getValue().deliveryCount), "JUSTID", "FORCE"));
        }
      }
    }
  }

  private static void emit(RespOut out, List<String> argv) {
    out.arrayHeader(argv.size());
    for (String a : argv) out.bulk(a);
  }
}
