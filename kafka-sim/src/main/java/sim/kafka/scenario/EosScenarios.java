package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.saw;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.TransactionalProducerConfig;
import sim.kafka.client.TxnConsumer;
import sim.kafka.client.TxnLedger;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.scenario.KafkaScenario.StoryCheck;
import sim.kafka.txn.TransactionCoordinator;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.txn.TransactionState;

/**
 * Exactly-once: a transactional producer commits and aborts transactions over two partitions while a broker crashes
 * and the transaction coordinator fails over mid-transaction; a read_committed consumer returns only the committed
 * ones, a read_uncommitted one returns the aborted ones too.
 */
final class EosScenarios {
  static final String TXN_ID = "payments-tx";
  static final String TOPIC = "payments";
  static final int STATE_PARTITIONS = 3;
  static final String WATCH = " Breakpoints: kafka.producer.init-transactions, kafka.txn.init, kafka.txn.add-partitions, kafka.leader.append, "
      + "kafka.txn.end, kafka.txn.marker, kafka.txn.complete, kafka.txn.load, kafka.txn.fence, kafka.txn.timeout, kafka.consumer.fetch, "
      + "kafka.consumer.poll; `state b1` shows the transaction coordinator's ids and states, `state rc-consumer` the positions.";

  private EosScenarios() {}

  static ClusterSpec eosCluster() {
    TransactionalProducerConfig producer = TransactionalProducerConfig.defaults(TXN_ID, TOPIC, 2);
    return KafkaScenarios.acksAllMinIsr2().withConsumer(false)
        .withProducer(sim.kafka.client.ProducerConfig.defaults().withWorkload(100, 100, true))
        .withTxn(new ClusterSpec.TxnSpec(producer, STATE_PARTITIONS));
  }

  static KafkaScenario transactions() {
    return new KafkaScenario("kafka.eos-transactions",
        "Exactly-once: transactions commit or abort on every partition at once; read_committed sees only committed records, "
            + "through a broker crash and a coordinator failover mid-transaction",
        "The transactional producer (transactional.id=" + TXN_ID + ") runs 40 transactions of 4 records over " + TOPIC + "-0 and -1, "
            + "each open for about 150 ms of the application's work after its sends are acknowledged, and aborts every third. Its coordinator is the leader of __transaction_state partition abs(hash(" + TXN_ID + ")) % "
            + STATE_PARTITIONS + ": InitProducerId bumps the id's epoch (fencing any older instance), AddPartitionsToTxn opens the "
            + "transaction, the data goes to the partition leaders as transactional batches, and EndTxn makes PrepareCommit or "
            + "PrepareAbort durable in __transaction_state before the coordinator sends WriteTxnMarkers: each leader appends a COMMIT or "
            + "ABORT control batch; once all are in, CompleteCommit/CompleteAbort. Until its marker is on every in-sync replica a "
            + "transaction holds the last stable offset (LSO) back: a read_committed fetch stops there, and gets the aborted "
            + "transactions from the .txnindex to drop their records; read_uncommitted reads up to the high watermark, aborted "
            + "records included. At 4s the leader of " + TOPIC + "-0 crashes (back at 9s); at 11s, as soon as a transaction is "
            + "Ongoing, the coordinator's broker crashes (back at 17s): the next leader of its __transaction_state partition loads "
            + "the id's state from the log (kafka.txn.load) and finishes what was decided. Deviation said here: "
            + "transaction.state.log.num.partitions=" + STATE_PARTITIONS + " (Kafka's default is 50)." + WATCH,
        eosCluster(), "", 25, 40, EosScenarios::faults,
        saw("kafka.story.commits-and-aborts", "kafka.producer.abort", null, TXN_ID, "the producer aborted a transaction"),
        failoverResumes("kafka.story.coordinator-failover-loads-state"),
        readUncommittedSeesAborted("kafka.story.read-uncommitted-sees-aborted"),
        transactionsComplete("kafka.story.transactions-complete"));
  }

