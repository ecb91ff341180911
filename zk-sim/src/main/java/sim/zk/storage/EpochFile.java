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

  public static void write(SimDisk disk, String name, long value) {
    String file = TxnLog.DIR + name;
    String tmp = file + ".tmp";
    disk.delete(tmp);
    disk.write(tmp, 0, (value + "\n").getBytes(StandardCharsets.US_ASCII));
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }
}
