package sim.kafka.scenario;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
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
final class ClusterWatch {
  /** A leader change the controller decided. {@code fromIsr}: the new leader was in the ISR just before. */
  record Election(TopicPartition tp, int epoch, NodeId leader, boolean fromIsr, List<NodeId> isrBefore, long atNanos) {}

  private record ElectionKey(TopicPartition tp, int epoch, NodeId leader) {}

  /** What the watch knows of one partition, indexed like {@link KafkaCluster#partitions()}. */
  private static final class PartitionWatch {
    /** What the controller last made durable, and what it last decided (durable or not). */
    PartitionState durable;
    PartitionState decided;
    int maxEpoch = -1;
    /** The durable state's replicas and ISR as broker indexes, and the last durable ISR of every epoch. */
    int[] replicas;
    int[] isr;
    final Map<Integer, List<NodeId>> isrOfEpoch = new HashMap<>();
    final Map<Integer, int[]> isrIndexesOfEpoch = new HashMap<>();
    final Map<Integer, NodeId> leaderOfEpoch = new HashMap<>();
    /** By broker index: the incarnation in which the replica joined the ISR or took the lead, or {@link #NEVER}. */
    final int[] joinedIncarnation;

    PartitionWatch(int brokers) {
      joinedIncarnation = new int[brokers];
      java.util.Arrays.fill(joinedIncarnation, NEVER);
    }
  }

  private static final int NEVER = Integer.MIN_VALUE;

  private final Simulation sim;
  private final KafkaCluster cluster;
  private final ClusterSnapshot snapshot;
  final CommitTracker commits;
  final LossLedger losses = new LossLedger();
  private final PartitionWatch[] partitions;
  private final Map<ElectionKey, Election> elections = new HashMap<>();
  private int controllerIncarnation = -1;
  private long seenVersion = -1;
  private long seenDurableVersion = -1;
  private String violation;
  private String outOfSyncElection;

  /** Made once the cluster's brokers and partitions exist. */
  ClusterWatch(Simulation sim, KafkaCluster cluster) {
    this.sim = sim;
    this.cluster = cluster;
    this.snapshot = new ClusterSnapshot(sim, cluster);
    this.commits = new CommitTracker(cluster);
    this.partitions = new PartitionWatch[cluster.partitions().size()];
    for (int p = 0; p < partitions.length; p++) partitions[p] = new PartitionWatch(cluster.brokers().size());
  }

  /** The replicas as {@link #observe} read them after the current event. */
  ClusterSnapshot snapshot() {
    return snapshot;
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
    int p = cluster.indexOf(tp);
    return p < 0 ? null : partitions[p].leaderOfEpoch.get(epoch);
  }

  PartitionState durable(TopicPartition tp) {
    int p = cluster.indexOf(tp);
    return p < 0 ? null : partitions[p].durable;
  }

  /** {@link #durable(TopicPartition)} by index into {@link KafkaCluster#partitions()}. */
  PartitionState durable(int p) {
    return partitions[p].durable;
  }

  /** Whether broker {@code b} is in the ISR the controller last made durable for partition {@code p}. */
  boolean inDurableIsr(int p, int b) {
    int[] isr = partitions[p].isr;
    if (isr == null) return false;
    for (int r : isr) if (r == b) return true;
    return false;
  }

  /** The ISR the controller last made durable for {@code epoch} of {@code tp}. */
  List<NodeId> isrOfEpoch(TopicPartition tp, int epoch) {
    int p = cluster.indexOf(tp);
    return p < 0 ? null : partitions[p].isrOfEpoch.get(epoch);
  }

