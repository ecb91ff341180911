package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.lin.Linearizability;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.Consumer;
import sim.kafka.client.Producer;
import sim.kafka.history.LogOperation;
import sim.kafka.history.PartitionLogModel;
import sim.kafka.log.Log;

/**
 * Kafka's safety checks. Invariants after every event: one leader per epoch, leaders only from the ISR
 * (unless unclean election is on), the HW within every in-sync follower's LEO, replicas agreeing below the
 * HW, consumers served only committed batches, acks=all acknowledged only with min.insync.replicas copies.
 * Final checks after the liveness phase: acknowledged and consumed records kept (a loss excused only by the
 * exact moment Kafka's rules allow it, naming the records), no duplicates, replicas converged, progress,
 * and the partition histories linearizable where Kafka promises it.
 */
final class KafkaChecks {
  private final Simulation sim;
  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  private final ClusterSpec spec;
  private final ReplicaChecks replicas;
  private int ackedChecked;
  private int consumedChecked;

  KafkaChecks(Simulation sim, KafkaCluster cluster, ClusterWatch watch, ClusterSpec spec) {
    this.sim = sim;
    this.cluster = cluster;
    this.watch = watch;
    this.spec = spec;
    this.replicas = new ReplicaChecks(cluster, watch);
  }

  void register() {
    sim.addInvariant("kafka.one-leader-per-epoch", this::oneLeaderPerEpoch);
    sim.addInvariant("kafka.leader-from-isr", this::leaderFromIsr);
    sim.addInvariant("kafka.hw-within-isr-leo", replicas::hwWithinIsrLeo);
    sim.addInvariant("kafka.replicas-agree-below-hw", replicas::replicasAgreeBelowHw);
    sim.addInvariant("kafka.consumers-read-below-hw", this::consumersReadCommitted);
    sim.addInvariant("kafka.acks-all-on-min-insync", this::acksAllOnMinInsync);
    sim.addInvariant("kafka.log-start-within-hw", replicas::logStartWithinHw);
    sim.addFinalCheck("kafka.acked-records-kept", this::ackedRecordsKept);
    sim.addFinalCheck("kafka.no-duplicates", this::noDuplicates);
    sim.addFinalCheck("kafka.consumed-records-stay", this::consumedRecordsStay);
    sim.addFinalCheck("kafka.replicas-converge", this::replicasConverge);
    sim.addFinalCheck("kafka.progress", this::progress);
    sim.addFinalCheck("kafka.partition-linearizable", this::linearizable);
  }

  // ---- invariants ----

  /**
   * Looks at the cluster once and evaluates one invariant alone, so a test can show each one bites on its own
   * even where another would stop the run first.
   */
  String evaluate(String invariant) {
    String seen = oneLeaderPerEpoch();
    return switch (invariant) {
      case "kafka.one-leader-per-epoch" -> seen;
      case "kafka.leader-from-isr" -> leaderFromIsr();
      case "kafka.hw-within-isr-leo" -> replicas.hwWithinIsrLeo();
      case "kafka.replicas-agree-below-hw" -> replicas.replicasAgreeBelowHw();
      case "kafka.consumers-read-below-hw" -> consumersReadCommitted();
      case "kafka.acks-all-on-min-insync" -> acksAllOnMinInsync();
      case "kafka.log-start-within-hw" -> replicas.logStartWithinHw();
      default -> throw new IllegalArgumentException("no invariant " + invariant);
    };
  }

  /** Also the moment the watch looks at the cluster: this invariant runs first after every event. */
  private String oneLeaderPerEpoch() {
    watch.observe();
    String v = watch.violation();
    return v != null && v.contains(" led by both ") ? v : null;
  }

  private String leaderFromIsr() {
    if (spec.broker().uncleanLeaderElectionEnable() || watch.outOfSyncElection() == null) return null;
    return watch.outOfSyncElection() + " with unclean.leader.election.enable=false";
  }

