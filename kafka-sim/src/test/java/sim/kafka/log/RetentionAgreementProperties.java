package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogStartOffsetIncrementReason;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;
import sim.core.disk.SimDisk;

/**
 * Our retention choice ({@link RetentionPolicy}) against Kafka 4.1's own ({@code UnifiedLog.deleteOldSegments}
 * of kafka-storage, on real files): the same batches go to both logs, the same high watermark, DeleteRecords
 * and clock; round after round the segments we choose to delete are exactly the ones Kafka deletes, and the
 * log start offset after it is the same — retention.ms by a segment's largest timestamp, retention.bytes
 * counting down from the oldest, the log start offset breach, the high watermark bound, the active segment
 * deleted (and a new one rolled) only when the high watermark reached the log end, cleanup.policy
 * delete, compact or both.
 */
class RetentionAgreementProperties {
  static final String DIR = "retained-0";

  @Property(tries = 60)
  void retentionDeletesWhatKafkaDeletes(@ForAll long seed) throws Exception {
    Random rnd = new Random(seed);
    int segmentBytes = 600 + rnd.nextInt(2500);
    long retentionMs = rnd.nextInt(4) == 0 ? -1 : 5_000 + rnd.nextInt(60_000);
    long retentionBytes = rnd.nextInt(3) == 0 ? -1 : rnd.nextInt(3 * segmentBytes + 1) + (rnd.nextBoolean() ? 0 : 4 * segmentBytes);
    String policy = List.of("delete", "delete", "compact", "compact,delete").get(rnd.nextInt(4));
    LogConfig ours = new LogConfig(segmentBytes, 512, LogConfig.UNSET).withCleanupPolicy(policy).withRetention(retentionMs, retentionBytes);
    Map<String, Object> props = new HashMap<>();
    props.put(TopicConfig.CLEANUP_POLICY_CONFIG, policy);
    props.put(org.apache.kafka.storage.internals.log.LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, segmentBytes);
    props.put(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 512);
    props.put(TopicConfig.SEGMENT_MS_CONFIG, Long.MAX_VALUE);
    props.put(TopicConfig.RETENTION_MS_CONFIG, retentionMs);
    props.put(TopicConfig.RETENTION_BYTES_CONFIG, retentionBytes);

    Path tmp = Files.createTempDirectory("retention");
    CleanerAgreementTest.FixedTime time = new CleanerAgreementTest.FixedTime(1_700_000_000_000L);
    KafkaScheduler scheduler = new KafkaScheduler(1);
    scheduler.startup();
    SimDisk disk = SimDisk.standalone("b1", seed);
    Log log = new Log(disk, DIR, ours);
    UnifiedLog kafka = UnifiedLog.create(tmp.resolve(DIR).toFile(), new org.apache.kafka.storage.internals.log.LogConfig(props),
        0L, 0L, scheduler, new BrokerTopicStats(), time, 60_000, new ProducerStateManagerConfig(86_400_000, false), 600_000,
        new LogDirFailureChannel(1), true, Optional.empty());
    Map<Long, Integer> sequences = new HashMap<>();
    int deleted = 0;
    try {
      for (int round = 0; round < 8; round++) {
        int batches = rnd.nextInt(25);
        for (int b = 0; b < batches; b++) {
          time.advance(rnd.nextInt(4000));
          byte[] batch = CleanerAgreementTest.randomBatch(rnd, log.logEndOffset(), 8, sequences, time.milliseconds());
          log.append(batch);
          kafka.appendAsFollower(MemoryRecords.readableRecords(ByteBuffer.wrap(batch)), 0);
        }
        // The high watermark anywhere from the log start to the log end, often at the end (then the active segment may go).
        long lag = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt((int) Math.min(30, log.logEndOffset() + 1));
        kafka.updateHighWatermark(log.logEndOffset() - lag);
        long hw = kafka.highWatermark();
        if (rnd.nextInt(4) == 0 && hw > kafka.logStartOffset()) {
          long to = kafka.logStartOffset() + rnd.nextInt((int) (hw - kafka.logStartOffset()) + 1);
          kafka.maybeIncrementLogStartOffset(to, LogStartOffsetIncrementReason.ClientRecordDeletion);
          log.maybeIncrementLogStartOffset(to);
        }
        time.advance(rnd.nextInt(40_000));
        String where = "seed " + seed + " round " + round + " (" + policy + ", segment.bytes " + segmentBytes + ", retention.ms " + retentionMs
            + ", retention.bytes " + retentionBytes + ", HW " + hw + ", LEO " + log.logEndOffset() + ", segments " + CleanerAgreementTest.bases(log) + ")";
        assertEquals(CleanerAgreementTest.kafkaBases(kafka), CleanerAgreementTest.bases(log), where + ": the same segments before");

        RetentionPolicy.Decision d = RetentionPolicy.decide(log.segmentInfos(), log.logStartOffset(), log.logEndOffset(), hw, ours,
            time.milliseconds());
        int kafkaDeleted = kafka.deleteOldSegments();
        log.deleteSegments(d);
        assertEquals(kafkaDeleted, d.baseOffsets().size(), where + ": " + d);
        assertEquals(CleanerAgreementTest.kafkaBases(kafka), CleanerAgreementTest.bases(log), where + ": " + d);
        assertEquals(kafka.logStartOffset(), log.logStartOffset(), where + ": " + d);
        deleted += kafkaDeleted;
      }
    } finally {
      kafka.close();
      scheduler.shutdown();
      try (Stream<Path> files = Files.walk(tmp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temporary directory
      }
    }
    net.jqwik.api.statistics.Statistics.label("segments deleted").collect(deleted == 0 ? "none" : deleted < 5 ? "1-4" : "5+");
  }
}
