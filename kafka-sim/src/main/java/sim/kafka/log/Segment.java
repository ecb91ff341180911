package sim.kafka.log;

import java.util.ArrayList;
import java.util.List;
import sim.core.disk.SimDisk;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.RecordBatches;

/**
 * One log segment: {@code %020d.log} named by its base offset holding RecordBatch v2 bytes back to back, and
 * {@code %020d.index}, Kafka's sparse offset index (8-byte entries: offset relative to the base as int32,
 * file position as int32), one entry each time more than {@code index.interval.bytes} were appended.
 * The batch list in memory is what Kafka gets by reading the file; it is rebuilt from the file on recovery.
 */
final class Segment {
  final long baseOffset;
  final String logFile;
  final String indexFile;
  private final SimDisk disk;
  private final int indexIntervalBytes;
  private final List<Log.BatchRef> batches = new ArrayList<>();
  private int sizeBytes;
  private int bytesSinceLastIndexEntry;
  private int indexEntries;
  private final byte[] indexEntry = new byte[8];
  private static final java.lang.invoke.VarHandle INT =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);

  Segment(SimDisk disk, String dir, long baseOffset, int indexIntervalBytes) {
    this.disk = disk;
    this.baseOffset = baseOffset;
    this.indexIntervalBytes = indexIntervalBytes;
    this.logFile = dir + "/" + fileName(baseOffset, ".log");
    this.indexFile = dir + "/" + fileName(baseOffset, ".index");
  }

  static String fileName(long offset, String suffix) {
    return String.format("%020d%s", offset, suffix);
  }

  void create() {
    disk.create(logFile);
    disk.create(indexFile);
  }

  int sizeBytes() {
    return sizeBytes;
  }

  boolean isEmpty() {
    return batches.isEmpty();
  }

  List<Log.BatchRef> batches() {
    return batches;
  }

  long nextOffset() {
    return batches.isEmpty() ? baseOffset : batches.get(batches.size() - 1).header().nextOffset();
  }

  /** Appends at the end of the segment; returns where the batch now lives. */
  Log.BatchRef append(byte[] batch, BatchHeader h) {
    if (bytesSinceLastIndexEntry > indexIntervalBytes) {
      writeIndexEntry(h.lastOffset(), sizeBytes);
      bytesSinceLastIndexEntry = 0;
    }
    disk.write(logFile, sizeBytes, batch);
    Log.BatchRef ref = new Log.BatchRef(baseOffset, sizeBytes, h);
    batches.add(ref);
    sizeBytes += batch.length;
    bytesSinceLastIndexEntry += batch.length;
    return ref;
  }

  /** One 8-byte entry, big-endian (relative offset, position); the disk copies what it is given, so one buffer does. */
  private void writeIndexEntry(long offset, int position) {
    INT.set(indexEntry, 0, (int) (offset - baseOffset));
    INT.set(indexEntry, 4, position);
    disk.write(indexFile, (long) indexEntries * 8, indexEntry);
    indexEntries++;
  }

  byte[] readBatch(Log.BatchRef b) {
    return disk.read(logFile, b.position(), b.header().sizeInBytes());
  }

  /** Index of the first batch whose last offset is at least {@code offset}; size() when none. */
  int batchIndexFor(long offset) {
    int lo = 0;
    int hi = batches.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (batches.get(mid).header().lastOffset() < offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /**
   * Drops every batch holding {@code offset} or later; returns the bytes removed. The truncation is made
   * durable at once: Kafka writes and fsyncs the leader-epoch-checkpoint right after truncating, and on a
   * journaling file system (ext4, XFS) that one commit carries the ftruncate too. Without it a power loss
   * could bring a truncated, diverged tail back under an epoch cache that says it is gone.
   */
  int truncateTo(long offset) {
    int keep = batchIndexFor(offset);
    if (keep == batches.size()) return 0;
    int newSize = batches.get(keep).position();
    int removed = sizeBytes - newSize;
    batches.subList(keep, batches.size()).clear();
    sizeBytes = newSize;
    disk.truncate(logFile, newSize);
    disk.fsync(logFile);
    rebuildIndex();
    return removed;
  }

  /**
   * Kafka's {@code LogSegment.recover}: validates batch after batch (size, magic, CRC) and, stricter than
   * Kafka, that offsets continue exactly from {@code expectedOffset} (the base offset is not covered by the
   * CRC) — or, in a compacted log ({@code allowGaps}), at least from it; truncates the file at the first
   * invalid or torn batch and rebuilds the index.
   */
  RecoveryReport.SegmentRecovery recover(long expectedOffset) {
    return recover(expectedOffset, false);
  }

  /** The largest record timestamp in the segment (-1 when empty): what retention.ms and min.compaction.lag.ms look at. */
  long largestTimestamp() {
    long max = -1;
    for (Log.BatchRef b : batches) max = Math.max(max, b.header().maxTimestamp());
    return max;
  }

  /** The first batch's max timestamp (-1 when empty): what max.compaction.lag.ms looks at (Kafka's {@code getFirstBatchTimestamp}). */
  long firstBatchTimestamp() {
    return batches.isEmpty() ? -1 : batches.get(0).header().maxTimestamp();
  }

  /**
   * The first step of swapping in the cleaner's rewrite of a group of segments starting at this one: the
   * batches written to {@code .log.cleaned}, fsynced, renamed to {@code .log.swap} (Kafka's
   * {@code createNewCleanedSegment} and {@code replaceSegments}). From here a crash finishes the swap on
   * recovery ({@link Log}).
   */
  String writeSwap(List<byte[]> cleaned) {
    String tmp = logFile + ".cleaned";
    String swap = logFile + ".swap";
    disk.delete(tmp);
    disk.create(tmp);
    int pos = 0;
    for (byte[] b : cleaned) {
      disk.write(tmp, pos, b);
      pos += b.length;
    }
    disk.fsync(tmp);
    disk.rename(tmp, swap);
    return swap;
  }

  /** Recovery of this segment; {@code allowGaps} in a compacted log, where the cleaner leaves offsets out. */
  RecoveryReport.SegmentRecovery recover(long expectedOffset, boolean allowGaps) {
    batches.clear();
    byte[] bytes = disk.exists(logFile) ? disk.readAll(logFile) : new byte[0];
    RecordBatches.Scan scan = RecordBatches.scan(bytes, bytes.length);
    long next = expectedOffset;
    String reason = scan.stopReason();
    int valid = scan.validBytes();
    for (RecordBatches.Located found : scan.batches()) {
      Log.BatchRef b = new Log.BatchRef(baseOffset, found.position(), found.header());
      if (allowGaps ? b.header().baseOffset() < next : b.header().baseOffset() != next) {
        // The base offset is outside the CRC. Without compaction offsets have no gaps, so any jump is damage.
        reason = "batch at position " + b.position() + " starts at offset " + b.header().baseOffset() + ", expected " + next;
        valid = b.position();
        break;
      }
      batches.add(b);
      next = b.header().nextOffset();
    }
    sizeBytes = valid;
    int dropped = bytes.length - valid;
    if (dropped > 0) disk.truncate(logFile, valid);
    if (!disk.exists(indexFile)) disk.create(indexFile);
    rebuildIndex();
    return new RecoveryReport.SegmentRecovery(logFile, batches.size(), valid, dropped, reason);
  }

  private void rebuildIndex() {
    disk.truncate(indexFile, 0);
    indexEntries = 0;
    bytesSinceLastIndexEntry = 0;
    for (Log.BatchRef b : batches) {
      if (bytesSinceLastIndexEntry > indexIntervalBytes) {
        writeIndexEntry(b.header().lastOffset(), b.position());
        bytesSinceLastIndexEntry = 0;
      }
      bytesSinceLastIndexEntry += b.header().sizeInBytes();
    }
  }

  void delete() {
    disk.delete(logFile);
    disk.delete(indexFile);
  }

  @Override
  public String toString() {
    return fileName(baseOffset, ".log") + " (" + batches.size() + " batches, " + sizeBytes + "B)";
  }
}
