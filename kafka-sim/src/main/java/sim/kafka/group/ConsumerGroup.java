package sim.kafka.group;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * A consumer-protocol group as its coordinator keeps it (Kafka's {@code ConsumerGroup}): the group epoch (bumped on
 * every membership or subscription change), the target assignment and the epoch it was computed at, and the members
 * reconciling towards it one heartbeat at a time.
 */
final class ConsumerGroup {
  /** Kafka's {@code ConsumerGroup.ConsumerGroupState}, derived from the epochs. */
  enum State { EMPTY, ASSIGNING, RECONCILING, STABLE }

  final String groupId;
  int groupEpoch;
  int targetAssignmentEpoch;
  final TreeMap<String, ConsumerGroupMember> members = new TreeMap<>();
  final TreeMap<String, SortedSet<TopicPartition>> targetAssignment = new TreeMap<>();
  /** Heartbeats held while this group's records are being written: one write in flight per group, in arrival order. */
  final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  boolean writing;
  /** Reloaded after a failed write: the state may hold records not yet committed, so no answer leaves without a write. */
  boolean uncommitted;

  ConsumerGroup(String groupId) {
    this.groupId = groupId;
  }

  State state() {
    if (members.isEmpty()) return State.EMPTY;
    if (groupEpoch != targetAssignmentEpoch) return State.ASSIGNING;
    for (ConsumerGroupMember m : members.values()) if (!m.isReconciledTo(targetAssignmentEpoch)) return State.RECONCILING;
    return State.STABLE;
  }

  SortedSet<TopicPartition> targetOf(String memberId) {
    return targetAssignment.getOrDefault(memberId, new TreeSet<>());
  }

  /**
   * {@code currentPartitionEpoch}: the epoch of the member holding {@code tp}, assigned or still revoking it, other
   * than {@code except}; -1 when it is free to hand over.
   */
  int currentPartitionEpoch(TopicPartition tp, String except) {
    for (ConsumerGroupMember m : members.values()) {
      if (m.memberId().equals(except)) continue;
      if (m.assignedPartitions().contains(tp) || m.partitionsPendingRevocation().contains(tp)) return m.memberEpoch();
    }
    return -1;
  }

  /** Every partition held by two members at once, with both: the coordinator's side of "never two owners". */
  Map<TopicPartition, String> doublyHeld() {
    TreeMap<TopicPartition, String> holder = new TreeMap<>();
    TreeMap<TopicPartition, String> twice = new TreeMap<>();
    for (ConsumerGroupMember m : members.values()) {
      TreeSet<TopicPartition> held = new TreeSet<>(m.assignedPartitions());
      held.addAll(m.partitionsPendingRevocation());
      for (TopicPartition tp : held) {
        String other = holder.putIfAbsent(tp, m.memberId() + "@" + m.memberEpoch());
        if (other != null) twice.put(tp, other + " and " + m.memberId() + "@" + m.memberEpoch());
      }
    }
    return twice;
  }

  String describe() {
    StringBuilder b = new StringBuilder(groupId + " (consumer protocol) " + state() + " group epoch " + groupEpoch + ", target assignment epoch "
        + targetAssignmentEpoch + "\n");
    for (ConsumerGroupMember m : members.values()) {
      b.append("      ").append(m.memberId()).append(" epoch ").append(m.memberEpoch()).append(' ').append(m.state()).append(": ")
          .append(m.assignedPartitions());
      if (!m.partitionsPendingRevocation().isEmpty()) b.append(", revoking ").append(m.partitionsPendingRevocation());
      b.append(", target ").append(targetOf(m.memberId())).append('\n');
    }
    return b.toString();
  }
}