  /**
   * Checked twice, neither time trusting the HW a broker reports: when a leader serves a consumer (every batch
   * served was on every in-sync replica by then, by the independent computation) and when the consumer gets
   * the records (each one's batch committed).
   */
  private String consumersReadCommitted() {
    String served = watch.violation();
    if (served != null && served.contains(" to a consumer")) return served;
    Consumer c = cluster.consumer();
    if (c == null) return null;
    for (; consumedChecked < c.consumedCount(); consumedChecked++) {
      Consumer.Consumed r = c.consumed(consumedChecked);
      TopicPartition tp = cluster.partitions().get(r.partition());
      boolean committed = cluster.compacted(tp) ? watch.commits.valueCommitted(tp, r.offset(), r.value())
          : watch.commits.batchCommitted(tp, r.batchBaseOffset(), r.batchCrc());
      if (!committed) {
        return "consumer read " + r.value() + " at " + tp + ":" + r.offset() + " (response HW " + r.highWatermark()
            + "), but its batch was never on every in-sync replica";
      }
    }
    return null;
  }

  private String acksAllOnMinInsync() {
    Producer p = cluster.producer();
    if (p == null) return null;
    for (; ackedChecked < p.ackedCount(); ackedChecked++) {
      Producer.Acked a = p.acked(ackedChecked);
      if (a.acks() != -1 || a.offset() < 0) continue;
      TopicPartition tp = cluster.partitions().get(a.partition());
      PartitionState s = watch.durable(tp);
      NodeId leader = watch.leaderOf(tp, a.leaderEpoch());
      int holding = s == null ? 0
          : Math.max(watch.commits.replicasHolding(tp, a.leaderEpoch(), a.offset(), s.replicas(), leader), heldInWrittenEpoch(tp, a, leader, s))
              + deletedByRetention(tp, s.replicas(), a.offset());
      if (holding < spec.broker().minInsyncReplicas()) {
        return "acks=all acknowledged " + a.value() + " at " + tp + ":" + a.offset() + " in epoch " + a.leaderEpoch() + " while only "
            + holding + " replica(s) had it (min.insync.replicas=" + spec.broker().minInsyncReplicas() + ")";
      }
      if (!watch.commits.valueCommitted(tp, a.offset(), a.value())) {
        return "acks=all acknowledged " + a.value() + " at " + tp + ":" + a.offset() + " before every in-sync replica had it";
      }
    }
    return null;
  }

  /**
   * The answering leader's log no longer starts at or below {@code offset}: retention deleted the record (it was
   * below the high watermark, so committed by Kafka's rule) and the acknowledgement is a retried batch the
   * producer state recognised as a duplicate. Kafka answers it with the original offset; how many replicas had
   * it cannot grow any more, and acked-records-kept excuses the record by the retention rule.
   */
  /**
   * Replicas whose log start offset has passed {@code offset}: retention or DeleteRecords removed it there (or the
   * replica started its log above it), which kafka.log-start-within-hw allows only below a high watermark, so
   * they count as having had it. A duplicate batch answered from producer state (as Kafka does) after an
   * election may name such an offset while the new leader itself still holds it (swarm seed 1023 of
   * kafka.retention: b2 led with log start 0, b1 and b3 had deleted offsets below 5).
   */
  /**
   * A retried batch the answering leader's producer state recognised as a duplicate is acknowledged with its
   * original offset, in the answering leader's epoch, though it was written (and replicated) in an earlier one
   * (Kafka answers such a duplicate at once when the high watermark is past it). Its replicas are counted in
   * the epoch whose leader wrote it: those that agreed with that leader past the offset (swarm seed 267 of
   * kafka.group-coordinator-failover: v148 written by b1 in epoch 0 and on b1, b2, b3; the retry answered by b2
   * in epoch 1 while b1 and b3 were down). 0 when the batch is of the answering epoch itself or is not found.
   */
  private int heldInWrittenEpoch(TopicPartition tp, Producer.Acked a, NodeId leader, PartitionState s) {
    Broker b = leader == null ? null : cluster.broker(leader);
    Log log = b == null ? null : b.log(tp);
    if (log == null) return 0;
    int i = log.batchIndexAfter(a.offset());
    if (i >= log.batchCount() || log.batch(i).header().baseOffset() > a.offset()) return 0;
    int written = log.batch(i).header().partitionLeaderEpoch();
    if (written >= a.leaderEpoch()) return 0;
    NodeId writer = watch.leaderOf(tp, written);
    return writer == null ? 0 : watch.commits.replicasHolding(tp, written, a.offset(), s.replicas(), writer);
  }

