package sim.kafka.log;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.disk.SimDisk;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.RecordBatches;

/**
 * One partition replica's log on a broker's disk ({@code UnifiedLog}): segments in a directory named
 * {@code topic-partition}, the leader epoch cache and the producer state. Offsets are assigned by the leader
 * before {@link #append}; followers append the leader's batches as they are.
 *
 * <p>Durability as in Kafka with {@code flush.messages}/{@code flush.ms} unset: nothing is fsynced per
 * append. A segment is flushed when the next one rolls. After a crash {@link #recover} validates every batch
 * and truncates at the first torn or corrupt one; segments after it are deleted.
 *
 * <p>Flushes go through a {@link Flusher}: standalone (codecs, tools, benchmarks) it fsyncs at once; a broker
 * hands the files to the kernel's durability door and calls {@link #markFlushed} when the fsync returned, so
 * fsync latency, errors and crashes in between apply. {@link #recoveryPoint} is Kafka's name for the offset
 * below which everything is known to be on disk.
 */
public final class Log {
  private final SimDisk disk;
  private final String dir;
  private final LogConfig config;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final LeaderEpochCache epochs;
  private final ProducerStateManager producers = new ProducerStateManager();
  private final TransactionIndex txnIndex = new TransactionIndex();
  private final List<BatchRef> refs = new ArrayList<>();
  private final Flusher flusher;
  private long logEndOffset;
  /** The first offset clients may read: the first segment's base, or past it after a DeleteRecords. */
  private long logStartOffset;
  private long unflushedMessages;
  private long recoveryPoint;
  private long flushRequestedOffset;
  private RecoveryReport lastRecovery;

  /** A batch in the log: where it lives and its header. */
  public record BatchRef(long segmentBase, int position, BatchHeader header) {}

  /**
   * Makes {@code files} durable, covering the log up to {@code upToOffset}; an asynchronous flusher calls
   * {@link #markFlushed} when its fsync returned.
   */
  @FunctionalInterface
  public interface Flusher {
    void flush(Log log, List<String> files, long upToOffset);
  }

  /** fsyncs at once: for a log outside a simulated node (codecs, tools, benchmarks, tests). */
  public static final Flusher SYNC = (log, files, upTo) -> {
    for (String f : files) log.disk.fsync(f);
    log.markFlushed(upTo);
  };

  public Log(SimDisk disk, String dir, LogConfig config) {
    this(disk, dir, config, SYNC);
  }

  public Log(SimDisk disk, String dir, LogConfig config, Flusher flusher) {
    this.disk = disk;
    this.dir = dir;
    this.config = config;
    this.flusher = flusher;
    this.epochs = new LeaderEpochCache(disk, dir);
    this.lastRecovery = recover();
  }

  /** Loads the log from disk: every segment validated in offset order, then the epoch cache and producer state. */
  private RecoveryReport recover() {
    List<RecoveryReport.SegmentRecovery> reports = new ArrayList<>();
    finishInterruptedSwaps();
    List<Long> bases = new ArrayList<>();
    for (String f : disk.list(dir + "/")) {
      String name = f.substring(dir.length() + 1);
      if (name.endsWith(".log") && name.length() == 24) bases.add(Long.parseLong(name.substring(0, 20)));
    }
    bases.sort(null);
    long next = 0;
    boolean deleteRest = false;
    for (long base : bases) {
      Segment s = new Segment(disk, dir, base, config.indexIntervalBytes());
      if (deleteRest || (!segments.isEmpty() && (config.compact() ? base < next : base != next))) {
        s.delete();
        reports.add(new RecoveryReport.SegmentRecovery(s.logFile, 0, 0, 0,
            deleteRest ? "deleted: follows a truncated segment" : "deleted: starts at " + base + " but the log ends at " + next));
        deleteRest = true;
        continue;
      }
      RecoveryReport.SegmentRecovery r = s.recover(segments.isEmpty() ? base : next, config.compact());
      reports.add(r);
      segments.put(base, s);
      next = s.nextOffset();
      if (r.droppedBytes() > 0) deleteRest = true;
    }
    if (segments.isEmpty()) newSegment(0);
    logEndOffset = next;
    logStartOffset = segments.firstKey();
    recoveryPoint = next;
    flushRequestedOffset = next;
    rebuildBatchIndex();
    epochs.load();
    epochs.truncateFromEnd(logEndOffset);
    for (BatchRef b : batches()) {
      // Epochs the checkpoint does not know yet (it is missing, or older than the log): learn them from the batches.
      if (b.header().partitionLeaderEpoch() > epochs.latestEpoch()) epochs.assign(b.header().partitionLeaderEpoch(), b.header().baseOffset());
    }
    rebuildProducerState();
    return new RecoveryReport(reports, logEndOffset);
  }

