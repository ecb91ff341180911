package sim.kafka.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Which segments retention deletes now, pure policy (Kafka 4.1's {@code UnifiedLog.deleteOldSegments} without
 * tiered storage): it reads segment sizes and timestamps and changes nothing; {@link Log#deleteSegments} applies it.
 *
 * <p>Three passes, each over what the previous one left, oldest segment first and stopping at the first that
 * is kept: segments wholly below the log start offset (a DeleteRecords), then, with {@code cleanup.policy}
 * containing delete, the oldest while the log stays at least {@code retention.bytes} without them, then those
 * whose largest timestamp is more than {@code retention.ms} old. A compacted-only log runs the first pass only.
 * In every pass a segment is deletable only if the high watermark is at or past its end (the next segment's
 * base, or the log end for the last one), so the log start offset never passes the high watermark; an empty
 * last segment is never deleted. The last (active) segment therefore goes only when the high watermark reached
 * the log end offset; the log then rolls a new empty one at the log end first, as Kafka does.
 */
public final class RetentionPolicy {
  private RetentionPolicy() {}

  /** Why a pass deletes: Kafka's three {@code SegmentDeletionReason}s. */
  public enum Reason {
    LOG_START_OFFSET_BREACH("log start offset breach"),
    RETENTION_SIZE_BREACH("retention.bytes breach"),
    RETENTION_MS_BREACH("retention.ms breach");

    public final String text;

    Reason(String text) {
      this.text = text;
    }
  }

  /** One pass that deletes: the base offsets of its segments, oldest first, and the log start offset after it. */
  public record Pass(Reason reason, List<Long> baseOffsets, long logStartOffset) {}

  /** Every pass that deletes something, in order; empty when nothing goes. */
  public record Decision(List<Pass> passes, long logStartOffset) {
    public List<Long> baseOffsets() {
      List<Long> out = new ArrayList<>();
      for (Pass p : passes) out.addAll(p.baseOffsets());
      return out;
    }

    public boolean deletes() {
      return !passes.isEmpty();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder();
      for (Pass p : passes) b.append(b.length() == 0 ? "" : "; ").append(p.reason().text).append(": segments ").append(p.baseOffsets());
      return b.append(b.length() == 0 ? "nothing to delete" : ", log start offset now " + logStartOffset).toString();
    }
  }

  /** What a segment deletion condition sees: the segment, and whether another one follows it (with its base). */
  @FunctionalInterface
  private interface Condition {
    boolean test(Log.SegmentInfo segment, Log.SegmentInfo next);
  }

  public static Decision decide(List<Log.SegmentInfo> segments, long logStartOffset, long logEndOffset, long highWatermark,
      LogConfig config, long nowMs) {
    return decide(segments, logStartOffset, logEndOffset, highWatermark, config, nowMs, false);
  }

  /**
   * {@code ignoreHighWatermark} is the rule broken ({@code --break kafka.delete-above-high-watermark}): segments
   * go whatever the high watermark, so the log start offset can pass records no follower has yet.
   */
  public static Decision decide(List<Log.SegmentInfo> segments, long logStartOffset, long logEndOffset, long highWatermark,
      LogConfig config, long nowMs, boolean ignoreHighWatermark) {
    List<Log.SegmentInfo> left = new ArrayList<>(segments);
    List<Pass> passes = new ArrayList<>();
    long hw = ignoreHighWatermark ? Long.MAX_VALUE : highWatermark;
    long[] start = {logStartOffset};
    pass(passes, left, start, logEndOffset, hw, Reason.LOG_START_OFFSET_BREACH,
        (s, next) -> next != null && next.baseOffset() <= start[0]);
    if (config.delete()) {
      long size = 0;
      for (Log.SegmentInfo s : left) size += s.sizeBytes();
      if (config.retentionBytes() >= 0 && size >= config.retentionBytes()) {
        long[] diff = {size - config.retentionBytes()};
        pass(passes, left, start, logEndOffset, hw, Reason.RETENTION_SIZE_BREACH, (s, next) -> {
          boolean delete = diff[0] - s.sizeBytes() >= 0;
          if (delete) diff[0] -= s.sizeBytes();
          return delete;
        });
      }
      if (config.retentionMs() >= 0) {
        pass(passes, left, start, logEndOffset, hw, Reason.RETENTION_MS_BREACH,
            (s, next) -> nowMs - s.largestTimestamp() > config.retentionMs());
      }
    }
    return new Decision(List.copyOf(passes), start[0]);
  }

  /**
   * Kafka's {@code deletableSegments} then {@code deleteSegments}: oldest first while the condition holds and
   * the high watermark covers the segment. Deleting every segment rolls a new one at the log end first, so the
   * log start offset moves to the next segment's base or to the log end.
   */
  private static void pass(List<Pass> passes, List<Log.SegmentInfo> left, long[] start, long logEndOffset, long hw, Reason reason,
      Condition condition) {
    List<Long> deletable = new ArrayList<>();
    int i = 0;
    while (i < left.size()) {
      Log.SegmentInfo s = left.get(i);
      Log.SegmentInfo next = i + 1 < left.size() ? left.get(i + 1) : null;
      boolean lastAndEmpty = next == null && s.sizeBytes() == 0;
      long upperBound = next == null ? logEndOffset : next.baseOffset();
      // The condition runs only for segments the high watermark covers, as in Kafka (the size pass counts down).
      if (hw < upperBound || !condition.test(s, next) || lastAndEmpty) break;
      deletable.add(s.baseOffset());
      i++;
    }
    if (deletable.isEmpty()) return;
    long nextBase = i < left.size() ? left.get(i).baseOffset() : logEndOffset;
    left.subList(0, i).clear();
    if (left.isEmpty()) left.add(new Log.SegmentInfo(logEndOffset, 0, -1, -1, true));
    start[0] = Math.max(start[0], nextBase);
    passes.add(new Pass(reason, List.copyOf(deletable), start[0]));
  }
}