  private int deletedByRetention(TopicPartition tp, List<NodeId> replicas, long offset) {
    int n = 0;
    for (NodeId r : replicas) {
      Broker b = cluster.broker(r);
      Log log = b == null ? null : b.log(tp);
      if (log != null && offset < log.logStartOffset()) n++;
    }
    return n;
  }

  // ---- final checks ----

  private LossLedger resolvedLedger() {
    Map<TopicPartition, Map<Long, String>> finals = new TreeMap<>();
    for (TopicPartition tp : cluster.partitions()) finals.put(tp, cluster.finalLog(tp));
    watch.losses.resolveWithFinalLogs(finals);
    return watch.losses;
  }

  CheckResult ackedRecordsKept() {
    List<Producer.Acked> lost = lostAcked();
    Producer p = cluster.producer();
    String detail = lost.isEmpty() ? "all " + p.acked().size() + " acknowledged records are in the log"
        : lost.size() + " of " + p.acked().size() + " acknowledged records lost";
    return CheckResult.losses("kafka.acked-records-kept", detail, lost.stream().map(ackedKey()::id).toList(), ackedLossRules());
  }

  private List<Producer.Acked> lostAcked() {
    List<Producer.Acked> lost = new ArrayList<>();
    Map<Integer, Map<Long, String>> logs = new TreeMap<>();
    for (Producer.Acked a : cluster.producer().acked()) {
      Map<Long, String> log = logs.computeIfAbsent(a.partition(), i -> cluster.finalLog(cluster.partitions().get(i)));
      boolean kept = a.offset() < 0 ? log.containsValue(a.value()) : a.value().equals(log.get(a.offset()));
      if (!kept) lost.add(a);
    }
    return lost;
  }

  /** Every rule that allows losing some of the lost acknowledged records, with the ones it covers. */
  Map<String, List<String>> ackedLossRules() {
    List<Producer.Acked> lost = lostAcked();
    Map<String, List<String>> rules = resolvedLedger().covered(lost, ackedKey());
    List<String> notCommitted = new ArrayList<>();
    for (Producer.Acked a : lost) {
      TopicPartition tp = cluster.partitions().get(a.partition());
      if (a.acks() != -1 && (a.offset() < 0 || !watch.commits.valueCommitted(tp, a.offset(), a.value()))) notCommitted.add(ackedKey().id(a));
    }
    if (!notCommitted.isEmpty()) {
      rules.put("acks=" + spec.producer().acksName() + ": acknowledged by the leader alone, before any follower had it, and never committed", notCommitted);
    }
    compactionRules(rules, lost, a -> cluster.partitions().get(a.partition()), Producer.Acked::offset, Producer.Acked::key,
        Producer.Acked::value, ackedKey()::id);
    retentionRules(rules, lost, a -> cluster.partitions().get(a.partition()), Producer.Acked::offset, ackedKey()::id);
    return rules;
  }

