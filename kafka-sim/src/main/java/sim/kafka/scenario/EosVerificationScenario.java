package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.saw;

import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.TransactionalProducerConfig;
import sim.kafka.scenario.KafkaScenario.StoryCheck;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.txn.TransactionState;

/**
 * KIP-890 part 1: a produce request stuck in the network arrives after its transaction was aborted; the partition
 * leader asks the transaction coordinator first and refuses it, so it cannot open a transaction nobody will end.
 */
final class EosVerificationScenario {
  static final String NAME = "kafka.eos-verification-prevents-hanging";
  static final int HUNG_TIMEOUT_MS = 30_000;
  static final long STALL_MS = 25_000;

  private EosVerificationScenario() {}

  static KafkaScenario scenario() {
    return scenario(true);
  }

  /** {@code verification}: the brokers' transaction.partition.verification.enable (false: as before Kafka 3.6). */
  static KafkaScenario scenario(boolean verification) {
    TransactionalProducerConfig hung = new TransactionalProducerConfig(EosScenarios.TXN_ID, EosScenarios.TOPIC, 2, HUNG_TIMEOUT_MS, 40, 4, 0,
        150, 150, 5_000, 100, 1000, true, 15_000);
    TransactionalProducerConfig audit = new TransactionalProducerConfig(EosScenarios.AUDIT_ID, EosScenarios.TOPIC, 2, 60_000, 60, 2, 0, 50,
        1000, 30_000, 100, 1000, true);
    ClusterSpec base = EosScenarios.eosCluster().withTxn(new ClusterSpec.TxnSpec(hung, EosScenarios.STATE_PARTITIONS, audit));
    ClusterSpec spec = base.withBroker(base.broker().withTransactionPartitionVerification(verification));
    return new KafkaScenario(NAME,
        "Transaction verification (KIP-890, on by default since Kafka 3.6): a produce request that arrives after its transaction "
            + "was aborted is refused, so it cannot leave a hanging transaction behind",
        "Two transactional producers share " + EosScenarios.TOPIC + ": txn-producer (" + EosScenarios.TXN_ID + ", request.timeout.ms=5000, "
            + "delivery.timeout.ms=15000, transaction.timeout.ms=" + HUNG_TIMEOUT_MS + ") and txn-producer-2 (" + EosScenarios.AUDIT_ID
            + ", a transaction every second). From 5s, as soon as a transaction of " + EosScenarios.TXN_ID + " is Ongoing, the link from "
            + "txn-producer to the leader of one of its partitions (one that is not its transaction coordinator) stalls: every "
            + "request sent on it takes " + (STALL_MS / 1000) + "s. The producer retries after request.timeout.ms, and after "
            + "delivery.timeout.ms the batch expires (kafka.producer.batch-expired): an abortable error, so it aborts the "
            + "transaction (EndTxn ABORT, same epoch) — the coordinator writes the ABORT markers and CompleteAbort — and the "
            + "application stops. Then the stalled requests arrive, with the producer's id, epoch and next sequence: without "
            + "verification (transaction.partition.verification.enable=false, as before Kafka 3.6) the leader appends the batch "
            + "and opens a transaction its coordinator no longer knows: no marker and no timeout will ever end it, and its "
            + "first offset holds the partition's LSO for good. With verification, the leader first asks the coordinator "
            + "(AddPartitionsToTxn v4, verifyOnly=true, batched per coordinator; kafka.txn.verify) whether the partition is in the "
            + "producer's ongoing transaction: it is not (CompleteAbort), so the batch is refused TRANSACTION_ABORTABLE "
            + "(kafka.leader.txn-unverified) and read_committed keeps up with " + EosScenarios.AUDIT_ID + ". Invariant "
            + HangingTxnCheck.NAME + " (try --break kafka.txn-verification-skipped). Deviations said here: the short client "
            + "timeouts, transaction.state.log.num.partitions=" + EosScenarios.STATE_PARTITIONS + " (Kafka's default is 50)."
            + " Breakpoints: kafka.producer.batch-expired, kafka.producer.abort, kafka.txn.verify, kafka.leader.txn-unverified, "
            + "kafka.leader.append.",
        spec, "", 75, 40, EosVerificationScenario::faults,
        saw("kafka.story.batch-expired-and-aborted", "kafka.producer.batch-expired", null, EosScenarios.TXN_ID,
            "the stalled batch expired after delivery.timeout.ms and the producer aborted"),
        lateAppendRefused("kafka.story.late-append-refused"),
        noPartitionHeldBack("kafka.story.no-lso-held-back"));
  }

