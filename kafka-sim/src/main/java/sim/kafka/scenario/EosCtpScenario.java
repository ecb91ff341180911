package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.saw;

import java.util.HashSet;
import java.util.Set;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.kafka.broker.RuleBreaks;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.ConsumeTransformProduce;
import sim.kafka.client.TransactionalProducerConfig;
import sim.kafka.client.TxnConsumer;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.scenario.KafkaScenario.StoryCheck;
import sim.kafka.txn.TransactionCoordinator;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.txn.TransactionState;

/**
 * Exactly-once consume-transform-produce: a transformer reads {@code orders}, writes each record transformed to
 * {@code orders-enriched} and commits its input offsets in the same transaction, through crashes of itself, a broker and
 * its transaction coordinator; read_committed sees every input's output exactly once.
 */
final class EosCtpScenario {
  static final String TXN_ID = "transformer-tx";
  static final String GROUP = "transformer";
  static final String OUTPUT = "orders-enriched";
  static final int STATE_PARTITIONS = 3;

  private EosCtpScenario() {}

  static ClusterSpec spec() {
    TransactionalProducerConfig producer = new TransactionalProducerConfig(TXN_ID, OUTPUT, 2, 60_000, Integer.MAX_VALUE, 0, 0, 50, 50,
        30_000, 100, 1000, true);
    ConsumeTransformProduce.Config transformer = new ConsumeTransformProduce.Config("orders", 2, GROUP, 2, 10, false, 5000);
    return KafkaScenarios.acksAllMinIsr2().withPartitions(2).withConsumer(false)
        .withProducer(sim.kafka.client.ProducerConfig.defaults().withWorkload(250, 100, true))
        .withTxn(ClusterSpec.TxnSpec.consumeTransformProduce(producer, STATE_PARTITIONS, transformer));
  }

  static KafkaScenario scenario() {
    return new KafkaScenario("kafka.eos-consume-transform-produce",
        "Exactly-once stream processing: output records and input offsets commit in one transaction, so crashes of the "
            + "transformer, a broker and the transaction coordinator never make read_committed see an input's output twice",
        "A producer writes 250 records to orders-0 and -1. The transformer (transactional.id=" + TXN_ID + ", group " + GROUP
            + ") assign()s both partitions, reads with isolation.level=read_committed and turns each batch of up to 10 polled "
            + "records into one transaction: AddPartitionsToTxn, the transformed records to " + OUTPUT + ", then "
            + "sendOffsetsToTransaction — AddOffsetsToTxn adds the group's __consumer_offsets partition (abs(hash(" + GROUP
            + ")) % " + ClusterSpec.CTP_OFFSETS_PARTITIONS + ") to the transaction (kafka.txn.add-offsets), and TxnOffsetCommit "
            + "writes the next input offsets there as a transactional batch, held pending for the producer id "
            + "(kafka.group.txn-commit) — and EndTxn. The COMMIT marker reaches the output partitions and the offsets partition "
            + "alike: there it makes the pending offsets the group's committed offsets (kafka.group.txn-offsets); an ABORT marker "
            + "discards them. From 6s, as soon as a transaction's offsets are pending (written, not yet settled by a marker), "
            + "the transformer crashes (back at 9s). Its new instance asks for the committed offsets with requireStable and is "
            + "told UNSTABLE_OFFSET_COMMIT (kafka.consumer.offsets-unstable) until its InitProducerId has fenced the old "
            + "instance and aborted the open transaction (kafka.txn.fence): the ABORT marker discards the pending offsets and "
            + "the transformer resumes from the last committed ones (kafka.consumer.committed), redoing the aborted work. At 12s the "
            + "leader of orders-0 crashes (back at 17s); at 19s, with a transaction Ongoing, the transaction coordinator's broker "
            + "crashes (back at 25s). Deviations said here: transaction.state.log.num.partitions=" + STATE_PARTITIONS
            + " and offsets.topic.num.partitions=" + ClusterSpec.CTP_OFFSETS_PARTITIONS + " (Kafka's defaults are 50)."
            + " Breakpoints: kafka.consumer.offsets-unstable, kafka.consumer.committed, kafka.txn.add-partitions, kafka.txn.add-offsets, kafka.group.txn-commit, "
            + "kafka.txn.end, kafka.txn.marker, kafka.group.txn-offsets, kafka.txn.fence, kafka.consumer.poll; `state txn-producer` "
            + "shows the transformer's positions and transaction.",
        spec(), "", 30, 40, EosCtpScenario::faults,
        saw("kafka.story.offsets-commit-with-the-transaction", "kafka.group.txn-offsets", null, "COMMIT marker",
            "a COMMIT marker made the transaction's offsets the group's committed offsets"),
        saw("kafka.story.crashed-transformer-fenced", "kafka.txn.fence", null, TXN_ID,
            "the restarted transformer's InitProducerId fenced and aborted its previous instance's open transaction"),
        resumedFromCommitted("kafka.story.restart-resumes-from-committed-offsets"),
        saw("kafka.story.unstable-offsets-waited-for", "kafka.consumer.offsets-unstable", null, GROUP,
            "the restarted transformer's requireStable OffsetFetch was told UNSTABLE_OFFSET_COMMIT while its previous instance's "
                + "offsets were pending"),
        everyInputTransformed("kafka.story.every-input-transformed"));
  }

