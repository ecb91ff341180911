package sim.kafka.scenario;

/*
 * K5's baseline: a copy of the per-event walk as it was before the replica snapshot (commit 3db45df), kept
 * only to be measured against. Do not use it for anything else.
 */

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * Watches the cluster after every event, from the outside: which broker leads which epoch, every election the
 * controller decided (from the ISR or not), what the controller made durable, which in-sync replicas kept
 * their page cache, and (through {@link CommitTracker}) what every in-sync replica had. The invariants and
 * final checks read it; the moments that allow losses go to the {@link LossLedger}.
 */
final class K5OldWatch {
  /** A leader change the controller decided. {@code fromIsr}: the new leader was in the ISR just before. */
  record Election(TopicPartition tp, int epoch, NodeId leader, boolean fromIsr, List<NodeId> isrBefore, long atNanos) {}

  private record EpochKey(TopicPartition tp, int epoch) {}

  private record ElectionKey(TopicPartition tp, int epoch, NodeId leader) {}

  private record ReplicaKey(TopicPartition tp, NodeId replica) {}

  private final Simulation sim;
  private final KafkaCluster cluster;
  final K5OldCommitTracker commits;
  final LossLedger losses = new LossLedger();
  private final Map<TopicPartition, PartitionState> durable = new TreeMap<>();
  private final Map<EpochKey, List<NodeId>> isrOfEpoch = new HashMap<>();
  private final Map<TopicPartition, PartitionState> decided = new TreeMap<>();
  private final Map<ElectionKey, Election> elections = new HashMap<>();
  private final Map<EpochKey, NodeId> leaderOfEpoch = new HashMap<>();
  private final Map<TopicPartition, Integer> maxEpoch = new HashMap<>();
  private final Map<ReplicaKey, Integer> joinedIncarnation = new HashMap<>();
  private int controllerIncarnation = -1;
  private long seenVersion = -1;
  private long seenDurableVersion = -1;
  private String violation;
  private String outOfSyncElection;

  K5OldWatch(Simulation sim, KafkaCluster cluster) {
    this.sim = sim;
    this.cluster = cluster;
    this.commits = new K5OldCommitTracker(cluster::compacted);
  }

  /** The first safety violation seen while watching (two leaders in one epoch, a consumer served uncommitted data). */
  String violation() {
    return violation;
  }

  /** The first election of a replica outside the ISR, or null. */
  String outOfSyncElection() {
    return outOfSyncElection;
  }

  /** The broker that led {@code epoch} of {@code tp}, as first seen; null if none was seen. */
  NodeId leaderOf(TopicPartition tp, int epoch) {
    return leaderOfEpoch.get(new EpochKey(tp, epoch));
  }

  PartitionState durable(TopicPartition tp) {
    return durable.get(tp);
  }

  /** The ISR the controller last made durable for {@code epoch} of {@code tp}. */
  List<NodeId> isrOfEpoch(TopicPartition tp, int epoch) {
    return isrOfEpoch.get(new EpochKey(tp, epoch));
  }

  void observe() {
    observeController();
    for (NodeId b : cluster.brokers()) {
      Broker broker = cluster.broker(b);
      if (broker == null) continue;
      for (TopicPartition tp : cluster.partitions()) {
        Broker.ReplicaView v = broker.view(tp);
        if (v != null && v.leader()) observeLeader(tp, b, broker, v);
      }
    }
    for (TopicPartition tp : cluster.partitions()) {
      observeIsr(tp);
      if (losses.awaitsReplicas()) losses.replicasBack(tp, replicas(tp));
    }
  }

  private LossLedger.Replicas replicas(TopicPartition tp) {
    return new LossLedger.Replicas() {
      public boolean up(NodeId r) {
        return cluster.broker(r) != null;
      }

      public int incarnation(NodeId r) {
        return sim.incarnation(r);
      }

      public Map<Long, String> log(NodeId r) {
        Broker b = cluster.broker(r);
        return b == null ? Map.of() : values(b.log(tp));
      }
    };
  }