  /**
   * cleanup.policy=compact: a record the cleaner removed because a later one of its key exists, or a tombstone
   * dropped delete.retention.ms after the clean that first kept it (no later record of its key).
   */
  private <T> void compactionRules(Map<String, List<String>> rules, List<T> lost, java.util.function.Function<T, TopicPartition> tpOf,
      java.util.function.ToLongFunction<T> offsetOf, java.util.function.Function<T, String> keyOf, java.util.function.Function<T, String> valueOf,
      java.util.function.Function<T, String> idOf) {
    List<String> superseded = new ArrayList<>();
    List<String> tombstones = new ArrayList<>();
    Map<TopicPartition, Map<String, Long>> lastOfKey = new TreeMap<>();
    Map<TopicPartition, Map<String, Long>> lastTombstone = new TreeMap<>();
    for (T r : lost) {
      TopicPartition tp = tpOf.apply(r);
      if (!cluster.compacted(tp) || keyOf.apply(r) == null) continue;
      Map<String, Long> last = lastOfKey.computeIfAbsent(tp, this::lastOffsetPerKey);
      long later = last.getOrDefault(keyOf.apply(r), -1L);
      long laterTombstone = lastTombstone.computeIfAbsent(tp, this::lastTombstonePerKey).getOrDefault(keyOf.apply(r), -1L);
      if (later > offsetOf.applyAsLong(r) || laterTombstone > offsetOf.applyAsLong(r)) superseded.add(idOf.apply(r));
      else if ("null".equals(valueOf.apply(r))) tombstones.add(idOf.apply(r));
    }
    if (!superseded.isEmpty()) rules.put("cleanup.policy=compact: the cleaner kept only a later record of the same key (or its later tombstone)", superseded);
    if (!tombstones.isEmpty()) rules.put("cleanup.policy=compact: a tombstone is dropped delete.retention.ms=" + spec.broker().log().deleteRetentionMs()
        + " after the clean that first kept it", tombstones);
  }

  /**
   * Retention (retention.ms, retention.bytes) and DeleteRecords: exactly the records at offsets below the log
   * start offset of the replica the final log is read from are deleted, by rule; one at or above it is not
   * excused by this.
   */
  private <T> void retentionRules(Map<String, List<String>> rules, List<T> lost, java.util.function.Function<T, TopicPartition> tpOf,
      java.util.function.ToLongFunction<T> offsetOf, java.util.function.Function<T, String> idOf) {
    Map<TopicPartition, List<String>> byPartition = new TreeMap<>();
    Map<TopicPartition, Long> starts = new TreeMap<>();
    for (T r : lost) {
      TopicPartition tp = tpOf.apply(r);
      long start = starts.computeIfAbsent(tp, t -> {
        Log source = cluster.finalSourceLog(t);
        return source == null ? 0L : source.logStartOffset();
      });
      long offset = offsetOf.applyAsLong(r);
      if (offset >= 0 && offset < start) byPartition.computeIfAbsent(tp, t -> new ArrayList<>()).add(idOf.apply(r));
    }
    byPartition.forEach((tp, ids) -> rules.put("retention: " + tp + "'s log start offset is " + starts.get(tp) + " (retention.ms="
        + spec.broker().log().retentionMs() + ", retention.bytes=" + spec.broker().log().retentionBytes()
        + " or DeleteRecords): records below it are deleted by design", ids));
  }

  /**
   * Each key's last tombstone offset that a client saw (acknowledged to the producer, or read by a consumer):
   * a record before it may be gone with the tombstone itself, once delete.retention.ms has passed.
   */
  private Map<String, Long> lastTombstonePerKey(TopicPartition tp) {
    Map<String, Long> out = new java.util.HashMap<>();
    Producer p = cluster.producer();
    if (p != null) {
      for (Producer.Acked a : p.acked()) {
        if (a.key() != null && "null".equals(a.value()) && a.offset() >= 0 && cluster.partitions().get(a.partition()).equals(tp)) out.merge(a.key(), a.offset(), Math::max);
      }
    }
    Consumer c = cluster.consumer();
    if (c != null) {
      for (Consumer.Consumed r : c.consumed()) {
        if (r.key() != null && "null".equals(r.value()) && cluster.partitions().get(r.partition()).equals(tp)) out.merge(r.key(), r.offset(), Math::max);
      }
    }
    return out;
  }