  /** After every event, before any check: reads the cluster once into the snapshot, then follows leaders and ISRs. */
  void observe() {
    snapshot.take();
    observeController();
    for (int i = 0; i < snapshot.leaderCount(); i++) observeLeader(snapshot.leader(i));
    for (int p = 0; p < partitions.length; p++) {
      observeIsr(p);
      if (!losses.awaitsReplicas()) continue;
      TopicPartition tp = cluster.partitions().get(p);
      losses.replicasBack(tp, replicas(tp));
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
    Controller c = snapshot.controller();
    if (c == null) return;
    int incarnation = cluster.controllerIncarnation();
    if (incarnation == controllerIncarnation && c.metadataVersion() == seenVersion && c.durableVersion() == seenDurableVersion) return;
    seenVersion = c.metadataVersion();
    seenDurableVersion = c.durableVersion();
    for (PartitionState s : c.durablePartitions()) observeDurable(s);
    for (PartitionState s : c.partitions()) observeDecided(s, incarnation);
    controllerIncarnation = incarnation;
  }

  private void observeDurable(PartitionState s) {
    PartitionWatch w = partitions[cluster.indexOf(s.tp())];
    PartitionState before = w.durable;
    w.durable = s;
    w.replicas = brokerIndexes(s.replicas());
    w.isr = brokerIndexes(s.isr());
    w.isrOfEpoch.put(s.leaderEpoch(), s.isr());
    w.isrIndexesOfEpoch.put(s.leaderEpoch(), w.isr);
    if (before == null || !before.isr().equals(s.isr())) {
      for (NodeId r : s.isr()) if (before == null || !before.isr().contains(r)) w.joinedIncarnation[cluster.brokerIndex(r)] = sim.incarnation(r);
    }
    if (s.leader() != null && (before == null || before.leaderEpoch() != s.leaderEpoch())) confirm(s);
  }

  private int[] brokerIndexes(List<NodeId> ids) {
    int[] out = new int[ids.size()];
    for (int i = 0; i < out.length; i++) out[i] = cluster.brokerIndex(ids.get(i));
    return out;
  }

  private void observeDecided(PartitionState s, int incarnation) {
    PartitionWatch w = partitions[cluster.indexOf(s.tp())];
    PartitionState prev = w.decided;
    w.decided = s;
    w.maxEpoch = Math.max(w.maxEpoch, s.leaderEpoch());
    if (prev == null || incarnation != controllerIncarnation || s.leader() == null || s.leaderEpoch() <= prev.leaderEpoch()) return;
    boolean fromIsr = prev.isr().contains(s.leader()) || prev.leaderEpoch() < 0;
    Election e = new Election(s.tp(), s.leaderEpoch(), s.leader(), fromIsr, prev.isr(), sim.nowNanos());
    elections.put(new ElectionKey(s.tp(), s.leaderEpoch(), s.leader()), e);
    if (!fromIsr && outOfSyncElection == null) {
      outOfSyncElection = s.tp() + " epoch " + s.leaderEpoch() + " went to " + s.leader() + ", not in the ISR " + prev.isr();
    }
  }

  /** A decision became durable: if it was an election from outside the ISR, it may lose records. */
  private void confirm(PartitionState s) {
    Election e = elections.get(new ElectionKey(s.tp(), s.leaderEpoch(), s.leader()));
    if (e != null && !e.fromIsr()) losses.uncleanElection(s.tp(), s.leaderEpoch(), s.leader(), e.atNanos());
  }

  private void observeLeader(ReplicaSnapshot r) {
    PartitionWatch w = partitions[r.partition()];
    int epoch = r.view().leaderEpoch();
    NodeId before = w.leaderOfEpoch.putIfAbsent(epoch, r.id());
    if (before == null) {
      w.maxEpoch = Math.max(w.maxEpoch, epoch);
      // From now on this replica's log is the partition's: it holds what it holds, whatever it lost before.
      w.joinedIncarnation[r.broker()] = snapshot.incarnation(r.broker());
      losses.newLeader(r.tp(), epoch, r.id(), () -> values(r.log()));
    } else if (!before.equals(r.id()) && violation == null) {
      violation = r.tp() + " epoch " + epoch + " led by both " + before + " and " + r.id();
    }
    int[] isr = w.isrIndexesOfEpoch.get(epoch);
    if (isr == null) return;
    commits.observe(r, epoch, snapshot, w.replicas, isr);
  }

  /** Some in-sync replica must have been up since it joined the ISR (or took the lead), page cache intact. */
  private void observeIsr(int p) {
    PartitionWatch w = partitions[p];
    PartitionState s = w.durable;
    if (s == null || w.maxEpoch < 0) return;
    boolean intact = false;
    for (int b : w.isr) {
      int joined = w.joinedIncarnation[b];
      if (snapshot.up(b) && joined != NEVER && joined == snapshot.incarnation(b)) intact = true;
    }
    losses.isrIntact(s.tp(), intact, s.isr(), w.maxEpoch, sim.nowNanos(), replicas(s.tp()));
  }

  /** Served to a consumer: every batch of the range must already have been on every in-sync replica. */
  void onConsumerFetch(TraceEvent e) {
    if (violation != null) return;
    Broker broker = cluster.broker(NodeId.of(e.node()));
    TopicPartition tp = cluster.partition(String.valueOf(e.attribute("partition")));
    if (broker == null || tp == null || broker.log(tp) == null) return;
    long from = ((Number) e.attribute("fetchOffset")).longValue();
    long last = ((Number) e.attribute("lastOffset")).longValue();
    Log log = broker.log(tp);
    if (cluster.compacted(tp)) {
      for (LogRecord r : RecordBatches.allRecords(log.read(from, last + 1, Integer.MAX_VALUE))) {
        if (r.offset() < from || r.offset() > last || commits.valueCommitted(tp, r.offset(), r.valueText())) continue;
        violation = e.node() + " served " + tp + ":" + r.offset() + " (" + r.valueText() + ") to a consumer before every in-sync replica had it";
        return;
      }
      return;
    }
    for (int i = 0; i < log.batchCount(); i++) {
      Log.BatchRef ref = log.batch(i);
      if (ref.header().lastOffset() < from || ref.header().baseOffset() > last) continue;
      if (!commits.batchCommitted(tp, ref.header().baseOffset(), ref.header().crc())) {
        violation = e.node() + " served offsets " + from + ".." + last + " of " + tp + " to a consumer, but batch "
            + ref.header().baseOffset() + ".." + ref.header().lastOffset() + " was not on every in-sync replica (independent HW "
            + commits.committedEnd(tp, ((Number) e.attribute("leaderEpoch")).intValue()) + ", the leader said HW " + e.attribute("highWatermark") + ")";
        return;
      }
    }
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
