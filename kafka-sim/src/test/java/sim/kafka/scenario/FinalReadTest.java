package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.NodeId;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.RecordBatches;

/**
 * The final checks read a partition without throwing on a batch damaged on a running broker's disk: Kafka
 * rereads stored batches only in recovery after an unclean shutdown, so the damaged copy stays while the other
 * replicas hold the batch intact (exploration of kafka.corrupt-segment-recovery, seed 616).
 */
class FinalReadTest {
  private static final TopicPartition ORDERS = new TopicPartition("orders", 0);

  @Test
  void aByteFlippedOnTheRunningLeaderIsReadFromAnIntactReplicaAndNoCheckThrows() {
    Log[] b2 = new Log[1];
    RunResult r = ScenarioRunner.run(KafkaScenarios.corruptSegmentRecovery(), RunOptions.seed(616).withFaults("at 10s crash b1"),
        sim -> b2[0] = sim.node(NodeId.of("b2"), Broker.class).log(ORDERS));
    assertTrue(r.ok(), r.describeFailure());
    for (CheckResult c : r.checks()) assertTrue(!c.detail().contains("the check threw"), c.render());
    CheckResult kept = r.check("kafka.acked-records-kept");
    assertTrue(kept.ok() && !kept.expected(), kept.render());
    // b2 never restarted, so its damaged batch is still on its disk: the read above did meet it
    assertThrows(CorruptRecordException.class, () -> RecordBatches.allRecords(b2[0].read(0, Long.MAX_VALUE, Integer.MAX_VALUE)));
  }

  @Test
  void aBatchNoReplicaHoldsIntactIsLeftOutNotThrown() {
    Log[] b2 = new Log[1];
    ScenarioRunner.run(KafkaScenarios.corruptSegmentRecovery(), RunOptions.seed(616).withFaults("at 10s crash b1"),
        sim -> b2[0] = sim.node(NodeId.of("b2"), Broker.class).log(ORDERS));
    int all = b2[0].logEndOffset() > 0 ? (int) b2[0].logEndOffset() : 0;
    int read = FinalRead.records(b2[0], List.of(), false).size();
    assertTrue(read < all && read > 0, "the damaged batch's records are left out: read " + read + " of " + all);
  }
}
