package sim.kafka.broker;

import java.util.List;
import sim.core.NodeId;

/**
 * What the controller decides for a partition (KRaft's PartitionRecord/PartitionChangeRecord): the replica
 * assignment, the leader (null while offline), the leader epoch (bumped on every leader change), the ISR and
 * the partition epoch (bumped on every change, ISR changes included).
 */
public record PartitionState(TopicPartition tp, List<NodeId> replicas, NodeId leader, int leaderEpoch,
    List<NodeId> isr, int partitionEpoch) {
  public PartitionState {
    replicas = List.copyOf(replicas);
    isr = List.copyOf(isr);
  }

  public PartitionState withLeader(NodeId newLeader, List<NodeId> newIsr) {
    return new PartitionState(tp, replicas, newLeader, leaderEpoch + 1, newIsr, partitionEpoch + 1);
  }

  public PartitionState withIsr(List<NodeId> newIsr) {
    return new PartitionState(tp, replicas, leader, leaderEpoch, newIsr, partitionEpoch + 1);
  }

  @Override
  public String toString() {
    return tp + "{leader " + (leader == null ? "none" : leader) + " epoch " + leaderEpoch + " isr " + isr + " v" + partitionEpoch + "}";
  }
}