  private static void faults(Simulation sim, KafkaCluster cluster) {
    new HangingTxnCheck(cluster, Map.of(EosScenarios.TXN_ID, HUNG_TIMEOUT_MS, EosScenarios.AUDIT_ID, 60_000)).install(sim);
    sim.schedule(Durations.seconds(5), "stall a link of txn-producer when a transaction begins", () -> stallWhenOngoing(sim, cluster, 5000, true));
  }

  /** Waits (1 ms steps) for a transaction of the id to turn Ongoing, then stalls the link to a partition leader. */
  private static void stallWhenOngoing(Simulation sim, KafkaCluster cluster, int tries, boolean wasOngoing) {
    NodeId coordinator = EosScenarios.leaderOf(cluster, EosScenarios.stateTopicPartition());
    TransactionMetadata m = coordinator == null ? null : cluster.broker(coordinator).transactionManager().metadata(EosScenarios.TXN_ID);
    boolean ongoing = m != null && m.state() == TransactionState.ONGOING;
    NodeId target = null;
    for (TopicPartition tp : cluster.txnPartitions()) {
      NodeId l = EosScenarios.leaderOf(cluster, tp);
      if (l != null && !l.equals(coordinator)) target = l;
    }
    if (!(ongoing && !wasOngoing && target != null)) {
      if (tries > 0) sim.schedule(Durations.millis(1), "wait for a transaction to begin", () -> stallWhenOngoing(sim, cluster, tries - 1, ongoing));
      return;
    }
    NodeId stalled = target;
    sim.network().setLinkLatency(KafkaCluster.TXN_PRODUCER, stalled, Durations.millis(STALL_MS), Durations.millis(STALL_MS));
    sim.schedule(Durations.millis(1), "stop txn-producer after its abort", () -> stopAfterAbort(sim, cluster, stalled, sim.nowNanos(), 60_000));
  }

  /** After the abort the application stops (its process frozen) and the link heals; the stalled requests still arrive. */
  private static void stopAfterAbort(Simulation sim, KafkaCluster cluster, NodeId stalled, long since, int tries) {
    var abort = cluster.story().first(e -> e.kind().equals("kafka.producer.abort") && e.node().equals(KafkaCluster.TXN_PRODUCER.name())
        && e.timeNanos() >= since);
    if (abort == null && tries > 0) {
      sim.schedule(Durations.millis(1), "wait for the abort", () -> stopAfterAbort(sim, cluster, stalled, since, tries - 1));
      return;
    }
    sim.pause(KafkaCluster.TXN_PRODUCER);
    sim.network().setLinkLatency(KafkaCluster.TXN_PRODUCER, stalled, sim.network().minLatencyNanos(), sim.network().maxLatencyNanos());
  }

  /** A transactional batch of the id arrived after its producer's abort and was refused. */
  static StoryCheck lateAppendRefused(String name) {
    return new StoryCheck(name, c -> {
      var expired = c.story().first("kafka.producer.batch-expired", null, EosScenarios.TXN_ID);
      if (expired == null) return CheckResult.failed(name, "no batch expired");
      var refused = c.story().first(e -> e.kind().equals("kafka.leader.txn-unverified") && e.detail().contains(EosScenarios.TXN_ID)
          && e.timeNanos() > expired.timeNanos());
      return CheckResult.of(name, refused != null, refused == null ? "no late append was refused"
          : "at " + Durations.format(refused.timeNanos()) + ": " + refused.detail());
    });
  }

  /** At the end no partition's LSO is held behind its high watermark: nothing hangs. */
  static StoryCheck noPartitionHeldBack(String name) {
    return new StoryCheck(name, c -> {
      for (TopicPartition tp : c.txnPartitions()) {
        NodeId l = EosScenarios.leaderOf(c, tp);
        if (l == null) return CheckResult.failed(name, tp + " has no leader");
        long hw = c.broker(l).view(tp).highWatermark();
        long lso = c.broker(l).log(tp).lastStableOffset(hw);
        if (lso != hw) return CheckResult.failed(name, tp + " LSO " + lso + " below HW " + hw + ": a transaction hangs");
      }
      return CheckResult.ok(name, "every partition's LSO is at its high watermark");
    });
  }
}
