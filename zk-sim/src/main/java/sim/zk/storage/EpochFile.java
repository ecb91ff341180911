package sim.zk.storage;

import java.nio.charset.StandardCharsets;
import sim.core.disk.SimDisk;

/**
 * {@code acceptedEpoch} and {@code currentEpoch}: one decimal number each, written to a temp file, fsynced
 * and renamed, as {@code QuorumPeer.writeLongToFile} does ({@code AtomicFileOutputStream}).
 */
public final class EpochFile {
  private EpochFile() {}

  public static long read(SimDisk disk, String name) {
    String file = TxnLog.DIR + name;
    if (!disk.exists(file)) return 0;
    String s = new String(disk.readAll(file), StandardCharsets.US_ASCII).strip();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Unable to read " + file + ": '" + s + "' is not an epoch", e);
    }
  }

  /**
   * The first half of {@code writeLongToFile}: the value goes to a temp file, which the caller makes durable
   * (the kernel's durability door) before {@link #install} renames it into place. A crash in between leaves
   * the old value.
   */
  public static String writeTemp(SimDisk disk, String name, long value) {
    String tmp = TxnLog.DIR + name + ".tmp";
    disk.delete(tmp);
    disk.write(tmp, 0, (value + "\n").getBytes(StandardCharsets.US_ASCII));
    return tmp;
  }

  /** The atomic rename that makes the durable temp file the epoch file. */
  public static void install(SimDisk disk, String name) {
    disk.rename(TxnLog.DIR + name + ".tmp", TxnLog.DIR + name);
  }
}