  private static void faults(Simulation sim, KafkaCluster cluster) {
    sim.schedule(Durations.seconds(6), "crash the transformer mid-transaction", () -> whenOffsetsPending(sim, cluster, 3000, () -> {
      sim.crash(KafkaCluster.TXN_PRODUCER);
      sim.schedule(Durations.seconds(3), "restart txn-producer", () -> sim.restart(KafkaCluster.TXN_PRODUCER));
    }));
    sim.schedule(Durations.seconds(12), "crash the leader of orders-0", () -> {
      NodeId b = EosScenarios.leaderOf(cluster, new TopicPartition("orders", 0));
      if (b == null) return;
      sim.crash(b);
      sim.schedule(Durations.seconds(5), "restart " + b, () -> sim.restart(b));
    });
    sim.schedule(Durations.seconds(19), "crash the transaction coordinator mid-transaction", () -> whenOngoing(sim, cluster, 400, () -> {
      NodeId b = EosScenarios.leaderOf(cluster, stateTopicPartition());
      if (b == null) return;
      sim.crash(b);
      sim.schedule(Durations.seconds(6), "restart " + b, () -> sim.restart(b));
    }));
  }

  private static boolean ongoing(KafkaCluster cluster) {
    NodeId b = EosScenarios.leaderOf(cluster, stateTopicPartition());
    TransactionMetadata m = b == null ? null : cluster.broker(b).transactionManager().metadata(TXN_ID);
    return m != null && m.state() == TransactionState.ONGOING;
  }

  /** Waits (5 ms steps, at most {@code tries}) for the transformer's transaction to be Ongoing, then acts. */
  private static void whenOngoing(Simulation sim, KafkaCluster cluster, int tries, Runnable act) {
    if (!ongoing(cluster) && tries > 0) {
      sim.schedule(Durations.millis(5), "wait for an Ongoing transaction", () -> whenOngoing(sim, cluster, tries - 1, act));
      return;
    }
    act.run();
  }

  /**
   * Waits (5 ms steps, at most {@code tries}) until the transformer's open transaction has its offsets written and
   * pending at the group coordinator (after TxnOffsetCommit, before EndTxn), then acts.
   */
  private static void whenOffsetsPending(Simulation sim, KafkaCluster cluster, int tries, Runnable act) {
    NodeId b = EosScenarios.leaderOf(cluster, offsetsTopicPartition());
    boolean pending = b != null && !cluster.broker(b).groupCoordinator().pendingTxnOffsets(GROUP).isEmpty();
    // With the break the transformer sends no offsets in its transactions: an Ongoing one is the moment.
    if (sim.isBroken(RuleBreaks.TXN_OFFSETS_OUTSIDE_TRANSACTION)) pending = ongoing(cluster);
    if (!pending && tries > 0) {
      sim.schedule(Durations.millis(5), "wait for pending transactional offsets", () -> whenOffsetsPending(sim, cluster, tries - 1, act));
      return;
    }
    act.run();
  }

  static TopicPartition offsetsTopicPartition() {
    return new TopicPartition(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC,
        sim.kafka.group.GroupCoordinator.partitionFor(GROUP, ClusterSpec.CTP_OFFSETS_PARTITIONS));
  }

  static TopicPartition stateTopicPartition() {
    return new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, TransactionCoordinator.partitionFor(TXN_ID, STATE_PARTITIONS));
  }

  /** The transformer resumed from the group's committed offsets more than once (it restarted or rewound). */
  static StoryCheck resumedFromCommitted(String name) {
    return new StoryCheck(name, c -> {
      int n = c.story().count("kafka.consumer.committed", GROUP);
      var last = c.story().events().stream().filter(e -> e.kind().equals("kafka.consumer.committed")).reduce((a, b) -> b).orElse(null);
      return CheckResult.of(name, n >= 2, n + " starts from the committed offsets" + (last == null ? "" : "; the last at "
          + Durations.format(last.timeNanos()) + ": " + last.detail()));
    });
  }

  /**
   * Once the run quiesced, every record of the input logs (below their high watermarks) has its output returned by the
   * read_committed consumer. A progress check: a run whose faults ended late may not have caught up.
   */
  static StoryCheck everyInputTransformed(String name) {
    return new StoryCheck(name, c -> {
      TxnConsumer rc = c.txnConsumer(KafkaCluster.READ_COMMITTED);
      if (rc == null) return CheckResult.failed(name, "the read_committed consumer is down");
      Set<String> outputs = new HashSet<>();
      for (TxnConsumer.Returned r : rc.returned()) if (r.key() != null) outputs.add(r.key());
      int inputs = 0;
      int missing = 0;
      String firstMissing = null;
      for (TopicPartition tp : c.dataPartitions()) {
        NodeId l = EosScenarios.leaderOf(c, tp);
        if (l == null) return CheckResult.failed(name, tp + " has no leader");
        Log log = c.broker(l).log(tp);
        long hw = c.broker(l).view(tp).highWatermark();
        for (LogRecord r : RecordBatches.allRecords(log.read(log.logStartOffset(), hw, Integer.MAX_VALUE))) {
          if (r.offset() >= hw) continue;
          inputs++;
          if (outputs.contains(tp + "@" + r.offset())) continue;
          missing++;
          if (firstMissing == null) firstMissing = tp + "@" + r.offset();
        }
      }
      return CheckResult.of(name, missing == 0 && inputs > 0, inputs + " input records, " + (inputs - missing) + " with their output "
          + "returned by read_committed" + (missing == 0 ? "" : "; " + missing + " without, the first " + firstMissing) + "; transactions: "
          + c.txnLedger().count("committed") + " committed, " + c.txnLedger().count("aborted") + " aborted, " + c.txnLedger().count("fenced") + " fenced");
    });
  }
}
