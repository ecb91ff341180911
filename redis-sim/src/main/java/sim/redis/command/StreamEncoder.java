package sim.redis.command;

import java.util.List;
import sim.redis.resp.RespOut;

/**
 * How a propagated command is written to a stream, the same for the AOF (feedAppendOnlyFile) and the replication
 * stream (replicationFeedSlaves): RESP arrays of bulk strings, preceded by {@code SELECT n} when the database
 * differs from the stream's last one. Each stream keeps its own selected database (aof_selected_db,
 * slaveseldb).
 */
public final class StreamEncoder {
  private int selectedDb = -1;

  /** Appends {@code op} to {@code out}, with a SELECT first when needed; returns the bytes appended. */
  public int feed(RespOut out, int db, List<String> argv) {
    int before = out.length();
    if (db >= 0 && db != selectedDb) {
      command(out, List.of("SELECT", Integer.toString(db)));
      selectedDb = db;
    }
    command(out, argv);
    return out.length() - before;
  }

  /** The next command gets a SELECT whatever its database (a new AOF incr file, a full resync). */
  public void forgetSelectedDb() {
    selectedDb = -1;
  }

  /** One command as a RESP array of bulk strings. */
  public static void command(RespOut out, List<String> argv) {
    out.arrayHeader(argv.size());
    for (String a : argv) out.bulk(a);
  }
}