  static KafkaScenario zombieFenced() {
    TransactionalProducerConfig first = TransactionalProducerConfig.defaults(TXN_ID, TOPIC, 2).withStart(1000, false);
    TransactionalProducerConfig second = first.withTransactions(20).withStart(12_000, false);
    ClusterSpec spec = eosCluster().withTxn(new ClusterSpec.TxnSpec(first, STATE_PARTITIONS, second));
    return new KafkaScenario("kafka.eos-zombie-fenced",
        "Zombie fencing: a paused producer's transactional.id is taken over by a new instance; the zombie's open transaction is "
            + "aborted and its next request refused with PRODUCER_FENCED or INVALID_PRODUCER_EPOCH",
        "txn-producer runs transactions as " + TXN_ID + ". From 8s, as soon as one is Ongoing, its process is paused (a long GC "
            + "pause, a frozen VM) until 16s. At 12s a new instance with the same transactional.id, txn-producer-2, calls "
            + "initTransactions(): InitProducerId finds the old instance's transaction Ongoing, bumps the epoch (kafka.txn.fence) "
            + "and aborts it with markers carrying the new epoch, answering CONCURRENT_TRANSACTIONS; the retry bumps the epoch "
            + "once more and the new instance commits from then on. When the zombie wakes up, whatever it sends carries the old "
            + "epoch: the coordinator answers PRODUCER_FENCED, a partition leader INVALID_PRODUCER_EPOCH (the ABORT marker "
            + "taught it the new epoch), and the zombie closes (kafka.producer.fenced): its half-done transaction never "
            + "becomes visible to read_committed. Deviation said here: transaction.state.log.num.partitions=" + STATE_PARTITIONS
            + " (Kafka's default is 50)." + WATCH,
        spec, "", 30, 40,
        (sim, cluster) -> sim.schedule(Durations.seconds(8), "pause txn-producer mid-transaction", () -> pauseWhenOngoing(sim, cluster, 400)),
        saw("kafka.story.new-instance-fences-the-old", "kafka.txn.fence", null, TXN_ID, "the new instance's InitProducerId fenced the open transaction"),
        saw("kafka.story.zombie-closes", "kafka.producer.fenced", KafkaCluster.TXN_PRODUCER.name(), TXN_ID, "the zombie was refused and closed"),
        saw("kafka.story.new-instance-commits", "kafka.producer.commit", KafkaCluster.TXN_PRODUCER_2.name(), TXN_ID, "the new instance committed"),
        transactionsComplete("kafka.story.transactions-complete"));
  }

  static final String AUDIT_ID = "audit-tx";

  static KafkaScenario hangingTransaction() {
    TransactionalProducerConfig hung = TransactionalProducerConfig.defaults(TXN_ID, TOPIC, 2);
    TransactionalProducerConfig audit = new TransactionalProducerConfig(AUDIT_ID, TOPIC, 2, 60_000, 60, 2, 0, 50, 1000, 30_000, 100, 1000, true);
    ClusterSpec spec = eosCluster().withTxn(new ClusterSpec.TxnSpec(hung, STATE_PARTITIONS, audit));
    return new KafkaScenario("kafka.eos-hanging-transaction",
        "A hanging transaction: its producer dies mid-transaction, the LSO stops there and read_committed sees nothing newer "
            + "until transaction.timeout.ms (60000) expires and the coordinator aborts it",
        "Two transactional producers share " + TOPIC + ": txn-producer (" + TXN_ID + ") and txn-producer-2 (" + AUDIT_ID + ", a "
            + "transaction every second). At 5s, as soon as " + TXN_ID + " has a transaction Ongoing with data in the log, its "
            + "process dies and stays down. Its transaction holds the last stable offset of both partitions at its first offset: "
            + AUDIT_ID + " keeps committing, but a read_committed consumer reads nothing past that offset — one slow transaction "
            + "holds back every later committed record of the partition (read_uncommitted keeps reading). Every "
            + "transaction.abort.timed.out.transaction.cleanup.interval.ms (10s) the coordinator looks for transactions open longer "
            + "than their transaction.timeout.ms (60s by default): at about 70s it fences " + TXN_ID + " (epoch + 1) and aborts it "
            + "(kafka.txn.timeout); the ABORT markers free the LSO and read_committed catches up with everything " + AUDIT_ID
            + " committed meanwhile. Transaction verification (KIP-890, transaction.partition.verification.enable=true since "
            + "Kafka 3.6) does not change this story: the transaction is Ongoing at its coordinator, which verified its partitions "
            + "and times it out; the hanging transaction verification prevents — a late append the coordinator no longer knows "
            + "of — is kafka.eos-verification-prevents-hanging. Deviation said here: transaction.state.log.num.partitions=" + STATE_PARTITIONS
            + " (Kafka's default is 50)." + WATCH,
        spec, "", 75, 40,
        (sim, cluster) -> sim.schedule(Durations.seconds(5), "crash txn-producer mid-transaction", () -> crashProducerWhenOngoing(sim, cluster, 400)),
        saw("kafka.story.coordinator-aborts-the-hanging-transaction", "kafka.txn.timeout", null, TXN_ID,
            "the coordinator aborted the transaction after transaction.timeout.ms"),
        heldBackUntilTimeout("kafka.story.lso-holds-back-later-commits"));
  }