  private Map<String, Long> lastOffsetPerKey(TopicPartition tp) {
    Map<String, Long> out = new java.util.HashMap<>();
    Map<Long, String> keys = cluster.finalKeys(tp);
    keys.forEach((o, k) -> out.merge(k, o, Math::max));
    return out;
  }

  private LossLedger.RecordKey<Producer.Acked> ackedKey() {
    return new LossLedger.RecordKey<>() {
      public TopicPartition tp(Producer.Acked a) {
        return cluster.partitions().get(a.partition());
      }

      public long offset(Producer.Acked a) {
        return a.offset();
      }

      public String value(Producer.Acked a) {
        return a.value();
      }

      public int epoch(Producer.Acked a) {
        return a.leaderEpoch();
      }

      public String id(Producer.Acked a) {
        return a.value() + (a.offset() >= 0 ? "@" + tp(a) + ":" + a.offset() : "");
      }
    };
  }

  private CheckResult consumedRecordsStay() {
    String name = "kafka.consumed-records-stay";
    Consumer c = cluster.consumer();
    if (c == null) return CheckResult.ok(name, "no consumer in this scenario");
    List<Consumer.Consumed> gone = new ArrayList<>();
    Map<Integer, Map<Long, String>> logs = new TreeMap<>();
    for (Consumer.Consumed r : c.consumed()) {
      Map<Long, String> log = logs.computeIfAbsent(r.partition(), i -> cluster.finalLog(cluster.partitions().get(i)));
      if (!r.value().equals(log.get(r.offset()))) gone.add(r);
    }
    LossLedger.RecordKey<Consumer.Consumed> key = new LossLedger.RecordKey<>() {
      public TopicPartition tp(Consumer.Consumed r) {
        return cluster.partitions().get(r.partition());
      }

      public long offset(Consumer.Consumed r) {
        return r.offset();
      }

      public String value(Consumer.Consumed r) {
        return r.value();
      }

      public int epoch(Consumer.Consumed r) {
        return r.leaderEpoch();
      }

      public String id(Consumer.Consumed r) {
        return r.value() + "@" + tp(r) + ":" + r.offset();
      }
    };
    String detail = gone.isEmpty() ? "all " + c.consumed().size() + " consumed records are still in the log"
        : gone.size() + " records consumers read (below the high watermark) are no longer in the log";
    Map<String, List<String>> rules = resolvedLedger().covered(gone, key);
    compactionRules(rules, gone, key::tp, Consumer.Consumed::offset, Consumer.Consumed::key, Consumer.Consumed::value, key::id);
    retentionRules(rules, gone, key::tp, Consumer.Consumed::offset, key::id);
    return CheckResult.losses(name, detail, gone.stream().map(key::id).toList(), rules);
  }

  private List<String> duplicatesIn(TopicPartition tp) {
    List<String> dups = new ArrayList<>();
    Map<String, Integer> seen = new TreeMap<>();
    for (String v : cluster.finalLog(tp).values()) if (!v.equals("null")) seen.merge(v, 1, Integer::sum); // tombstones carry no identity
    seen.forEach((v, n) -> {
      if (n > 1) dups.add(v);
    });
    return dups;
  }

  CheckResult noDuplicates() {
    String name = "kafka.no-duplicates";
    List<String> dups = new ArrayList<>();
    for (TopicPartition tp : cluster.dataPartitions()) dups.addAll(duplicatesIn(tp));
    Producer p = cluster.producer();
    Map<String, List<String>> rules = new TreeMap<>();
    if (!spec.producer().enableIdempotence()) {
      rules.put("enable.idempotence=false: a retry resends a batch the leader had already appended", p.resent());
    }
    rules.put("the broker lost the producer's state and the producer bumped its epoch (KIP-360), so batches resent under "
        + "the new epoch cannot be matched to ones appended under the old", p.resentAcrossEpochBumps());
    String detail = dups.isEmpty() ? "every record is in the log once" : dups.size() + " records written more than once";
    return CheckResult.losses(name, detail, dups, rules);
  }

