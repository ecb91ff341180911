package sim.redis.aof;

import java.util.ArrayList;
import java.util.List;
import sim.redis.resp.RespParser;

/**
 * Redis 7.0's multi-part AOF manifest (aof.c): one line per file, {@code file <name> seq <n> type <b|h|i>},
 * listing the base file, history files (awaiting deletion) and incremental files in order. It is replaced
 * atomically (write temp-*.manifest, fsync, rename), so after a crash it names exactly the files that hold
 * the dataset.
 */
public final class AofManifest {
  public enum Type {
    BASE('b'), HISTORY('h'), INCR('i');

    final char code;

    Type(char code) {
      this.code = code;
    }
  }

  public record Entry(String file, long seq, Type type) {}

  private Entry base;
  private final List<Entry> history = new ArrayList<>();
  private final List<Entry> incrs = new ArrayList<>();
  private long currBaseSeq;
  private long currIncrSeq;

  public Entry base() {
    return base;
  }

  public List<Entry> incrs() {
    return incrs;
  }

  public List<Entry> history() {
    return history;
  }

  public boolean isEmpty() {
    return base == null && incrs.isEmpty();
  }

  public AofManifest copy() {
    AofManifest m = new AofManifest();
    m.base = base;
    m.history.addAll(history);
    m.incrs.addAll(incrs);
    m.currBaseSeq = currBaseSeq;
    m.currIncrSeq = currIncrSeq;
    return m;
  }

  /** getNewBaseFileNameAndMarkPreAsHistory: the next base name; the old base becomes history. */
  public String newBase(String prefix, boolean rdbPreamble) {
    if (base != null) history.add(new Entry(base.file(), base.seq(), Type.HISTORY));
    currBaseSeq++;
    String name = prefix + "." + currBaseSeq + ".base." + (rdbPreamble ? "rdb" : "aof");
    base = new Entry(name, currBaseSeq, Type.BASE);
    return name;
  }

  /** getNewIncrAofName: appends a new incremental file. */
  public String newIncr(String prefix) {
    currIncrSeq++;
    String name = prefix + "." + currIncrSeq + ".incr.aof";
    incrs.add(new Entry(name, currIncrSeq, Type.INCR));
    return name;
  }

  public String lastIncr() {
    return incrs.isEmpty() ? null : incrs.get(incrs.size() - 1).file();
  }

  /** markRewrittenIncrAofAsHistory: every incr file but the last becomes history. */
  public void markRewrittenIncrsAsHistory() {
    while (incrs.size() > 1) {
      Entry e = incrs.remove(0);
      history.add(new Entry(e.file(), e.seq(), Type.HISTORY));
    }
  }

  public List<String> takeHistory() {
    List<String> names = new ArrayList<>();
    for (Entry e : history) names.add(e.file());
    history.clear();
    return names;
  }

  /** getAofManifestAsString. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    if (base != null) line(sb, base);
    for (Entry e : history) line(sb, e);
    for (Entry e : incrs) line(sb, e);
    return sb.toString();
  }

  private static void line(StringBuilder sb, Entry e) {
    sb.append("file ").append(e.file()).append(" seq ").append(e.seq()).append(" type ").append(e.type().code).append('\n');
  }

  /** aofLoadManifestFromFile, with its error texts. Throws AofException. */
  public static AofManifest parse(String text, String source) {
    AofManifest m = new AofManifest();
    long maxIncrSeq = 0;
    int lineNo = 0;
    for (String raw : text.split("\n", -1)) {
      lineNo++;
      if (raw.isEmpty()) continue;
      if (raw.startsWith("#")) continue;
      String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
      List<String> argv = RespParser.splitArgs(line);
      if (argv == null || argv.size() < 6 || argv.size() % 2 != 0) {
        throw new AofException("Invalid AOF manifest file format (" + source + " line " + lineNo + ")");
      }
      String file = null;
      Long seq = null;
      Character type = null;
      for (int i = 0; i < argv.size(); i += 2) {
        switch (argv.get(i)) {
          case "file" -> file = argv.get(i + 1);
          case "seq" -> seq = parseSeq(argv.get(i + 1), source, lineNo);
          case "type" -> type = argv.get(i + 1).length() == 1 ? argv.get(i + 1).charAt(0) : '?';
          default -> { } // 7.0 ignores unknown keys for forward compatibility
        }
      }
      if (file == null || seq == null || type == null) {
        throw new AofException("Invalid AOF manifest file format (" + source + " line " + lineNo + ")");
      }
      if (file.contains("/")) throw new AofException("File can't be a path, just a filename (" + source + " line " + lineNo + ")");
      switch (type) {
        case 'b' -> {
          if (m.base != null) throw new AofException("Found duplicate base file information (" + source + " line " + lineNo + ")");
          m.base = new Entry(file, seq, Type.BASE);
          m.currBaseSeq = seq;
        }
        case 'h' -> m.history.add(new Entry(file, seq, Type.HISTORY));
        case 'i' -> {
          if (seq <= maxIncrSeq) throw new AofException("Found a non-monotonic sequence number (" + source + " line " + lineNo + ")");
          m.incrs.add(new Entry(file, seq, Type.INCR));
          m.currIncrSeq = seq;
          maxIncrSeq = seq;
        }
        default -> throw new AofException("Unknown AOF file type '" + type + "' (" + source + " line " + lineNo + ")");
      }
    }
    return m;
  }

  private static long parseSeq(String s, String source, int lineNo) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new AofException("Invalid AOF manifest file format: bad seq '" + s + "' (" + source + " line " + lineNo + ")");
    }
  }
}