  private void observeController() {
    Controller c = cluster.controller();
    if (c == null) return;
    int incarnation = sim.incarnation(KafkaCluster.CONTROLLER);
    if (incarnation == controllerIncarnation && c.metadataVersion() == seenVersion && c.durableVersion() == seenDurableVersion) return;
    seenVersion = c.metadataVersion();
    seenDurableVersion = c.durableVersion();
    for (PartitionState s : c.durablePartitions()) {
      PartitionState before = durable.put(s.tp(), s);
      isrOfEpoch.put(new EpochKey(s.tp(), s.leaderEpoch()), s.isr());
      if (before == null || !before.isr().equals(s.isr())) {
        for (NodeId r : s.isr()) if (before == null || !before.isr().contains(r)) joinedIncarnation.put(new ReplicaKey(s.tp(), r), sim.incarnation(r));
      }
      if (s.leader() != null && (before == null || before.leaderEpoch() != s.leaderEpoch())) confirm(s);
    }
    for (PartitionState s : c.partitions()) {
      PartitionState prev = decided.get(s.tp());
      decided.put(s.tp(), s);
      maxEpoch.merge(s.tp(), s.leaderEpoch(), Math::max);
      if (prev == null || incarnation != controllerIncarnation || s.leader() == null || s.leaderEpoch() <= prev.leaderEpoch()) continue;
      boolean fromIsr = prev.isr().contains(s.leader()) || prev.leaderEpoch() < 0;
      Election e = new Election(s.tp(), s.leaderEpoch(), s.leader(), fromIsr, prev.isr(), sim.nowNanos());
      elections.put(new ElectionKey(s.tp(), s.leaderEpoch(), s.leader()), e);
      if (!fromIsr && outOfSyncElection == null) {
        outOfSyncElection = s.tp() + " epoch " + s.leaderEpoch() + " went to " + s.leader() + ", not in the ISR " + prev.isr();
      }
    }
    controllerIncarnation = incarnation;
  }

  /** A decision became durable: if it was an election from outside the ISR, it may lose records. */
  private void confirm(PartitionState s) {
    Election e = elections.get(new ElectionKey(s.tp(), s.leaderEpoch(), s.leader()));
    if (e != null && !e.fromIsr()) losses.uncleanElection(s.tp(), s.leaderEpoch(), s.leader(), e.atNanos());
  }

  private void observeLeader(TopicPartition tp, NodeId b, Broker broker, Broker.ReplicaView v) {
    EpochKey key = new EpochKey(tp, v.leaderEpoch());
    NodeId before = leaderOfEpoch.putIfAbsent(key, b);
    if (before == null) {
      maxEpoch.merge(tp, v.leaderEpoch(), Math::max);
      // From now on this replica's log is the partition's: it holds what it holds, whatever it lost before.
      joinedIncarnation.put(new ReplicaKey(tp, b), sim.incarnation(b));
      losses.newLeader(tp, v.leaderEpoch(), b, () -> values(broker.log(tp)));
    } else if (!before.equals(b) && violation == null) {
      violation = tp + " epoch " + v.leaderEpoch() + " led by both " + before + " and " + b;
    }
    List<NodeId> isr = isrOfEpoch.get(key);
    if (isr == null) return;
    commits.observe(tp, v.leaderEpoch(), b, broker.log(tp), durable.get(tp).replicas(), r -> {
      Broker rb = cluster.broker(r);
      return rb == null ? null : rb.log(tp);
    }, isr);
  }

  /** Some in-sync replica must have been up since it joined the ISR (or took the lead), page cache intact. */
  private void observeIsr(TopicPartition tp) {
    PartitionState s = durable.get(tp);
    if (s == null || maxEpoch.getOrDefault(tp, -1) < 0) return;
    boolean intact = false;
    for (NodeId r : s.isr()) {
      Integer joined = joinedIncarnation.get(new ReplicaKey(tp, r));
      if (sim.isUp(r) && joined != null && joined == sim.incarnation(r)) intact = true;
    }
    losses.isrIntact(tp, intact, s.isr(), maxEpoch.getOrDefault(tp, 0), sim.nowNanos(), replicas(tp));
  }

  /** What a replica's log holds now, offset to value: from its log start offset (below it nothing is readable). */
  static Map<Long, String> values(Log log) {
    Map<Long, String> out = new HashMap<>();
    if (log == null) return out;
    long start = log.logStartOffset();
    for (LogRecord r : RecordBatches.allRecords(log.read(start, Long.MAX_VALUE, Integer.MAX_VALUE))) if (r.offset() >= start) out.put(r.offset(), r.valueText());
    return out;
  }
}