  /** Waits for {@link #TXN_ID}'s transaction to be Ongoing with data in both partitions, then crashes its producer. */
  private static void crashProducerWhenOngoing(Simulation sim, KafkaCluster cluster, int tries) {
    NodeId b = leaderOf(cluster, stateTopicPartition());
    TransactionMetadata m = b == null ? null : cluster.broker(b).transactionManager().metadata(TXN_ID);
    boolean open = m != null && m.state() == TransactionState.ONGOING;
    for (TopicPartition tp : cluster.txnPartitions()) {
      // Its data must be in both partitions' logs: that is what holds their LSO back.
      NodeId l = leaderOf(cluster, tp);
      open = open && l != null && cluster.broker(l).log(tp).producers().ongoingTxns().containsValue(m.producerId());
    }
    if (!open && tries > 0) {
      sim.schedule(Durations.millis(5), "wait for an Ongoing transaction", () -> crashProducerWhenOngoing(sim, cluster, tries - 1));
      return;
    }
    sim.crash(KafkaCluster.TXN_PRODUCER);
  }

  /**
   * A transaction of {@link #AUDIT_ID} committed while the hung one was open, and the read_committed consumer returned
   * it only after the coordinator aborted the hung one.
   */
  static StoryCheck heldBackUntilTimeout(String name) {
    return new StoryCheck(name, c -> {
      var timeout = c.story().first("kafka.txn.timeout", null, TXN_ID);
      if (timeout == null) return CheckResult.failed(name, "no hanging transaction timed out");
      // The hung transaction opened with its last AddPartitionsToTxn before the timeout.
      sim.core.trace.TraceEvent opened = null;
      for (var e : c.story().events()) {
        if (e.timeNanos() > timeout.timeNanos()) break;
        if (e.kind().equals("kafka.txn.add-partitions") && e.detail().contains(TXN_ID)) opened = e;
      }
      if (opened == null) return CheckResult.failed(name, TXN_ID + " never opened a transaction");
      long hungSince = opened.timeNanos();
      var commit = c.story().first(e -> e.kind().equals("kafka.producer.commit") && e.node().equals(KafkaCluster.TXN_PRODUCER_2.name())
          && e.timeNanos() > hungSince + Durations.seconds(1));
      if (commit == null) return CheckResult.failed(name, AUDIT_ID + " committed nothing while the transaction hung");
      String value = commit.detail().substring(commit.detail().indexOf('[') + 1).split("[,\\]]")[0].strip();
      var read = c.story().first(e -> e.kind().equals("kafka.consumer.poll") && e.node().equals(KafkaCluster.READ_COMMITTED.name())
          && e.detail().contains(value + ",") || e.kind().equals("kafka.consumer.poll") && e.node().equals(KafkaCluster.READ_COMMITTED.name())
          && e.detail().contains(value + "]"));
      if (read == null) return CheckResult.failed(name, "read_committed never returned " + value);
      return CheckResult.of(name, read.timeNanos() > timeout.timeNanos(), value + " committed at " + Durations.format(commit.timeNanos())
          + ", returned by read_committed at " + Durations.format(read.timeNanos()) + ", after the hung transaction's abort at "
          + Durations.format(timeout.timeNanos()));
    });
  }

