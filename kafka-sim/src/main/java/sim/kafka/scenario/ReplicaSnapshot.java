package sim.kafka.scenario;

import sim.core.NodeId;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;

/**
 * One replica of one partition on a live broker, read once after an event for every check that runs then.
 * {@code broker} and {@code partition} are indexes into {@link KafkaCluster#brokers()} and
 * {@link KafkaCluster#partitions()}; {@code view} is null while the replica has no partition state yet.
 */
record ReplicaSnapshot(int broker, int partition, NodeId id, Broker node, TopicPartition tp, Broker.ReplicaView view, Log log) {
  boolean leader() {
    return view != null && view.leader();
  }

  /** A follower fetching from the leader of {@code epoch}. */
  boolean fetchingIn(int epoch) {
    return view != null && view.fetching() && view.leaderEpoch() == epoch;
  }
}
