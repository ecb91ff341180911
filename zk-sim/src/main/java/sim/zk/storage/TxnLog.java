package sim.zk.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Adler32;
import sim.core.disk.SimDisk;
import sim.zk.tree.Txn;

/**
 * ZooKeeper's {@code FileTxnLog} on the simulated disk: files {@code version-2/log.<first zxid hex>}, each a
 * 16-byte header ("ZKLG", version 2, dbid 0) then records {@code [Adler32 checksum][length][txn]['B']}. A new
 * file starts after every snapshot. Reading stops at the first short or corrupt record: a torn tail from a
 * crash is cut off there, as {@code FileTxnIterator} treats an EOF inside a record.
 */
public final class TxnLog {
  public static final String DIR = "version-2/";
  private static final int MAGIC = 0x5a4b4c47; // "ZKLG"
  private static final int HEADER_BYTES = 16;
  private final SimDisk disk;
  private String current;

  public TxnLog(SimDisk disk) {
    this.disk = disk;
  }

  /** What recovery found: the txns in order and whether a damaged tail was cut off. */
  public record Recovered(List<Txn> txns, String truncatedTail) {}

  /** Reads every log file in zxid order, truncating a torn or corrupt tail (durably) where it starts. */
  public Recovered recover() {
    List<Txn> txns = new ArrayList<>();
    String cut = null;
    List<String> files = logFiles();
    for (int f = 0; f < files.size(); f++) {
      String file = files.get(f);
      byte[] b = disk.readAll(file);
      if (b.length < HEADER_BYTES || ByteBuffer.wrap(b).getInt() != MAGIC) {
        cut = file + " has no valid header";
        deleteFrom(files, f);
        break;
      }
      int at = HEADER_BYTES;
      while (at < b.length) {
        int end = recordEnd(b, at);
        if (end < 0) {
          cut = file + "@" + at + " (" + (b.length - at) + " bytes torn or corrupt)";
          break;
        }
        try {
          txns.add(TxnCodec.decode(java.util.Arrays.copyOfRange(b, at + 12, end - 1)));
        } catch (java.io.IOException | IllegalArgumentException e) {
          cut = file + "@" + at + " (undecodable: " + e.getMessage() + ")";
          break;
        }
        at = end;
      }
      if (cut != null) {
        disk.truncate(file, at);
        // synchronous on purpose: recovery runs before the server answers anyone or joins the quorum, so no
        // reply or ACK waits on this fsync; it only keeps a later crash from bringing the torn tail back
        disk.fsync(file);
        deleteFrom(files, f + 1);
        break;
      }
    }
    if (!files.isEmpty() && cut == null) current = files.get(files.size() - 1);
    return new Recovered(txns, cut);
  }

  /** The end offset of a whole, checksummed record at {@code at}, or -1. */
  private static int recordEnd(byte[] b, int at) {
    if (at + 12 > b.length) return -1;
    ByteBuffer buf = ByteBuffer.wrap(b, at, 12);
    long crc = buf.getLong();
    int len = buf.getInt();
    if (len <= 0 || at + 12L + len + 1 > b.length) return -1;
    Adler32 a = new Adler32();
    a.update(b, at + 12, len);
    if (a.getValue() != crc || b[at + 12 + len] != 'B') return -1;
    return at + 12 + len + 1;
  }

  private void deleteFrom(List<String> files, int from) {
    for (int i = files.size() - 1; i >= from; i--) {
      disk.delete(files.get(i));
      files.remove(i);
    }
  }

  public List<String> logFiles() {
    List<String> out = new ArrayList<>();
    for (String f : disk.list(DIR + "log.")) out.add(f);
    out.sort((x, y) -> Long.compareUnsigned(zxidOf(x), zxidOf(y)));
    return out;
  }

  static long zxidOf(String file) {
    return Long.parseUnsignedLong(file.substring(file.lastIndexOf('.') + 1), 16);
  }

  /** Appends to the page cache; durable only after {@link #fsyncTarget()} is fsynced. */
  public void append(Txn t) {
    if (current == null) roll(t.zxid());
    byte[] rec = TxnCodec.encode(t, 12, 1); // [checksum][length][txn]['B'], the txn encoded in place
    int len = rec.length - 13;
    Adler32 a = new Adler32();
    a.update(rec, 12, len);
    ByteBuffer.wrap(rec).putLong(a.getValue()).putInt(len).put(12 + len, (byte) 'B');
    disk.append(current, rec);
  }

  /** The file an fsync must cover before the appended txns may be acknowledged. */
  public String fsyncTarget() {
    return current;
  }

  /**
   * Starts a new log file whose name is the next zxid (after a snapshot, like {@code rollLog}). The header
   * is not fsynced here: {@code FileTxnLog.append} only flushes it to the OS, and it becomes durable with the
   * first txn, through the fsync of {@link #fsyncTarget()} that the ACK or reply waits for. A crash before
   * that leaves no file (or a headerless one, which {@link #recover} deletes), as no txn in it was acknowledged.
   */
  public void roll(long firstZxid) {
    current = DIR + "log." + Long.toHexString(firstZxid);
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(2).putLong(0);
    disk.write(current, 0, h.array());
  }

  /** Closes the current file so the next append starts a new one. */
  public void rollOnNextAppend() {
    current = null;
  }

  /**
   * Removes every logged txn after {@code zxid} (TRUNC, {@code FileTxnLog.truncate}): later files are
   * deleted, the file holding {@code zxid} is cut after it. The cut is not fsynced here, as ZooKeeper's
   * {@code setLength} is not: the caller makes the returned files durable with the rest of the sync, before
   * NEWLEADER is ACKed.
   */
  public List<String> truncateAfter(long zxid) {
    List<String> cut = new ArrayList<>();
    for (String file : logFiles()) {
      if (Long.compareUnsigned(zxidOf(file), zxid) > 0) {
        disk.delete(file);
        continue;
      }
      byte[] b = disk.readAll(file);
      int at = HEADER_BYTES;
      while (at < b.length) {
        int end = recordEnd(b, at);
        if (end < 0) break;
        long z = ByteBuffer.wrap(b, at + 12, 8).getLong();
        if (Long.compareUnsigned(z, zxid) > 0) break;
        at = end;
      }
      if (at < b.length) {
        disk.truncate(file, at);
        cut.add(file);
      }
    }
    current = null;
    return cut;
  }

  /** Deletes every log file (after a SNAP replaced the whole state). */
  public void clear() {
    for (String f : logFiles()) disk.delete(f);
    current = null;
  }
}
