package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import sim.core.disk.SimDisk;

/** The log start offset: moved by retention and DeleteRecords, where a restart finds it, and a full truncation. */
class LogStartOffsetTest {
  static Log filled(SimDisk disk, LogConfig config, int segments) {
    Log log = new Log(disk, "t-0", config);
    Random rnd = new Random(5);
    Map<Long, Integer> seqs = new HashMap<>();
    while (log.segmentCount() < segments) log.append(CleanerAgreementTest.randomBatch(rnd, log.logEndOffset(), 4, seqs, 1000 + log.logEndOffset()));
    return log;
  }

  @Test
  void deletedSegmentsStayDeletedAndTheFirstSegmentIsTheLogStartAfterARestart() {
    SimDisk disk = SimDisk.standalone("b1", 1);
    LogConfig config = new LogConfig(600, 256, LogConfig.UNSET).withRetention(-1, 1200);
    Log log = filled(disk, config, 6);
    long end = log.logEndOffset();
    RetentionPolicy.Decision d = RetentionPolicy.decide(log.segmentInfos(), 0, end, end, config, 0);
    assertTrue(d.deletes());
    log.deleteSegments(d);
    assertEquals(d.logStartOffset(), log.logStartOffset());
    assertEquals(log.logStartOffset(), log.segmentInfos().get(0).baseOffset());
    assertTrue(log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE).length > 0, "a read below the start begins at the first segment");
    Log reopened = new Log(disk, "t-0", config);
    assertEquals(log.logStartOffset(), reopened.logStartOffset());
    assertEquals(end, reopened.logEndOffset());
  }

  /** A DeleteRecords inside a segment is remembered only by log-start-offset-checkpoint (Kafka's LogLoader takes the larger). */
  @Test
  void aLogStartInsideASegmentSurvivesARestartOnlyThroughTheCheckpoint() {
    SimDisk disk = SimDisk.standalone("b1", 2);
    LogConfig config = new LogConfig(600, 256, LogConfig.UNSET);
    Log log = filled(disk, config, 3);
    long mid = log.segmentInfos().get(1).baseOffset() + 1;
    assertTrue(log.maybeIncrementLogStartOffset(mid));
    Log withoutCheckpoint = new Log(disk, "t-0", config);
    assertEquals(0, withoutCheckpoint.logStartOffset(), "nothing deleted yet: the first segment starts at 0");
    Log withCheckpoint = new Log(disk, "t-0", config);
    withCheckpoint.loadLogStartOffset(mid);
    assertEquals(mid, withCheckpoint.logStartOffset());
    withCheckpoint.loadLogStartOffset(Long.MAX_VALUE);
    assertEquals(withCheckpoint.logEndOffset(), withCheckpoint.logStartOffset(), "never past the recovered log end");
  }

  /** A follower behind the leader's log start drops everything and starts there; a restart finds it there. */
  @Test
  void truncateFullyAndStartAtMovesStartAndEndTogether() {
    SimDisk disk = SimDisk.standalone("b1", 3);
    LogConfig config = new LogConfig(600, 256, LogConfig.UNSET);
    Log log = filled(disk, config, 3);
    long at = log.logEndOffset() + 40;
    log.truncateFullyAndStartAt(at);
    assertEquals(at, log.logStartOffset());
    assertEquals(at, log.logEndOffset());
    assertEquals(1, log.segmentCount());
    Log reopened = new Log(disk, "t-0", config);
    assertEquals(at, reopened.logStartOffset());
    assertEquals(at, reopened.logEndOffset());
  }
}
