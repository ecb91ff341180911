package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/** The compacted topic's lesson comes out as Kafka's cleaner would have it, over several seeds. */
class CompactionScenariosTest {
  @Test
  void cleanerKeepsTheLastRecordPerKeyAndDropsTombstonesAfterTheHorizon() {
    KafkaScenariosTest.forSeeds(CompactionScenarios.compactionWritePath(), t -> {
      assertTrue(t.has("kafka.log.clean", " kept "), "the cleaner ran");
      assertTrue(t.has("kafka.log.clean", "tombstones past delete.retention.ms dropped"), "tombstones dropped past their horizon");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok(), kept.render());
      assertTrue(kept.expected() && kept.excuse().rule().contains("cleanup.policy=compact"), "superseded records are excused by compaction: " + kept.render());
      CheckResult latest = t.check("kafka.story.latest-value-of-every-key-survives");
      assertTrue(latest.ok(), latest.render());
    });
  }

  /** Below the cleaned point each key appears at most once in the leader's log, and offsets only grow, with gaps. */
  @Test
  void theCleanedSectionHoldsEachKeyOnce() {
    Simulation sim = new Simulation(7);
    KafkaCluster cluster = KafkaCluster.install(sim, CompactionScenarios.compactedTopic());
    sim.runFor(Durations.seconds(40));
    TopicPartition tp = cluster.dataPartitions().get(0);
    Log log = cluster.broker(NodeId.of("b1")).log(tp);
    // The last clean's end offset on b1: the cleaner checkpoint, below which the log is compacted.
    long cleanedUpTo = -1;
    for (TraceEvent e : cluster.story().events()) {
      if (!e.kind().equals("kafka.log.clean") || !e.node().equals("b1")) continue;
      for (int i = 0; i + 1 < e.attributes().size(); i += 2) {
        if (e.attributes().get(i).equals("endOffset")) cleanedUpTo = ((Number) e.attributes().get(i + 1)).longValue();
      }
    }
    assertTrue(cleanedUpTo > 0, "b1 cleaned its log by 40s");
    Map<String, Long> seen = new HashMap<>();
    long previous = -1;
    boolean gap = false;
    for (LogRecord r : RecordBatches.allRecords(log.read(0, cleanedUpTo, Integer.MAX_VALUE))) {
      if (r.offset() >= cleanedUpTo) break;
      assertTrue(r.offset() > previous, "offsets grow");
      gap |= r.offset() > previous + 1;
      previous = r.offset();
      Long before = seen.put(r.keyText(), r.offset());
      assertTrue(before == null, "key " + r.keyText() + " at " + before + " and " + r.offset() + " below the cleaner checkpoint " + cleanedUpTo);
    }
    assertTrue(gap, "the cleaner left gaps in the offsets");
  }
}
