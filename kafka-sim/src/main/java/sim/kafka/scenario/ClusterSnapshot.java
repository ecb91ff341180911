package sim.kafka.scenario;

import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;

/**
 * The cluster's replicas as they are after one event, read once (broker by broker, partition by partition) so
 * that the watch and every per-event check walk arrays instead of looking each replica up again.
 */
final class ClusterSnapshot {
  private final Simulation sim;
  private final KafkaCluster cluster;
  private final NodeId[] brokers;
  private final TopicPartition[] partitions;
  /** [broker][partition]: null where the broker is down or holds no replica of the partition. */
  private final ReplicaSnapshot[][] replicas;
  /** The replicas that lead, broker by broker and partition by partition (the order of the checks' walks). */
  private final ReplicaSnapshot[] leaders;
  private int leaderCount;
  private final Broker[] live;
  private final int[] incarnation;
  private Controller controller;

  ClusterSnapshot(Simulation sim, KafkaCluster cluster) {
    this.sim = sim;
    this.cluster = cluster;
    this.brokers = cluster.brokers().toArray(NodeId[]::new);
    this.partitions = cluster.partitions().toArray(TopicPartition[]::new);
    this.replicas = new ReplicaSnapshot[brokers.length][partitions.length];
    this.leaders = new ReplicaSnapshot[brokers.length * partitions.length];
    this.live = new Broker[brokers.length];
    this.incarnation = new int[brokers.length];
  }

  /** Reads every live broker's replicas, one pass over each; the checks of this event then read only the snapshot. */
  void take() {
    controller = cluster.controller();
    leaderCount = 0;
    for (int b = 0; b < brokers.length; b++) {
      NodeId id = brokers[b];
      Broker broker = cluster.broker(id);
      live[b] = broker;
      incarnation[b] = sim.incarnation(id);
      java.util.Arrays.fill(replicas[b], null);
      if (broker != null) read(b, id, broker);
      for (ReplicaSnapshot r : replicas[b]) if (r != null && r.leader()) leaders[leaderCount++] = r;
    }
  }

  private void read(int b, NodeId id, Broker broker) {
    broker.forEachReplica((tp, log, view) -> {
      int p = cluster.indexOf(tp);
      if (p < 0) return;
      replicas[b][p] = new ReplicaSnapshot(b, p, id, broker, tp, view, log);
    });
  }

  /** How many replicas lead (by their own view; two may claim one partition). */
  int leaderCount() {
    return leaderCount;
  }

  ReplicaSnapshot leader(int i) {
    return leaders[i];
  }

  int brokerCount() {
    return live.length;
  }

  int partitionCount() {
    return partitions.length;
  }

  /** The replica of partition {@code p} on broker {@code b}, or null. */
  ReplicaSnapshot replica(int b, int p) {
    return replicas[b][p];
  }

  /** The log of partition {@code p} on broker {@code b}, or null where the broker is down or has none. */
  Log log(int b, int p) {
    ReplicaSnapshot r = replicas[b][p];
    return r == null ? null : r.log();
  }

  boolean up(int b) {
    return live[b] != null;
  }

  int incarnation(int b) {
    return incarnation[b];
  }

  /** The live controller, or null. */
  Controller controller() {
    return controller;
  }
}
