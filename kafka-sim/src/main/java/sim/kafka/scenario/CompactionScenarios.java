package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.Producer;
import sim.kafka.client.ProducerConfig;
import sim.kafka.log.LogConfig;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/** The log cleaner's lessons: what a compacted topic keeps, and when a tombstone finally goes. */
final class CompactionScenarios {
  private CompactionScenarios() {}

  static final String WATCH = " Breakpoints: kafka.log.clean (the cleaner's decision and what it kept), kafka.leader.append, "
      + "kafka.producer.ack; `state b1` shows the segments shrinking and the gaps in the offsets.";

  /** cleanup.policy=compact with small segments and a short delete.retention.ms, so a minute shows every step. */
  static ClusterSpec compactedTopic() {
    LogConfig log = LogConfig.simulation().withSegmentBytes(2048).withCleanupPolicy("compact").withDeleteRetentionMs(15_000);
    return ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2).withLog(log))
        .withProducer(ProducerConfig.defaults().withWorkload(1000, 50, true).withTombstoneEvery(7).withKeysRetiredEvery(400));
  }

  static KafkaScenario compactionWritePath() {
    return new KafkaScenario("kafka.compaction-write-path",
        "The write path of a compacted topic: the log cleaner keeps each key's last record, tombstones go after delete.retention.ms",
        "A topic with cleanup.policy=compact (think of a table of the latest state per key: user profiles, "
            + "__consumer_offsets itself). The producer writes 16 keys over and over, every 7th record a tombstone "
            + "(a null value: delete this key); every 400 records it moves on to 16 new keys, so the old keys whose last record "
            + "was a tombstone stay deleted. Appends are the ordinary write path; segments roll at segment.bytes=2048. "
            + "Every log.cleaner.backoff.ms (15s) each replica's cleaner looks at its own log (kafka.log.clean): the dirty "
            + "section runs from the cleaner checkpoint to the active segment (never cleaned) or the high watermark, and "
            + "the log is cleaned only when dirty bytes / all bytes exceed min.cleanable.dirty.ratio=0.5. The cleaner "
            + "builds an offset map (each key's last offset in the dirty section), then rewrites every segment up to "
            + "there keeping only records that are the last of their key: offsets are kept, so the log has gaps, and "
            + "small segments are merged while they fit in segment.bytes. A tombstone survives the first clean that "
            + "sees it (its batch is stamped with a delete horizon, now + delete.retention.ms=15s, so a consumer that "
            + "is behind still learns of the delete) and is removed by a clean after that horizon. The same rules as "
            + "Kafka's Cleaner, byte for byte (CleanerAgreementTest)." + WATCH,
        compactedTopic(), "", 60, null,
        cleanerRemovedSuperseded("kafka.story.cleaner-keeps-the-last-record-per-key"),
        StoryChecks.saw("kafka.story.tombstone-gone-after-delete-retention", "kafka.log.clean", "b1",
            "tombstones past delete.retention.ms dropped", "a clean after the delete horizon removed tombstones"),
        latestPerKey("kafka.story.latest-value-of-every-key-survives"));
  }

  /** A clean on the leader kept fewer records than it read: superseded records are gone. */
  static StoryCheck cleanerRemovedSuperseded(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent e = c.story().first(ev -> ev.kind().equals("kafka.log.clean") && ev.node().equals("b1")
          && attr(ev, "recordsKept") < attr(ev, "recordsRead"));
      return CheckResult.of(name, e != null, e == null ? "no clean on b1 removed a record"
          : "at " + Durations.format(e.timeNanos()) + ": " + e.detail());
    });
  }

  /**
   * Reading the compacted log from the start gives, for every key, the producer's last acknowledged record of
   * that key (or nothing, if that record was a tombstone the cleaner has since dropped), never an older value.
   */
  static StoryCheck latestPerKey(String name) {
    return new StoryCheck(name, c -> {
      Producer p = c.producer();
      if (p == null) return CheckResult.failed(name, "the producer is not running");
      List<String> wrong = new ArrayList<>();
      int keys = 0;
      for (TopicPartition tp : c.dataPartitions()) {
        Map<String, Producer.Acked> lastAcked = new TreeMap<>();
        for (Producer.Acked a : p.acked()) {
          if (a.key() != null && c.partitions().get(a.partition()).equals(tp)) lastAcked.merge(a.key(), a, (x, y) -> y.offset() > x.offset() ? y : x);
        }
        Map<String, LogRecord> lastInLog = new TreeMap<>();
        var source = c.finalSourceLog(tp);
        if (source == null) return CheckResult.failed(name, tp + ": no replica holds the log");
        for (LogRecord r : RecordBatches.allRecords(source.read(0, Long.MAX_VALUE, Integer.MAX_VALUE))) if (r.key() != null) lastInLog.put(r.keyText(), r);
        for (Producer.Acked a : lastAcked.values()) {
          keys++;
          LogRecord r = lastInLog.get(a.key());
          boolean tombstone = "null".equals(a.value());
          boolean ok = r == null ? tombstone : r.offset() == a.offset() || r.offset() > a.offset();
          if (!ok) wrong.add(a.key() + " last acked at " + a.offset() + " (" + a.value() + "), log has " + (r == null ? "nothing" : r));
        }
      }
      return CheckResult.of(name, wrong.isEmpty() && keys > 0, wrong.isEmpty() ? keys + " keys: each one's last acknowledged record is what the log ends with"
          : wrong.size() + " keys read back wrong: " + wrong.subList(0, Math.min(5, wrong.size())));
    });
  }

  private static long attr(TraceEvent e, String key) {
    List<Object> a = e.attributes();
    for (int i = 0; i + 1 < a.size(); i += 2) if (key.equals(a.get(i)) && a.get(i + 1) instanceof Number n) return n.longValue();
    return -1;
  }
}
