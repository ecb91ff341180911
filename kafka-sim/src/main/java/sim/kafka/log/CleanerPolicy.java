package sim.kafka.log;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log cleaner's choice, pure policy (Kafka's {@code LogCleanerManager.cleanableOffsets},
 * {@code calculateCleanableBytes}, {@code LogToClean} and the dirtiest-log filter): which range of a
 * compacted log to clean now, if any. It reads segment sizes and timestamps and changes nothing; the copy is
 * {@link LogCleaner}'s.
 *
 * <p>The dirty section starts at the cleaner checkpoint (the log start if there is none or it is out of
 * range). It ends before the active segment, the last stable offset (the high watermark here), and any
 * segment whose newest record is younger than {@code min.compaction.lag.ms} — rounded down to a segment
 * boundary. The log is cleaned when its dirty ratio (dirty bytes / all bytes) exceeds
 * {@code min.cleanable.dirty.ratio}, or when a dirty segment's first batch is older than
 * {@code max.compaction.lag.ms}.
 */
public final class CleanerPolicy {
  private CleanerPolicy() {}

  /** The decision, with the figures that led to it. */
  public record Decision(long firstDirtyOffset, long firstUncleanableOffset, long cleanableBytes, long totalBytes, double dirtyRatio,
      boolean needCompactionNow, boolean clean, boolean forceUpdateCheckpoint) {
    @Override
    public String toString() {
      return "dirty [" + firstDirtyOffset + ", " + firstUncleanableOffset + "), " + cleanableBytes + " of " + totalBytes + " bytes, ratio "
          + String.format("%.2f", dirtyRatio) + (needCompactionNow ? ", max.compaction.lag.ms passed" : "") + (clean ? ": clean" : ": not yet");
    }
  }

  public static Decision decide(List<Log.SegmentInfo> segments, long logStartOffset, long logEndOffset, long lastStableOffset,
      Optional<Long> checkpoint, LogConfig config, long nowMs) {
    long checkpointed = checkpoint.orElse(logStartOffset);
    long firstDirty = checkpointed < logStartOffset || checkpointed > logEndOffset ? logStartOffset : checkpointed;
    boolean force = checkpointed != firstDirty;
    Log.SegmentInfo active = segments.get(segments.size() - 1);
    long uncleanable = Math.min(lastStableOffset, active.baseOffset());
    if (config.minCompactionLagMs() > 0) {
      for (Log.SegmentInfo s : nonActiveFrom(segments, firstDirty)) {
        if (s.largestTimestamp() > nowMs - config.minCompactionLagMs()) {
          uncleanable = Math.min(uncleanable, s.baseOffset());
          break;
        }
      }
    }
    uncleanable = Math.max(firstDirty, uncleanable);
    List<Log.SegmentInfo> fromUncleanable = nonActiveFrom(segments, uncleanable);
    long firstUncleanable = fromUncleanable.isEmpty() ? active.baseOffset() : fromUncleanable.get(0).baseOffset();
    long cleanable = 0;
    for (Log.SegmentInfo s : overlapping(segments, Math.min(firstDirty, firstUncleanable), firstUncleanable)) cleanable += s.sizeBytes();
    long clean = 0;
    for (Log.SegmentInfo s : overlapping(segments, -1, firstDirty)) clean += s.sizeBytes();
    long total = clean + cleanable;
    double ratio = total == 0 ? 0 : (double) cleanable / total;
    boolean now = maxCompactionDelayMs(segments, firstDirty, config, nowMs) > 0;
    boolean doIt = total > 0 && ((now && cleanable > 0) || ratio > config.minCleanableDirtyRatio());
    return new Decision(firstDirty, firstUncleanable, cleanable, total, ratio, now, doIt, force);
  }

  /** How long past {@code max.compaction.lag.ms} the oldest dirty segment's first batch is (0: not yet). */
  static long maxCompactionDelayMs(List<Log.SegmentInfo> segments, long firstDirty, LogConfig config, long nowMs) {
    long earliest = Long.MAX_VALUE;
    for (Log.SegmentInfo s : nonActiveFrom(segments, firstDirty)) if (s.firstBatchTimestamp() > 0) earliest = Math.min(earliest, s.firstBatchTimestamp());
    long cleanUntil = nowMs - Math.max(config.maxCompactionLagMs(), 0);
    return earliest < cleanUntil ? cleanUntil - earliest : 0;
  }

  /** Non-active segments from the one holding {@code offset} (Kafka's {@code nonActiveLogSegmentsFrom}). */
  static List<Log.SegmentInfo> nonActiveFrom(List<Log.SegmentInfo> segments, long offset) {
    List<Log.SegmentInfo> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Log.SegmentInfo s = segments.get(i);
      if (s.active()) break;
      long next = segments.get(i + 1).baseOffset();
      if (next > offset) out.add(s);
    }
    return out;
  }

  /** Segments overlapping [from, to): the one holding {@code from} and every later one starting before {@code to}. */
  static List<Log.SegmentInfo> overlapping(List<Log.SegmentInfo> segments, long from, long to) {
    List<Log.SegmentInfo> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Log.SegmentInfo s = segments.get(i);
      long next = i + 1 < segments.size() ? segments.get(i + 1).baseOffset() : Long.MAX_VALUE;
      if (next > from && s.baseOffset() < to) out.add(s);
    }
    return out;
  }

  /**
   * Kafka's {@code groupSegmentsBySize}: consecutive segments go into one cleaned segment while their sizes sum
   * to at most {@code maxBytes} (segment.bytes) and their offsets stay within an int of the group's base (the
   * index stores relative offsets). Kafka also bounds the groups' index sizes (10 MiB by default), which
   * segments of a few KiB never reach.
   */
  public static List<List<Log.SegmentInfo>> groupBySize(List<Log.SegmentInfo> segments, int maxBytes, long firstUncleanableOffset) {
    List<List<Log.SegmentInfo>> groups = new ArrayList<>();
    int i = 0;
    while (i < segments.size()) {
      List<Log.SegmentInfo> group = new ArrayList<>();
      group.add(segments.get(i));
      long size = segments.get(i).sizeBytes();
      i++;
      while (i < segments.size() && size + segments.get(i).sizeBytes() <= maxBytes
          && (segments.get(i).sizeBytes() == 0 || lastOffsetEstimate(segments, i, firstUncleanableOffset) - group.get(group.size() - 1).baseOffset() <= Integer.MAX_VALUE)) {
        group.add(segments.get(i));
        size += segments.get(i).sizeBytes();
        i++;
      }
      groups.add(group);
    }
    return groups;
  }

  /** The next segment's base offset minus one, or for the last one the first uncleanable offset minus one. */
  private static long lastOffsetEstimate(List<Log.SegmentInfo> segments, int i, long firstUncleanableOffset) {
    return i + 1 < segments.size() ? segments.get(i + 1).baseOffset() - 1 : firstUncleanableOffset - 1;
  }
}