  private CheckResult replicasConverge() {
    String name = "kafka.replicas-converge";
    Controller c = cluster.controller();
    if (c == null) return CheckResult.failed(name, "controller down at the end");
    for (TopicPartition tp : cluster.partitions()) {
      PartitionState s = c.partition(tp);
      Broker leader = s.leader() == null ? null : cluster.broker(s.leader());
      if (leader == null || leader.view(tp) == null) return CheckResult.failed(name, tp + " has no live leader after the liveness phase: " + s);
      long hw = leader.view(tp).highWatermark();
      for (NodeId f : s.isr()) {
        Broker fb = cluster.broker(f);
        if (fb == null || f.equals(s.leader()) || fb.log(tp) == null) continue;
        String diff = cluster.compacted(tp) ? ReplicaChecks.firstRecordDifference(leader.log(tp), fb.log(tp), hw)
            : ReplicaChecks.firstDifference(leader.log(tp), fb.log(tp), hw);
        if (diff != null) return CheckResult.failed(name, tp + " ISR member " + f + " differs from leader below HW " + hw + ": " + diff);
      }
    }
    return CheckResult.ok(name, "every in-sync replica matches its leader below the high watermark");
  }

  private CheckResult progress() {
    Producer p = cluster.producer();
    String detail = "produced " + p.produced() + ", acknowledged " + p.acked().size() + ", failed " + p.failed().size()
        + ", retried " + p.retriesSent() + " times";
    return p.acked().isEmpty() ? CheckResult.failed("kafka.progress", "nothing acknowledged: " + detail) : CheckResult.ok("kafka.progress", detail);
  }

  /**
   * Linearizability per partition, where Kafka promises it: acks=all, the idempotent producer, no unclean
   * election and no moment that lost the ISR's page caches. Partitions that had such a moment are named.
   */
  private CheckResult linearizable() {
    String name = "kafka.partition-linearizable";
    if (spec.producer().acks() != -1 || !spec.producer().enableIdempotence()) {
      return CheckResult.ok(name, "not promised: acks=" + spec.producer().acksName() + ", enable.idempotence=" + spec.producer().enableIdempotence());
    }
    Map<TopicPartition, String> skipped = new TreeMap<>();
    for (TopicPartition tp : cluster.dataPartitions()) {
      if (cluster.compacted(tp)) skipped.put(tp, "cleanup.policy=compact: the cleaner removes superseded records");
      else if (watch.losses.anyFor(tp)) skipped.put(tp, String.join("; ", watch.losses.rulesFor(tp)));
      else if (!duplicatesIn(tp).isEmpty()) skipped.put(tp, "the producer bumped its epoch (KIP-360) and " + duplicatesIn(tp) + " appear twice");
      else if (!watch.commits.committedDuplicates(tp).isEmpty()) {
        // Retention deleted one copy, so the final log no longer shows the duplicate the history still holds.
        skipped.put(tp, "the producer bumped its epoch (KIP-360) and " + watch.commits.committedDuplicates(tp)
            + " were committed twice (retention has deleted a copy since)");
      }
    }
    List<sim.core.lin.Operation<LogOperation, Object>> ops = new ArrayList<>();
    for (var op : cluster.history().history()) {
      if (!skipped.containsKey(cluster.partition(op.input().partition()))) ops.add(op);
    }
    Linearizability.Result<LogOperation, Object> r = Linearizability.check(new PartitionLogModel(), ops);
    String also = skipped.isEmpty() ? "" : "; not promised for " + skipped.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
    if (r.exhausted()) return CheckResult.ok(name, r.describe() + also);
    return CheckResult.of(name, r.linearizable(), r.describe() + also);
  }
}