  /**
   * Kafka's {@code LogLoader} on temporary files: a {@code .cleaned} segment is an unfinished clean and is
   * deleted; a {@code .swap} segment is a clean whose swap was interrupted: every segment its offsets cover is
   * deleted and the swap file takes its name.
   */
  private void finishInterruptedSwaps() {
    for (String f : disk.list(dir + "/")) {
      if (f.endsWith(".log.cleaned")) disk.delete(f);
    }
    for (String f : disk.list(dir + "/")) {
      if (!f.endsWith(".log.swap")) continue;
      String name = f.substring(dir.length() + 1);
      long base = Long.parseLong(name.substring(0, 20));
      byte[] bytes = disk.readAll(f);
      List<RecordBatches.Located> found = RecordBatches.scan(bytes, bytes.length).batches();
      long next = found.isEmpty() ? base : found.get(found.size() - 1).header().nextOffset();
      for (String g : disk.list(dir + "/")) {
        String n = g.substring(dir.length() + 1);
        if (!n.endsWith(".log") || n.length() != 24) continue;
        long b = Long.parseLong(n.substring(0, 20));
        if (b >= base && (b < next || b == base)) new Segment(disk, dir, b, config.indexIntervalBytes()).delete();
      }
      disk.rename(f, dir + "/" + Segment.fileName(base, ".log"));
    }
  }

  private void rebuildBatchIndex() {
    refs.clear();
    for (Segment s : segments.values()) refs.addAll(s.batches());
  }

  private void rebuildProducerState() {
    producers.clear();
    txnIndex.clear();
    // Only a marker's bytes are read: its record says COMMIT or ABORT.
    for (BatchRef b : batches()) producers.append(b.header().isControlBatch() ? readBatch(b) : null, 0, b.header(), txnIndex);
  }

  private Segment newSegment(long base) {
    Segment s = new Segment(disk, dir, base, config.indexIntervalBytes());
    s.create();
    segments.put(base, s);
    return s;
  }

  public RecoveryReport lastRecovery() {
    return lastRecovery;
  }

  public String dir() {
    return dir;
  }

  public long logEndOffset() {
    return logEndOffset;
  }

  public LeaderEpochCache epochs() {
    return epochs;
  }

  public ProducerStateManager producers() {
    return producers;
  }

  /** The aborted transactions (Kafka: one index per segment, {@link TransactionIndex#segmentFile}). */
  public TransactionIndex transactionIndex() {
    return txnIndex;
  }

  /** The last stable offset: the oldest unstable transaction's first offset, at most the (only growing) high watermark. */
  public long lastStableOffset(long highWatermark) {
    producers.onHighWatermarkUpdated(highWatermark);
    long firstUnstable = producers.firstUnstableOffset();
    return firstUnstable < 0 ? highWatermark : Math.min(firstUnstable, highWatermark);
  }

  /**
   * Appends one batch whose base offset is this log's end offset. Rolls a new segment first when the active
   * one would exceed {@code segment.bytes} or span more than segment.ms ({@link #shouldRoll}); the rolled segment is flushed in the background (Kafka schedules
   * {@code flush-log} on roll, nothing waits for it). With {@code flush.messages} reached the whole log is
   * flushed; see {@link #awaitsFlush}.
   */
  public void append(byte[] batch) {
    appendValidated(batch, RecordBatches.validate(batch, 0, batch.length));
  }

