package sim.postgres.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;
import sim.core.Check;
import sim.core.disk.SimDisk;

/**
 * The write-ahead log: records go into WAL buffers at the insert LSN (XLogInsert), are written to the
 * segment files by XLogWrite ({@link WalFiles}: 16 MB segments named by XLogFileName) and become durable
 * when an fsync of the segment returns; a segment XLogWrite finishes is fsynced on the spot, as
 * PostgreSQL's does. An LSN is a byte position in the log; a new cluster starts at segment 1
 * (0/01000000). Each record is framed as [total length][CRC-32C][payload], so redo stops at the first torn
 * or missing record.
 */
public final class Wal {
  /** The first segment of a new cluster on timeline 1 with 16 MB segments. */
  public static final String SEGMENT = "pg_wal/000000010000000000000001";
  static final int FRAME_BYTES = 8;
  private static final int RECENT = 200;

  /** A record and where it starts and ends in the log. */
  public record Entry(long lsn, long endLsn, WalRecord record) {}

  private final SimDisk disk;
  private final WalWriter buffers = new WalWriter(1 << 16);
  private long insertLsn;
  private long writtenLsn;
  private long flushedLsn;
  private final CRC32C crc = new CRC32C();
  private final ArrayDeque<Entry> recent = new ArrayDeque<>();
  private long recordsAppended;
  /** Whether to keep the last records for \wal (stepper runs); benchmarks and schedules need not. */
  private final boolean keepRecent;

  private final int segSize;
  private final int tli;
  /** The segment XLogWrite last wrote into: the one the durability door fsyncs. */
  private String currentFile;

  Wal(SimDisk disk, long endLsn, boolean keepRecent, int segSize) {
    this.keepRecent = keepRecent;
    this.disk = disk;
    this.segSize = segSize;
    this.tli = sim.postgres.replication.Timelines.newest(disk);
    this.insertLsn = endLsn;
    this.writtenLsn = endLsn;
    this.flushedLsn = endLsn;
    this.currentFile = WalFiles.fileOf(tli, segSize, endLsn);
    WalFiles.ensureSegment(disk, tli, segSize, endLsn);
  }

  /** {@code wal_segment_size}, as pg_control records it. */
  public int segmentSize() {
    return segSize;
  }

  /** The timeline this server writes WAL on. */
  public int timeline() {
    return tli;
  }

  /** The segment file the last write went into (what a commit's fsync covers). */
  String currentFile() {
    return currentFile;
  }

  /** XLogInsert: the record is encoded once, in place; returns the LSN where it starts. */
  long append(WalRecord r) {
    int start = buffers.skip(FRAME_BYTES);
    r.encode(buffers);
    int len = buffers.position() - start;
    crc.reset();
    crc.update(buffers.array(), start + FRAME_BYTES, len - FRAME_BYTES);
    buffers.putIntAt(start, len);
    buffers.putIntAt(start + 4, (int) crc.getValue());
    long lsn = insertLsn;
    insertLsn += len;
    recordsAppended++;
    if (keepRecent) {
      recent.add(new Entry(lsn, insertLsn, r));
      if (recent.size() > RECENT) recent.pollFirst();
    }
    return lsn;
  }

  /** XLogWrite: hands the WAL buffers to the kernel (page cache, not yet durable); returns the written LSN. */
  long write() {
    if (buffers.position() == 0) return writtenLsn;
    List<String> files = WalFiles.write(disk, tli, segSize, writtenLsn, buffers.array(), 0, buffers.position());
    // XLogWrite fsyncs each segment it finishes before moving on to the next
    if (!files.get(0).equals(currentFile)) disk.fsync(currentFile);
    for (int i = 0; i < files.size() - 1; i++) disk.fsync(files.get(i));
    currentFile = files.get(files.size() - 1);
    writtenLsn += buffers.position();
    buffers.clear();
    return writtenLsn;
  }

  /** An fsync of the segment that covered everything written up to {@code lsn} returned. */
  void flushed(long lsn) {
    Check.state(lsn <= writtenLsn, "flushed LSN %s beyond written %s", formatLsn(lsn), formatLsn(writtenLsn));
    if (lsn > flushedLsn) flushedLsn = lsn;
  }

  /** XLogFlush in the calling process, at once: write and fsync (a backend evicting a page, the checkpointer). */
  void flushNow(long lsn) {
    if (lsn <= flushedLsn) return;
    long target = write();
    disk.fsync(currentFile);
    flushed(target);
  }

  public long insertLsn() {
    return insertLsn;
  }

  public long writtenLsn() {
    return writtenLsn;
  }

  public long flushedLsn() {
    return flushedLsn;
  }

  public long recordsAppended() {
    return recordsAppended;
  }

  public List<Entry> recent() {
    return new ArrayList<>(recent);
  }

  /**
   * Reads records from {@code startLsn} to the first incomplete or corrupt one, across segments, on the
   * disk's newest timeline, with pg_control's segment size.
   */
  public static List<Entry> read(SimDisk disk, long startLsn) {
    return read(disk, sim.postgres.replication.Timelines.newest(disk), startLsn);
  }

  /** As {@link #read(SimDisk, long)}, on timeline {@code tli} and its ancestors (pg_rewind reads the target's own). */
  public static List<Entry> read(SimDisk disk, int tli, long startLsn) {
    int segSize = WalFiles.controlSegmentSize(disk, WalFiles.DEFAULT_SEGMENT_BYTES);
    byte[] all = WalFiles.read(disk, tli, segSize, startLsn, Long.MAX_VALUE);
    List<Entry> out = new ArrayList<>();
    int pos = 0;
    CRC32C crc = new CRC32C();
    while (pos + FRAME_BYTES <= all.length) {
      WalReader frame = new WalReader(all, pos, all.length);
      int len = frame.i32();
      int crcStored = frame.i32();
      if (len < FRAME_BYTES + 1 || (long) pos + len > all.length) break;
      crc.reset();
      crc.update(all, pos + FRAME_BYTES, len - FRAME_BYTES);
      if ((int) crc.getValue() != crcStored) break;
      WalRecord r;
      try {
        r = WalRecord.decode(new WalReader(all, pos + FRAME_BYTES, pos + len));
      } catch (RuntimeException e) {
        break;
      }
      out.add(new Entry(startLsn + pos, startLsn + pos + len, r));
      pos += len;
    }
    return out;
  }

  public static String formatLsn(long lsn) {
    return Long.toHexString(lsn >>> 32).toUpperCase(Locale.ROOT) + "/" + String.format(Locale.ROOT, "%08X", lsn & 0xffffffffL);
  }

  /** The inverse of {@link #formatLsn}: "0/0001A2B0" → 107184. */
  public static long parseLsn(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) throw new IllegalArgumentException("not an LSN: " + text);
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }

  static void checkOrder(long pageLsn, long flushed) {
    Check.state(pageLsn <= flushed, "WAL before data violated: page LSN %s beyond flushed WAL %s",
        formatLsn(pageLsn), formatLsn(flushed));
  }
}
