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
  private final List<BatchRef> refs = new ArrayList<>();
  private final Flusher flusher;
  private long logEndOffset;
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
      if (deleteRest || (!segments.isEmpty() && base != next)) {
        s.delete();
        reports.add(new RecoveryReport.SegmentRecovery(s.logFile, 0, 0, 0,
            deleteRest ? "deleted: follows a truncated segment" : "deleted: starts at " + base + " but the log ends at " + next));
        deleteRest = true;
        continue;
      }
      RecoveryReport.SegmentRecovery r = s.recover(segments.isEmpty() ? base : next);
      reports.add(r);
      segments.put(base, s);
      next = s.nextOffset();
      if (r.droppedBytes() > 0) deleteRest = true;
    }
    if (segments.isEmpty()) newSegment(0);
    logEndOffset = next;
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

  private void rebuildBatchIndex() {
    refs.clear();
    for (Segment s : segments.values()) refs.addAll(s.batches());
  }

  private void rebuildProducerState() {
    producers.clear();
    for (BatchRef b : batches()) producers.update(b.header());
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

  /**
   * Appends one batch whose base offset is this log's end offset. Rolls a new segment first when the active
   * one would exceed {@code segment.bytes}; the rolled segment is flushed in the background (Kafka schedules
   * {@code flush-log} on roll, nothing waits for it). With {@code flush.messages} reached the whole log is
   * flushed; see {@link #awaitsFlush}.
   */
  public void append(byte[] batch) {
    appendValidated(batch, RecordBatches.validate(batch, 0, batch.length));
  }

  /** {@link #append} for a batch the caller already validated (the leader checks the CRC once, as Kafka's LogValidator does). */
  public void appendValidated(byte[] batch, BatchHeader h) {
    if (h.baseOffset() != logEndOffset) {
      throw new IllegalStateException("batch at offset " + h.baseOffset() + " appended to " + dir + " whose end offset is " + logEndOffset);
    }
    Segment active = segments.lastEntry().getValue();
    if (!active.isEmpty() && active.sizeBytes() + batch.length > config.segmentBytes()) {
      Segment rolled = active;
      active = newSegment(logEndOffset);
      requestFlush(List.of(rolled.logFile, rolled.indexFile), logEndOffset);
    }
    refs.add(active.append(batch, h));
    if (h.partitionLeaderEpoch() >= 0) epochs.assign(h.partitionLeaderEpoch(), h.baseOffset());
    producers.update(h);
    logEndOffset = h.nextOffset();
    unflushedMessages += h.recordCount();
    if (unflushedMessages >= config.flushMessages()) flush();
  }

  /** fsyncs every segment with unflushed data: what {@code flush.messages}=1 does after each append. */
  public void flush() {
    unflushedMessages = 0;
    List<String> files = new ArrayList<>();
    for (Segment s : segments.tailMap(segments.floorKey(Math.max(0, Math.min(recoveryPoint, logEndOffset))), true).values()) {
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
    for (Segment s : segments.tailMap(segments.floorKey(Math.max(fromOffset, 0)), true).values()) {
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

  /** Removes everything at or after {@code offset} (whole batches); epochs and producer state follow. */
  public long truncateTo(long offset) {
    if (offset >= logEndOffset) return 0;
    long removedBytes = 0;
    for (Segment s : new ArrayList<>(segments.tailMap(segments.floorKey(Math.max(offset, 0)), true).values())) {
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

  /** How many batches the log holds; with {@link #batch} a cheap walk for checks that run after every event. */
  public int batchCount() {
    return refs.size();
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
