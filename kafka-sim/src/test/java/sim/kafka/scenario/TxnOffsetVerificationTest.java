package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.TopicPartition;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.txn.TransactionState;

/**
 * KIP-890 at the group coordinator: a TxnOffsetCommit under the producer's current id and epoch, but for a
 * transaction that never added the offsets partition (no AddOffsetsToTxn; the transformer's last transaction is
 * complete), is verified with the transaction coordinator and refused TRANSACTION_ABORTABLE; without verification it
 * is written, and its offsets stay pending with no marker to settle them.
 */
class TxnOffsetVerificationTest {
  private static final Map<TopicPartition, Long> OFFSETS = Map.of(new TopicPartition("orders", 0), 1_000_000L);

  @Test
  void aTxnOffsetCommitOutsideTheTransactionIsRefused() {
    Outcome o = run(true);
    assertEquals(Errors.TRANSACTION_ABORTABLE, o.answer, o.toString());
    assertFalse(o.pendingAfter.toString().contains("1000000"), "refused offsets are not pending: " + o);
  }

  @Test
  void withoutVerificationItIsWrittenAndHangsPending() {
    Outcome o = run(false);
    assertEquals(Errors.NONE, o.answer, o.toString());
    assertTrue(o.pendingAfter.toString().contains("1000000"), "pending with no marker to come: " + o);
  }

  private record Outcome(Errors answer, TransactionState coordinatorState, Map<String, String> pendingAfter) {}

  private static Outcome run(boolean verification) {
    ClusterSpec base = EosCtpScenario.spec();
    ClusterSpec spec = base.withBroker(base.broker().withTransactionPartitionVerification(verification));
    Simulation sim = new Simulation(1);
    KafkaCluster cluster = KafkaCluster.install(sim, spec);
    Map<Long, Errors> answers = new TreeMap<>();
    NodeId probe = NodeId.of("probe");
    sim.addClient(probe, () -> new ConsumeTransformProduceTest.Probe(cluster, answers));
    // Every input is transformed by then: the transformer's last transaction is complete and no new one starts.
    sim.runUntilTime(Durations.seconds(30));
    TransactionMetadata m = cluster.broker(EosScenarios.leaderOf(cluster, EosCtpScenario.stateTopicPartition())).transactionManager()
        .metadata(EosCtpScenario.TXN_ID);
    assertTrue(m.state().isComplete(), "the transformer is between transactions: " + m);
    NodeId b = EosScenarios.leaderOf(cluster, EosCtpScenario.offsetsTopicPartition());
    sim.node(probe, ConsumeTransformProduceTest.Probe.class).sendOne(b, new KafkaMessage.TxnOffsetCommitRequest(7, EosCtpScenario.TXN_ID,
        EosCtpScenario.GROUP, m.producerId(), m.producerEpoch(), -1, "", OFFSETS));
    sim.runFor(Durations.seconds(2));
    Map<String, String> pending = new TreeMap<>();
    cluster.broker(b).groupCoordinator().pendingTxnOffsets(EosCtpScenario.GROUP).forEach((pid, offs) -> pending.put(String.valueOf(pid), offs.toString()));
    return new Outcome(answers.get(7L), m.state(), pending);
  }
}
