package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.TopicPartition;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.group.GroupCoordinator;

/** Consume-transform-produce: offsets committed inside the transaction, settled by its marker, through crashes. */
class ConsumeTransformProduceTest {
  @Test
  void everyInputIsOutputOnceThroughCrashesOfTheTransformerABrokerAndTheCoordinator() {
    for (long seed = 1; seed <= 3; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(EosCtpScenario.scenario(), RunOptions.seed(seed).withListeners(List.of(events::add)));
      SimTesting.assertOk(r);
      for (String lesson : List.of("kafka.story.offsets-commit-with-the-transaction", "kafka.story.crashed-transformer-fenced",
          "kafka.story.restart-resumes-from-committed-offsets", "kafka.story.unstable-offsets-waited-for", "kafka.story.every-input-transformed")) {
        CheckResult c = r.check(lesson);
        assertTrue(c.ok(), "seed " + seed + ": " + c.render());
      }
      // The crashed instance's transaction had its offsets pending: the fence's ABORT marker discarded them.
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.group.txn-offsets") && e.detail().contains("ABORT marker")
          && e.detail().contains("discards")), "seed " + seed + ": an ABORT marker discarded pending offsets");
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.txn.marker") && e.detail().startsWith(GroupCoordinator.OFFSETS_TOPIC)),
          "seed " + seed + ": markers reach the offsets partition");
    }
  }

  /**
   * Step by step, without faults: the group's committed offsets at its coordinator change only in the step where a
   * COMMIT marker settles a transaction's offsets, never when the TxnOffsetCommit is written; while they are pending
   * they are ahead of the committed ones.
   */
  @Test
  void committedOffsetsChangeOnlyWhenTheCommitMarkerSettlesThem() {
    Simulation sim = new Simulation(1);
    KafkaCluster cluster = KafkaCluster.install(sim, EosCtpScenario.spec());
    List<TraceEvent> step = new ArrayList<>();
    sim.trace().addListener(step::add);
    Map<TopicPartition, Long> last = Map.of();
    int settled = 0;
    int pendingAhead = 0;
    while (sim.nowNanos() < Durations.seconds(20) && sim.pendingEvents() > 0) {
      step.clear();
      sim.step();
      NodeId b = EosScenarios.leaderOf(cluster, EosCtpScenario.offsetsTopicPartition());
      Map<TopicPartition, Long> now = b == null ? null : cluster.broker(b).groupCoordinator().committedOffsets(EosCtpScenario.GROUP);
      if (now == null) continue;
      boolean marker = step.stream().anyMatch(e -> e.kind().equals("kafka.group.txn-offsets") && e.detail().contains("COMMIT marker"));
      if (!now.equals(last)) {
        assertTrue(marker, "committed offsets moved from " + last + " to " + now + " without a COMMIT marker: " + step);
        settled++;
      }
      for (Map<TopicPartition, Long> pending : cluster.broker(b).groupCoordinator().pendingTxnOffsets(EosCtpScenario.GROUP).values()) {
        for (Map.Entry<TopicPartition, Long> e : pending.entrySet()) {
          assertTrue(e.getValue() > now.getOrDefault(e.getKey(), -1L), "pending " + pending + " not ahead of committed " + now);
          pendingAhead++;
        }
      }
      last = new TreeMap<>(now);
    }
    assertTrue(settled > 10, settled + " commits settled");
    assertTrue(pendingAhead > 0, "no offsets were ever seen pending");
  }

  /** The break: offsets auto-committed outside the transaction repeat output after the transformer's crash. */
  @Test
  void offsetsCommittedOutsideTheTransactionDuplicateOutput() {
    RunResult r = ScenarioRunner.run(EosCtpScenario.scenario(), RunOptions.seed(1).withBreaks(java.util.Set.of(
        sim.kafka.broker.RuleBreaks.TXN_OFFSETS_OUTSIDE_TRANSACTION)));
    assertNotNull(r.failure(), r.checks().toString());
    assertEquals(ExactlyOnceCheck.NAME, r.failure().invariant(), r.describeFailure());
  }

  /**
   * A zombie's TxnOffsetCommit: once the restarted transformer's InitProducerId fenced epoch 0 and the ABORT marker
   * reached the offsets partition, a commit under epoch 0 is refused INVALID_PRODUCER_EPOCH by the partition and the
   * committed offsets stay; a commit naming a generation of a group that does not exist is ILLEGAL_GENERATION.
   */
  @Test
  void aFencedEpochsTxnOffsetCommitIsRefused() {
    Simulation sim = new Simulation(1);
    KafkaCluster cluster = KafkaCluster.install(sim, EosCtpScenario.spec());
    Map<Long, Errors> answers = new TreeMap<>();
    NodeId probe = NodeId.of("probe");
    sim.addClient(probe, () -> new Probe(cluster, answers));
    sim.schedule(Durations.seconds(6), "crash the transformer", () -> sim.crash(KafkaCluster.TXN_PRODUCER));
    sim.schedule(Durations.seconds(9), "restart the transformer", () -> sim.restart(KafkaCluster.TXN_PRODUCER));
    sim.runUntilTime(Durations.seconds(15));
    NodeId b = EosScenarios.leaderOf(cluster, EosCtpScenario.offsetsTopicPartition());
    Map<TopicPartition, Long> before = new TreeMap<>(cluster.broker(b).groupCoordinator().committedOffsets(EosCtpScenario.GROUP));
    TransactionMetadata m = cluster.broker(EosScenarios.leaderOf(cluster, EosCtpScenario.stateTopicPartition())).transactionManager()
        .metadata(EosCtpScenario.TXN_ID);
    assertTrue(m.producerEpoch() >= 1, "the restart bumped the epoch: " + m);
    sim.node(probe, Probe.class).send(sim, b, m.producerId());
    sim.runFor(Durations.seconds(1));
    assertEquals(Errors.INVALID_PRODUCER_EPOCH, answers.get(1L), answers.toString());
    assertEquals(Errors.ILLEGAL_GENERATION, answers.get(2L), answers.toString());
    Map<TopicPartition, Long> after = cluster.broker(b).groupCoordinator().committedOffsets(EosCtpScenario.GROUP);
    for (Map.Entry<TopicPartition, Long> e : after.entrySet()) {
      assertTrue(e.getValue() >= before.getOrDefault(e.getKey(), 0L) && e.getValue() < 1_000_000, "the zombie's offsets did not count: " + after);
    }
  }

  /** Sends the two TxnOffsetCommits of {@link #aFencedEpochsTxnOffsetCommitIsRefused} and keeps the answers. */
  static final class Probe implements sim.core.Node {
    private final KafkaCluster cluster;
    private final Map<Long, Errors> answers;
    private sim.core.NodeContext context;

    Probe(KafkaCluster cluster, Map<Long, Errors> answers) {
      this.cluster = cluster;
      this.answers = answers;
    }

    @Override
    public void start(sim.core.NodeContext ctx) {
      context = ctx;
    }

    void send(Simulation sim, NodeId coordinator, long producerId) {
      Map<TopicPartition, Long> zombie = Map.of(new TopicPartition("orders", 0), 1_000_000L);
      context.send(coordinator, new KafkaMessage.TxnOffsetCommitRequest(1, EosCtpScenario.TXN_ID, EosCtpScenario.GROUP, producerId, (short) 0,
          -1, "", zombie));
      context.send(coordinator, new KafkaMessage.TxnOffsetCommitRequest(2, "other-tx", "no-such-group", producerId + 1, (short) 0, 5, "m", zombie));
    }

    /** One request of a test's own. */
    void sendOne(NodeId to, sim.core.Message m) {
      context.send(to, m);
    }

    @Override
    public void onMessage(sim.core.NodeContext ctx, NodeId from, sim.core.Message m) {
      if (m instanceof KafkaMessage.TxnOffsetCommitResponse r) answers.put(r.correlationId(), r.error());
    }

    @Override
    public void onTimer(sim.core.NodeContext ctx, sim.core.Timer t) {}
  }
}
