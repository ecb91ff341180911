package sim.postgres.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sim.core.disk.SimDisk;
import sim.postgres.wal.FsyncDoor;
import sim.postgres.wal.Wal;

/**
 * Timeline history files ({@code pg_wal/00000002.history}): one line per ancestor timeline, "parent TLI,
 * the LSN where the child forked off it, why", written at promotion (writeTimeLineHistory). The newest
 * history file on the disk names the server's timeline (findNewestTimeLine).
 */
public final class Timelines {
  /** A line of a history file: timeline {@code tli} ended at {@code switchLsn}. */
  public record Entry(int tli, long switchLsn, String reason) {}

  private Timelines() {}

  public static String historyFile(int tli) {
    return String.format(Locale.ROOT, "pg_wal/%08X.history", tli);
  }

  /** The server's timeline: the highest one whose history file exists, 1 if none. */
  public static int newest(SimDisk disk) {
    int tli = 1;
    while (disk.exists(historyFile(tli + 1))) tli++;
    return tli;
  }

  public static String read(SimDisk disk, int tli) {
    return tli <= 1 || !disk.exists(historyFile(tli)) ? "" : new String(disk.readAll(historyFile(tli)), StandardCharsets.UTF_8);
  }

  public static List<Entry> parse(String history) {
    List<Entry> out = new ArrayList<>();
    for (String line : history.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      String[] f = line.split("\t", 3);
      out.add(new Entry(Integer.parseInt(f[0].trim()), Wal.parseLsn(f[1].trim()), f.length > 2 ? f[2] : ""));
    }
    return out;
  }

  /** The history of timeline {@code parent + 1}, forked at {@code switchLsn}. */
  public static String append(String parentHistory, int parentTli, long switchLsn) {
    return parentHistory + parentTli + "\t" + Wal.formatLsn(switchLsn) + "\tno recovery target specified\n";
  }

  /** tliSwitchPoint: where timeline {@code tli} ended in this history, or -1 if it is the current one. */
  public static long switchPoint(String history, int tli) {
    for (Entry e : parse(history)) if (e.tli() == tli) return e.switchLsn();
    return -1;
  }

  /**
   * Writes the history file durably, then runs {@code done}: as writeTimeLineHistory, into a temporary
   * file that is fsynced (through the durability door) before it is renamed into place, so a crash
   * in between leaves no history file, never an empty or partial one.
   */
  public static void writeThen(SimDisk disk, FsyncDoor door, int tli, String history, Runnable done) {
    String file = historyFile(tli);
    String tmp = file + ".tmp";
    if (disk.exists(tmp)) disk.delete(tmp);
    disk.create(tmp);
    disk.write(tmp, 0, history.getBytes(StandardCharsets.UTF_8));
    door.fsyncThen(tmp, () -> {
      disk.rename(tmp, file);
      done.run();
    });
  }
}