  /** Waits (5 ms steps, at most {@code tries}) for a transaction to be Ongoing, then pauses the producer for 8 s. */
  private static void pauseWhenOngoing(Simulation sim, KafkaCluster cluster, int tries) {
    NodeId b = leaderOf(cluster, stateTopicPartition());
    TransactionMetadata m = b == null ? null : cluster.broker(b).transactionManager().metadata(TXN_ID);
    if ((m == null || m.state() != TransactionState.ONGOING) && tries > 0) {
      sim.schedule(Durations.millis(5), "wait for an Ongoing transaction", () -> pauseWhenOngoing(sim, cluster, tries - 1));
      return;
    }
    sim.pause(KafkaCluster.TXN_PRODUCER);
    sim.schedule(Durations.seconds(8), "resume txn-producer", () -> sim.resume(KafkaCluster.TXN_PRODUCER));
  }

  private static void faults(Simulation sim, KafkaCluster cluster) {
    sim.schedule(Durations.seconds(4), "crash the leader of " + TOPIC + "-0", () -> {
      NodeId b = leaderOf(cluster, new TopicPartition(TOPIC, 0));
      if (b == null) return;
      sim.crash(b);
      sim.schedule(Durations.seconds(5), "restart " + b, () -> sim.restart(b));
    });
    sim.schedule(Durations.seconds(11), "crash the transaction coordinator mid-transaction", () -> crashCoordinatorWhenOngoing(sim, cluster, 400));
  }

  /** Waits (5 ms steps, at most {@code tries}) for the transaction to be Ongoing, then crashes its coordinator. */
  private static void crashCoordinatorWhenOngoing(Simulation sim, KafkaCluster cluster, int tries) {
    NodeId b = leaderOf(cluster, stateTopicPartition());
    Broker broker = b == null ? null : cluster.broker(b);
    TransactionMetadata m = broker == null ? null : broker.transactionManager().metadata(TXN_ID);
    boolean ongoing = m != null && m.state() == TransactionState.ONGOING;
    if (!ongoing && tries > 0) {
      sim.schedule(Durations.millis(5), "wait for an Ongoing transaction", () -> crashCoordinatorWhenOngoing(sim, cluster, tries - 1));
      return;
    }
    if (b == null) return;
    sim.crash(b);
    sim.schedule(Durations.seconds(6), "restart " + b, () -> sim.restart(b));
  }

  static TopicPartition stateTopicPartition() {
    return stateTopicPartitionOf(TXN_ID);
  }