  /** {@link #append} for a batch the caller already validated (the leader checks the CRC once, as Kafka's LogValidator does). */
  public void appendValidated(byte[] batch, BatchHeader h) {
    if (h.baseOffset() < logEndOffset || (h.baseOffset() > logEndOffset && !config.compact())) {
      // A follower of a compacted log may get a batch past a gap the leader's cleaner left; otherwise offsets continue.
      throw new IllegalStateException("batch at offset " + h.baseOffset() + " appended to " + dir + " whose end offset is " + logEndOffset);
    }
    Segment active = segments.lastEntry().getValue();
    if (shouldRoll(active, batch.length, h)) {
      Segment rolled = active;
      active = newSegment(logEndOffset);
      requestFlush(List.of(rolled.logFile, rolled.indexFile), logEndOffset);
    }
    refs.add(active.append(batch, h));
    if (h.partitionLeaderEpoch() >= 0) epochs.assign(h.partitionLeaderEpoch(), h.baseOffset());
    producers.append(batch, 0, h, txnIndex);
    logEndOffset = h.nextOffset();
    unflushedMessages += h.recordCount();
    if (unflushedMessages >= config.flushMessages()) flush();
  }

  /**
   * Kafka's {@code LogSegment.shouldRoll}: the batch would take the active segment past {@code segment.bytes},
   * or its timestamp is more than {@link LogConfig#maxSegmentMs} after the segment's first batch's.
   */
  private boolean shouldRoll(Segment active, int batchBytes, BatchHeader h) {
    if (active.isEmpty()) return false;
    if (active.sizeBytes() > config.segmentBytes() - batchBytes) return true;
    long first = active.firstBatchTimestamp();
    return first >= 0 && h.maxTimestamp() - first > config.maxSegmentMs();
  }

  /** fsyncs every segment with unflushed data: what {@code flush.messages}=1 does after each append. */
  public void flush() {
    unflushedMessages = 0;
    List<String> files = new ArrayList<>();
    for (Segment s : segments.tailMap(floorSegment(Math.min(recoveryPoint, logEndOffset)), true).values()) {
      files.add(s.logFile);
      files.add(s.indexFile);
    }
    requestFlush(files, logEndOffset);
  }

  private void requestFlush(List<String> files, long upToOffset) {
    flushRequestedOffset = Math.max(flushRequestedOffset, upToOffset);
    flusher.flush(this, files, upToOffset);
  }

  /** The fsync covering the log up to {@code upToOffset} returned: the recovery point moves there. */
  public void markFlushed(long upToOffset) {
    recoveryPoint = Math.max(recoveryPoint, Math.min(upToOffset, logEndOffset));
  }

  /** Kafka's recovery point: everything below it is on disk. */
  public long recoveryPoint() {
    return recoveryPoint;
  }

  /**
   * Whether a flush that covers {@code offset} (exclusive end) was requested and has not returned yet: with
   * {@code flush.messages} set, Kafka answers an append only after its flush, so the answer waits.
   */
  public boolean awaitsFlush(long offsetExclusive) {
    return flushRequestedOffset >= offsetExclusive && recoveryPoint < offsetExclusive;
  }

  /** Whether {@code flush.messages} is set (Kafka leaves it unset: Long.MAX_VALUE). */
  public boolean flushesPerAppend() {
    return config.flushMessages() != LogConfig.UNSET;
  }

  /** Every segment file: what a clean (controlled) shutdown flushes. */
  public List<String> files() {
    List<String> files = new ArrayList<>();
    for (Segment s : segments.values()) {
      files.add(s.logFile);
      files.add(s.indexFile);
    }
    return files;
  }

