package sim.kafka.scenario;

import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.ProducerConfig;
import sim.kafka.log.LogConfig;
import sim.kafka.log.RetentionPolicy;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/** Retention's lesson: old segments go by time, a consumer that fell behind resets, DeleteRecords moves the log start. */
final class RetentionScenarios {
  private RetentionScenarios() {}

  static final long RETENTION_MS = 20_000;
  static final long CHECK_INTERVAL_MS = 5_000;
  static final long DELETE_RECORDS_AT_MS = 46_000;
  static final String FAULTS = "at 5s pause consumer; at 8s pause b3; at 36s resume b3; at 40s resume consumer";

  /** cleanup.policy=delete with small segments, retention.ms=20s and a retention check every 5s, so a minute shows it all. */
  static ClusterSpec retainedTopic() {
    LogConfig log = LogConfig.simulation().withSegmentBytes(2048).withRetention(RETENTION_MS, -1).withRetentionCheckIntervalMs(CHECK_INTERVAL_MS);
    return ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2).withLog(log))
        .withProducer(ProducerConfig.defaults().withWorkload(2000, 50, true));
  }

  static KafkaScenario retention() {
    return new KafkaScenario("kafka.retention",
        "Retention: segments older than retention.ms are deleted, a consumer that fell behind resets to the log start",
        "A topic with cleanup.policy=delete (the default), segment.bytes=2048 and retention.ms=20s (Kafka: 7 days), the "
            + "brokers checking every log.retention.check.interval.ms=5s (Kafka: 5 minutes). Retention deletes whole "
            + "segments, oldest first, never the one holding the high watermark: a segment goes once its newest record "
            + "(its largest timestamp) is more than retention.ms old (kafka.log.retention), and the log start offset "
            + "moves to the next segment's base. Every replica runs retention on its own log against its own high "
            + "watermark; followers also take the leader's log start offset from each fetch response. From 8s to 36s "
            + "follower b3 is frozen: it stays in the ISR (replica.lag.time.max.ms=30s has not passed), so the high "
            + "watermark waits for it and the producer's acks=all writes stall; the records appended at 8s grow older "
            + "than retention.ms above the high watermark, and retention keeps them (--break "
            + "kafka.delete-above-high-watermark deletes them: kafka.log-start-within-hw). The consumer "
            + "stops at 5s (a long GC pause, a deploy) and comes back at 40s: the records it had not read are gone, its "
            + "fetch is answered OFFSET_OUT_OF_RANGE, and auto.offset.reset=earliest moves it to the log start "
            + "(kafka.consumer.reset) — it skips what retention deleted, and nothing acknowledged counts as lost. At 46s "
            + "an operator's DeleteRecords moves the log start offset to the high watermark (kafka.delete-records); the "
            + "next retention check deletes the segments below it. The log start offset is checkpointed in "
            + "log-start-offset-checkpoint, so a restart keeps it. Breakpoints: kafka.log.retention, kafka.consumer.reset, "
            + "kafka.delete-records, kafka.log.truncate; `state b1` shows the log start offset and the segments.",
        retainedTopic(), FAULTS, 60,
        (sim, cluster) -> sim.schedule(Durations.millis(DELETE_RECORDS_AT_MS), "operator: DeleteRecords up to the high watermark",
            () -> deleteRecords(sim, cluster)),
        StoryChecks.saw("kafka.story.old-segments-deleted", "kafka.log.retention", "b1", "retention.ms breach",
            "b1 deleted segments whose newest record was older than retention.ms"),
        consumerSkipped("kafka.story.slow-consumer-resets"),
        deleteRecordsThenBreach("kafka.story.delete-records-moves-log-start"));
  }

  /** The operator's admin client asks the partition's leader to delete every record below its high watermark. */
  private static void deleteRecords(sim.core.Simulation sim, KafkaCluster cluster) {
    TopicPartition tp = cluster.partitions().get(0);
    PartitionState s = cluster.controller() == null ? null : cluster.controller().partition(tp);
    if (s == null || s.leader() == null) {
      sim.trace().record(KafkaCluster.CONTROLLER.name(), "note", "operator: no leader for " + tp + ", DeleteRecords not sent");
      return;
    }
    sim.inject(KafkaCluster.CONTROLLER, s.leader(), new KafkaMessage.DeleteRecordsRequest(0, tp, -1));
  }

  /** The leader took a DeleteRecords, and a later retention check on it deleted the segments below the new log start. */
  static StoryCheck deleteRecordsThenBreach(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent moved = c.story().first(ev -> ev.kind().equals("kafka.delete-records"));
      if (moved == null) return CheckResult.failed(name, "no DeleteRecords reached a leader");
      TraceEvent deleted = c.story().first(ev -> ev.kind().equals("kafka.log.retention") && ev.node().equals(moved.node())
          && ev.timeNanos() >= moved.timeNanos() && ev.detail().contains(RetentionPolicy.Reason.LOG_START_OFFSET_BREACH.text));
      return CheckResult.of(name, deleted != null, "at " + Durations.format(moved.timeNanos()) + " " + moved.node() + ": " + moved.detail()
          + (deleted == null ? "; no retention check deleted below it" : "; at " + Durations.format(deleted.timeNanos()) + ": " + deleted.detail()));
    });
  }

  /** The consumer was answered OFFSET_OUT_OF_RANGE and reset past records retention had deleted. */
  static StoryCheck consumerSkipped(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent e = c.story().first(ev -> ev.kind().equals("kafka.consumer.reset") && ev.attribute("skipped") instanceof Number n && n.longValue() > 0);
      return CheckResult.of(name, e != null, e == null ? "the consumer never had to reset its position"
          : "at " + Durations.format(e.timeNanos()) + ": " + e.detail());
    });
  }
}
