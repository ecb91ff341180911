package sim.kafka.group;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import sim.kafka.broker.TopicPartition;

/**
 * One step of a member's reconciliation towards the group's target assignment (Kafka's {@code CurrentAssignmentBuilder}),
 * run on each of its heartbeats. The rule that makes the protocol safe without a stop-the-world barrier: a member first
 * gives up (UNREVOKED_PARTITIONS, same epoch) the partitions the target takes from it, and only when its heartbeat no
 * longer lists them does it move to the next epoch; a partition the target gives it is handed over only once no other
 * member holds it (its current partition epoch is -1), otherwise it waits in UNRELEASED_PARTITIONS.
 */
final class CurrentAssignmentBuilder {
  private final ConsumerGroupMember member;
  private int targetAssignmentEpoch;
  private SortedSet<TopicPartition> targetAssignment = new TreeSet<>();
  private ToIntFunction<TopicPartition> currentPartitionEpoch = tp -> -1;
  private List<TopicPartition> ownedTopicPartitions;
  private boolean assignBeforeRevocation;

  CurrentAssignmentBuilder(ConsumerGroupMember member) {
    this.member = member;
  }

  CurrentAssignmentBuilder withTargetAssignment(int epoch, SortedSet<TopicPartition> target) {
    this.targetAssignmentEpoch = epoch;
    this.targetAssignment = target;
    return this;
  }

  /** The epoch of the member holding a partition (assigned or pending revocation), -1 when nobody does. */
  CurrentAssignmentBuilder withCurrentPartitionEpoch(ToIntFunction<TopicPartition> f) {
    this.currentPartitionEpoch = f;
    return this;
  }

  /** What the member's heartbeat says it owns; null when it did not say (then it is assumed to own everything). */
  CurrentAssignmentBuilder withOwnedTopicPartitions(List<TopicPartition> owned) {
    this.ownedTopicPartitions = owned;
    return this;
  }

  /** The rule break {@code kafka.consumer-assign-before-revocation}: hand partitions over while their owner still holds them. */
  CurrentAssignmentBuilder withAssignBeforeRevocation(boolean broken) {
    this.assignBeforeRevocation = broken;
    return this;
  }

  ConsumerGroupMember build() {
    return switch (member.state()) {
      case STABLE -> member.memberEpoch() != targetAssignmentEpoch ? computeNextAssignment(member.memberEpoch(), member.assignedPartitions()) : member;
      // Progress only once the member's heartbeat no longer lists what it had to revoke: then to the next epoch.
      case UNREVOKED_PARTITIONS -> ownsAny(member.partitionsPendingRevocation()) ? member
          : computeNextAssignment(member.memberEpoch() + 1, member.assignedPartitions());
      case UNRELEASED_PARTITIONS -> computeNextAssignment(member.memberEpoch(), member.assignedPartitions());
      case UNKNOWN -> computeNextAssignment(targetAssignmentEpoch, member.assignedPartitions());
    };
  }

  private boolean ownsAny(SortedSet<TopicPartition> partitions) {
    if (ownedTopicPartitions == null) return true;
    for (TopicPartition tp : ownedTopicPartitions) if (partitions.contains(tp)) return true;
    return false;
  }

  private ConsumerGroupMember computeNextAssignment(int memberEpoch, SortedSet<TopicPartition> current) {
    // Kept = current ∩ target; to revoke = current - kept; to assign = target - kept, minus the unreleased ones.
    TreeSet<TopicPartition> assigned = new TreeSet<>(current);
    assigned.retainAll(targetAssignment);
    TreeSet<TopicPartition> pendingRevocation = new TreeSet<>(current);
    pendingRevocation.removeAll(assigned);
    TreeSet<TopicPartition> pendingAssignment = new TreeSet<>(targetAssignment);
    pendingAssignment.removeAll(assigned);
    boolean unreleased = !assignBeforeRevocation && pendingAssignment.removeIf(tp -> currentPartitionEpoch.applyAsInt(tp) != -1);

    if (!pendingRevocation.isEmpty() && ownsAny(pendingRevocation)) {
      // Revoke first, at the same epoch; the next epoch comes when the member acknowledges.
      return member.reconciled(ConsumerGroupMember.State.UNREVOKED_PARTITIONS, memberEpoch, assigned, pendingRevocation);
    }
    if (!pendingAssignment.isEmpty()) {
      assigned.addAll(pendingAssignment);
      return member.reconciled(unreleased ? ConsumerGroupMember.State.UNRELEASED_PARTITIONS : ConsumerGroupMember.State.STABLE,
          targetAssignmentEpoch, assigned, new TreeSet<>());
    }
    return member.reconciled(unreleased ? ConsumerGroupMember.State.UNRELEASED_PARTITIONS : ConsumerGroupMember.State.STABLE,
        targetAssignmentEpoch, assigned, new TreeSet<>());
  }
}
