package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of Kafka 4.1's {@code UnifiedLog.deleteOldSegments} read from its source, which random logs rarely
 * hit exactly ({@link RetentionAgreementProperties} covers the rest against Kafka itself).
 */
class RetentionPolicyTest {
  static Log.SegmentInfo seg(long base, int size, long largestTs, boolean active) {
    return new Log.SegmentInfo(base, size, largestTs, largestTs, active);
  }

  static final LogConfig SIZE_100 = LogConfig.simulation().withRetention(-1, 100);

  /** retention.bytes: a segment goes when the log is still at least retention.bytes without it ({@code diff - size >= 0}). */
  @Test
  void sizeBreachCountsDownToExactlyRetentionBytes() {
    List<Log.SegmentInfo> segs = List.of(seg(0, 50, 1, false), seg(10, 50, 2, false), seg(20, 100, 3, true));
    RetentionPolicy.Decision d = RetentionPolicy.decide(segs, 0, 30, 30, SIZE_100, 10);
    assertEquals(List.of(0L, 10L), d.baseOffsets(), "200 bytes with retention.bytes 100: exactly 100 go");
    assertEquals(20, d.logStartOffset());
    RetentionPolicy.Decision under = RetentionPolicy.decide(List.of(seg(0, 50, 1, false), seg(10, 49, 2, true)), 0, 30, 30, SIZE_100, 10);
    assertFalse(under.deletes(), "99 bytes is under retention.bytes");
  }

  /** retention.ms: strictly older ({@code now - largestTimestamp > retention.ms}), by the segment's newest record. */
  @Test
  void timeBreachIsStrictAndByTheLargestTimestamp() {
    LogConfig ms = LogConfig.simulation().withRetention(1000, -1);
    List<Log.SegmentInfo> segs = List.of(seg(0, 10, 1000, false), seg(5, 10, 1001, false), seg(9, 10, 5000, true));
    assertEquals(List.of(0L), RetentionPolicy.decide(segs, 0, 12, 12, ms, 2001).baseOffsets());
  }

  /** The high watermark bounds every pass: the segment holding it stays, whatever its age. */
  @Test
  void nothingAtOrAboveTheHighWatermarkGoes() {
    LogConfig ms = LogConfig.simulation().withRetention(1000, -1);
    List<Log.SegmentInfo> segs = List.of(seg(0, 10, 1, false), seg(5, 10, 2, false), seg(9, 10, 3, true));
    assertEquals(List.of(0L), RetentionPolicy.decide(segs, 0, 12, 8, ms, 100_000).baseOffsets(), "HW 8 is inside segment 5");
    assertEquals(List.of(0L, 5L), RetentionPolicy.decide(segs, 0, 12, 11, ms, 100_000).baseOffsets(), "HW 11 below the log end");
    RetentionPolicy.Decision all = RetentionPolicy.decide(segs, 0, 12, 12, ms, 100_000);
    assertEquals(List.of(0L, 5L, 9L), all.baseOffsets(), "HW = LEO: the active segment goes too (a new one is rolled)");
    assertEquals(12, all.logStartOffset());
    assertEquals(List.of(0L, 5L, 9L), RetentionPolicy.decide(segs, 0, 12, 0, ms, 100_000, true).baseOffsets(), "the rule broken");
  }

  /** An empty last segment is never deleted; a compacted-only log deletes only below the log start offset. */
  @Test
  void emptyActiveSegmentStaysAndCompactOnlyRunsTheLogStartPass() {
    LogConfig ms = LogConfig.simulation().withRetention(1000, -1);
    List<Log.SegmentInfo> segs = List.of(seg(0, 10, 1, false), seg(5, 0, -1, true));
    assertEquals(List.of(0L), RetentionPolicy.decide(segs, 0, 5, 5, ms, 100_000).baseOffsets());
    LogConfig compact = ms.withCleanupPolicy("compact");
    List<Log.SegmentInfo> three = List.of(seg(0, 10, 1, false), seg(5, 10, 2, false), seg(9, 10, 3, true));
    assertFalse(RetentionPolicy.decide(three, 0, 12, 12, compact, 100_000).deletes(), "compact: no time or size retention");
    RetentionPolicy.Decision deleted = RetentionPolicy.decide(three, 7, 12, 12, compact, 100_000);
    assertEquals(List.of(0L), deleted.baseOffsets(), "DeleteRecords to 7: segment 0 (0..4) is wholly below it");
    assertEquals(RetentionPolicy.Reason.LOG_START_OFFSET_BREACH, deleted.passes().get(0).reason());
    assertEquals(7, deleted.logStartOffset(), "the log start stays where DeleteRecords put it");
  }
}
