package sim.kafka.broker;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.kafka.log.RetentionPolicy;

/**
 * A broker's retention (Kafka's {@code LogManager.cleanupLogs} and the log start offset checkpoint): every
 * {@code log.retention.check.interval.ms} each replica, leader or follower, asks {@link RetentionPolicy} which of
 * its segments go, against its own high watermark, and deletes them; every
 * {@code log.flush.start.offset.checkpoint.interval.ms} (60000) it writes {@code log-start-offset-checkpoint}, so
 * a log start offset moved past a segment's base (DeleteRecords) survives a restart.
 */
final class LogRetention {
  static final String CHECKPOINT = "log-start-offset-checkpoint";
  /** {@code log.flush.start.offset.checkpoint.interval.ms}, Kafka's default. */
  static final long CHECKPOINT_INTERVAL_MS = 60_000;

  private final RuleBreaks breaks;

  LogRetention(RuleBreaks breaks) {
    this.breaks = breaks;
  }

  void start(NodeContext ctx, long checkIntervalMs) {
    ctx.setTimer(new BrokerTimer.RetentionTick(), Durations.millis(checkIntervalMs));
    ctx.setTimer(new BrokerTimer.LogStartCheckpointTick(), Durations.millis(CHECKPOINT_INTERVAL_MS));
  }

  /** What the checkpoint says for each partition (read once at start-up, before the logs open). */
  static Map<TopicPartition, Long> readCheckpoint(NodeContext ctx) {
    return OffsetCheckpoint.read(ctx.disk(), CHECKPOINT);
  }

  /** One retention round over every replica with metadata: decide, then delete. */
  void run(NodeContext ctx, Collection<Partition> partitions, long checkIntervalMs) {
    ctx.setTimer(new BrokerTimer.RetentionTick(), Durations.millis(checkIntervalMs));
    for (Partition p : partitions) {
      if (p.state == null) continue;
      RetentionPolicy.Decision d = RetentionPolicy.decide(p.log.segmentInfos(), p.log.logStartOffset(), p.logEndOffset(), p.highWatermark,
          p.log.config(), ctx.localTimeMs(), breaks.deleteAboveHighWatermark());
      if (!d.deletes()) continue;
      long before = p.log.logStartOffset();
      long bytes = p.log.deleteSegments(d);
      ctx.point("kafka.log.retention", p.tp + " " + d + " (" + bytes + " bytes; HW " + p.highWatermark + ", LEO " + p.logEndOffset() + ")",
          "partition", p.tp.toString(), "reason", d.passes().get(0).reason().name(), "segments", d.baseOffsets().size(), "bytes", bytes,
          "fromLogStartOffset", before, "logStartOffset", p.log.logStartOffset(), "highWatermark", p.highWatermark, "role", p.role.name());
    }
  }

  /**
   * Kafka writes an entry only where the log start offset is past the first segment's base (after a
   * DeleteRecords); otherwise the first segment says it.
   */
  void onCheckpointTick(NodeContext ctx, Collection<Partition> partitions) {
    ctx.setTimer(new BrokerTimer.LogStartCheckpointTick(), Durations.millis(CHECKPOINT_INTERVAL_MS));
    checkpoint(ctx, partitions);
  }

  void checkpoint(NodeContext ctx, Collection<Partition> partitions) {
    Map<TopicPartition, Long> offsets = new TreeMap<>();
    for (Partition p : partitions) {
      long first = p.log.segmentInfos().get(0).baseOffset();
      if (p.log.logStartOffset() > first) offsets.put(p.tp, p.log.logStartOffset());
    }
    if (offsets.isEmpty() && !ctx.disk().exists(CHECKPOINT)) return;
    OffsetCheckpoint.write(ctx.disk(), CHECKPOINT, offsets);
  }
}