  /**
   * Whole batches from the one holding {@code fromOffset}, stopping before {@code maxOffsetExclusive}
   * (the high watermark for consumers, the LEO for followers) or after {@code maxBytes} (at least one batch).
   */
  public byte[] read(long fromOffset, long maxOffsetExclusive, int maxBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Segment s : segments.tailMap(floorSegment(fromOffset), true).values()) {
      List<BatchRef> bs = s.batches();
      for (int i = s.batchIndexFor(fromOffset); i < bs.size(); i++) {
        BatchRef b = bs.get(i);
        if (b.header().lastOffset() >= maxOffsetExclusive) return out.toByteArray();
        if (out.size() > 0 && out.size() + b.header().sizeInBytes() > maxBytes) return out.toByteArray();
        out.writeBytes(s.readBatch(b));
      }
    }
    return out.toByteArray();
  }

  /** The base of the segment holding {@code offset}, or the first segment's for an offset below the log. */
  private long floorSegment(long offset) {
    Long floor = segments.floorKey(offset);
    return floor == null ? segments.firstKey() : floor;
  }

  /**
   * Removes everything at or after {@code offset} (whole batches); epochs and producer state follow. Below the
   * first segment the log starts over there ({@link #truncateFullyAndStartAt}); the log start offset never stays
   * above the new end (Kafka's {@code truncateTo}).
   */
  public long truncateTo(long offset) {
    if (offset >= logEndOffset) return 0;
    if (offset < segments.firstKey()) return truncateFullyAndStartAt(offset);
    logStartOffset = Math.min(logStartOffset, offset);
    long removedBytes = 0;
    for (Segment s : new ArrayList<>(segments.tailMap(floorSegment(offset), true).values())) {
      if (s.baseOffset >= offset && s.baseOffset != segments.firstKey()) {
        removedBytes += s.sizeBytes();
        s.delete();
        segments.remove(s.baseOffset);
      } else {
        removedBytes += s.truncateTo(offset);
      }
    }
    logEndOffset = segments.lastEntry().getValue().nextOffset();
    recoveryPoint = Math.min(recoveryPoint, logEndOffset);
    flushRequestedOffset = Math.min(flushRequestedOffset, logEndOffset);
    int keep = refs.size();
    while (keep > 0 && refs.get(keep - 1).header().baseOffset() >= logEndOffset) keep--;
    refs.subList(keep, refs.size()).clear();
    epochs.truncateFromEnd(logEndOffset);
    rebuildProducerState();
    return removedBytes;
  }

  /** The first offset clients may read (Kafka's log start offset): fetches below it are OFFSET_OUT_OF_RANGE. */
  public long logStartOffset() {
    return logStartOffset;
  }

  /**
   * On start-up, the broker's {@code log-start-offset-checkpoint} entry: the log starts at the larger of it and
   * the first segment's base (Kafka's {@code LogLoader}); never past the recovered log end.
   */
  public void loadLogStartOffset(long checkpointed) {
    logStartOffset = Math.max(logStartOffset, Math.min(checkpointed, logEndOffset));
  }

  /**
   * Kafka's {@code maybeIncrementLogStartOffset} (DeleteRecords, a leader's log start learned by a follower):
   * the caller checked {@code offset} against the high watermark. Returns whether it moved.
   */
  public boolean maybeIncrementLogStartOffset(long offset) {
    long next = Math.min(offset, logEndOffset);
    if (next <= logStartOffset) return false;
    logStartOffset = next;
    return true;
  }

  /**
   * Applies retention's choice ({@link RetentionPolicy}): the segments are deleted oldest first and the log
   * start offset moves past them. Deleting the last segment rolls an empty one at the log end first (Kafka's
   * {@code deleteSegments}), so the log always has an active segment. Returns the bytes deleted.
   */
  public long deleteSegments(RetentionPolicy.Decision decision) {
    long bytes = 0;
    for (long base : decision.baseOffsets()) {
      if (!segments.containsKey(base)) throw new IllegalStateException("no segment " + base + " in " + dir);
      if (base == segments.lastKey()) newSegment(logEndOffset);
      Segment s = segments.remove(base);
      bytes += s.sizeBytes();
      s.delete();
    }
    logStartOffset = Math.max(logStartOffset, Math.min(decision.logStartOffset(), logEndOffset));
    rebuildBatchIndex();
    return bytes;
  }

  /**
   * Kafka's {@code truncateFullyAndStartAt}: every segment deleted, an empty one at {@code offset}, which becomes
   * the log start and end (a follower behind the leader's log start). Returns the bytes removed.
   */
  public long truncateFullyAndStartAt(long offset) {
    long removed = 0;
    for (Segment s : new ArrayList<>(segments.values())) {
      removed += s.sizeBytes();
      s.delete();
    }
    segments.clear();
    newSegment(offset);
    refs.clear();
    logEndOffset = offset;
    logStartOffset = offset;
    recoveryPoint = offset;
    flushRequestedOffset = offset;
    unflushedMessages = 0;
    // Kafka clears the whole cache (leaderEpochCache.clearAndFlush): an epoch older than the new start, kept,
    // would answer OffsetsForLeaderEpoch with an end this log no longer backs once it leads (swarm seed 490 of
    // kafka.retention: b1 led epoch 2 and told b3 that epoch 0 ended at 720, so b3 cut its epoch-1 records).
    epochs.clear();
    rebuildProducerState();
    return removed;
  }

  public LogConfig config() {
    return config;
  }

  /** What the log cleaner and retention look at, segment by segment: none of it changes the log. */
  public record SegmentInfo(long baseOffset, int sizeBytes, long largestTimestamp, long firstBatchTimestamp, boolean active) {}

  public List<SegmentInfo> segmentInfos() {
    List<SegmentInfo> out = new ArrayList<>();
    long activeBase = segments.lastKey();
    for (Segment s : segments.values()) {
      out.add(new SegmentInfo(s.baseOffset, s.sizeBytes(), s.largestTimestamp(), s.firstBatchTimestamp(), s.baseOffset == activeBase));
    }
    return out;
  }

  /** The batches of the segment starting at {@code baseOffset}, bytes and headers, for the cleaner to read. */
  public List<BatchRef> segmentBatches(long baseOffset) {
    return List.copyOf(segments.get(baseOffset).batches());
  }

  /**
   * The cleaner's copy replaces the segments starting at {@code bases} (consecutive, none active) with one
   * segment of {@code cleaned} batches at the first base offset (records removed, offsets kept), as Kafka's
   * {@code replaceSegments} does: the new segment is written as {@code .cleaned}, fsynced, renamed
   * {@code .swap}; the old segments are deleted; the swap file is renamed to the segment's name. A crash after
   * the {@code .swap} rename is finished by recovery, one before it leaves the old segments. Producer state is
   * rebuilt from what is left.
   */
  public void replaceSegments(List<Long> bases, List<byte[]> cleaned) {
    long first = bases.get(0);
    for (long b : bases) {
      if (!segments.containsKey(b) || b == segments.lastKey()) throw new IllegalStateException("cannot clean the active or a missing segment " + b);
    }
    Segment head = segments.get(first);
    String swap = head.writeSwap(cleaned);
    for (long b : bases) segments.remove(b).delete();
    disk.rename(swap, head.logFile);
    Segment s = new Segment(disk, dir, first, config.indexIntervalBytes());
    s.recover(first, true);
    segments.put(first, s);
    rebuildBatchIndex();
    rebuildProducerState();
  }

  /** How many batches the log holds; with {@link #batch} a cheap walk for checks that run after every event. */
  public int batchCount() {
    return refs.size();
  }

  /**
   * The index of the first batch holding an offset at or after {@code offset} ({@link #batchCount} if none): where
   * a walk by offset starts, since retention shifts the indexes of what is left.
   */
  public int batchIndexAfter(long offset) {
    int lo = 0;
    int hi = refs.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (refs.get(mid).header().lastOffset() < offset) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** The first offset a batch of this log holds (its end offset when empty): where its physical log begins. */
  public long firstBatchOffset() {
    return refs.isEmpty() ? logEndOffset : refs.get(0).header().baseOffset();
  }

  /** The {@code index}-th batch from the start of the log. */
  public BatchRef batch(int index) {
    return refs.get(index);
  }

  public List<BatchRef> batches() {
    return List.copyOf(refs);
  }

  /** The batch bytes at a reference (for readers and checks). */
  public byte[] readBatch(BatchRef ref) {
    Segment s = segments.get(ref.segmentBase());
    return s.readBatch(ref);
  }

  public List<String> segmentNames() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<Long, Segment> e : segments.entrySet()) out.add(e.getValue().toString());
    return out;
  }

  public int segmentCount() {
    return segments.size();
  }
}