  static TopicPartition stateTopicPartitionOf(String transactionalId) {
    return new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, TransactionCoordinator.partitionFor(transactionalId, STATE_PARTITIONS));
  }

  static NodeId leaderOf(KafkaCluster cluster, TopicPartition tp) {
    for (NodeId b : cluster.brokers()) {
      Broker br = cluster.broker(b);
      var v = br == null ? null : br.view(tp);
      if (v != null && v.leader()) return b;
    }
    return null;
  }

  /** A broker other than the first coordinator loaded the id's state and completed a transaction after that. */
  static StoryCheck failoverResumes(String name) {
    return new StoryCheck(name, c -> {
      var first = c.story().first("kafka.txn.init", null, TXN_ID);
      if (first == null) return CheckResult.failed(name, "the producer never initialized");
      var load = c.story().first(e -> e.kind().equals("kafka.txn.load") && e.detail().contains(TXN_ID) && !e.node().equals(first.node()));
      if (load == null) return CheckResult.failed(name, "no other broker loaded " + TXN_ID + "'s state (first coordinator " + first.node() + ")");
      var done = c.story().first(e -> e.kind().equals("kafka.txn.complete") && e.node().equals(load.node()) && e.timeNanos() >= load.timeNanos());
      return CheckResult.of(name, done != null, first.node() + " coordinated first; " + load.node() + " loaded at "
          + Durations.format(load.timeNanos()) + ": " + load.detail() + (done == null ? "; and completed nothing" : "; then " + done.detail()));
    });
  }

  /** The read_uncommitted consumer returned a record of a transaction the producer aborted. */
  static StoryCheck readUncommittedSeesAborted(String name) {
    return new StoryCheck(name, c -> {
      TxnConsumer ru = c.txnConsumer(KafkaCluster.READ_UNCOMMITTED);
      Set<String> aborted = new HashSet<>();
      for (TxnLedger.Txn t : c.txnLedger().transactions()) if (t.outcome().equals("aborted")) aborted.addAll(t.values());
      if (ru == null) return CheckResult.failed(name, "the read_uncommitted consumer is down");
      for (TxnConsumer.Returned r : ru.returned()) {
        if (aborted.contains(r.value())) return CheckResult.ok(name, "read_uncommitted returned " + r.value() + " of an aborted transaction at " + TOPIC + "-" + r.partition() + ":" + r.offset());
      }
      return CheckResult.failed(name, "read_uncommitted returned no aborted record (" + aborted.size() + " aborted)");
    });
  }

  /**
   * Every transaction ended: the producer finished its transactions, the coordinator holds the id Complete, no
   * partition's LSO lags its high watermark, and the read_committed consumer returned exactly the committed
   * transactional records of the final logs, in order.
   */
  static StoryCheck transactionsComplete(String name) {
    return new StoryCheck(name, c -> {
      TxnLedger ledger = c.txnLedger();
      long committed = ledger.count("committed");
      long aborted = ledger.count("aborted");
      NodeId coordinator = leaderOf(c, stateTopicPartition());
      TransactionMetadata m = coordinator == null ? null : c.broker(coordinator).transactionManager().metadata(TXN_ID);
      if (m == null || !m.state().isComplete()) return CheckResult.failed(name, "the coordinator holds " + TXN_ID + " as " + m);
      TxnConsumer rc = c.txnConsumer(KafkaCluster.READ_COMMITTED);
      if (rc == null) return CheckResult.failed(name, "the read_committed consumer is down");
      for (TopicPartition tp : c.txnPartitions()) {
        NodeId l = leaderOf(c, tp);
        if (l == null) return CheckResult.failed(name, tp + " has no leader");
        Log log = c.broker(l).log(tp);
        long hw = c.broker(l).view(tp).highWatermark();
        if (log.lastStableOffset(hw) != hw) return CheckResult.failed(name, tp + " LSO " + log.lastStableOffset(hw) + " below HW " + hw + ": a transaction hangs");
        List<String> expected = committedValues(log, hw);
        List<String> got = new ArrayList<>();
        for (TxnConsumer.Returned r : rc.returned()) if (r.partition() == tp.partition()) got.add(r.value());
        if (!expected.equals(got)) return CheckResult.failed(name, tp + ": read_committed returned " + got.size() + " records, the log commits " + expected.size());
      }
      return CheckResult.of(name, committed > 0 && aborted > 0, committed + " transactions committed, " + aborted + " aborted, "
          + ledger.count("fenced") + " fenced; " + TXN_ID + " " + m.state() + "; read_committed returned every committed record, in order");
    });
  }

  /** The committed transactional records below {@code hw}, in offset order: each batch whose producer's next marker is COMMIT. */
  static List<String> committedValues(Log log, long hw) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < log.batchCount(); i++) {
      BatchHeader h = log.batch(i).header();
      if (h.lastOffset() >= hw || h.isControlBatch()) continue;
      if (nextMarker(log, i) != ControlRecordType.COMMIT) continue;
      for (LogRecord r : RecordBatches.records(log.readBatch(log.batch(i)), 0)) out.add(r.valueText());
    }
    return out;
  }

  private static ControlRecordType nextMarker(Log log, int index) {
    long pid = log.batch(index).header().producerId();
    for (int i = index + 1; i < log.batchCount(); i++) {
      Log.BatchRef ref = log.batch(i);
      if (ref.header().isControlBatch() && ref.header().producerId() == pid) return ControlBatches.marker(log.readBatch(ref), 0).type();
    }
    return null;
  }
}
