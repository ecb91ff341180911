package sim.kafka.group;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * A member of a consumer-protocol group as its coordinator keeps it (Kafka's {@code ConsumerGroupMember}): who it is,
 * what it subscribes to, and where its reconciliation stands — its member epoch (and the previous one, accepted
 * once in case the answer with the bump was lost), its state, the partitions it is assigned and those it must
 * still revoke. Immutable: every change is a new member, which is how the heartbeat handler tells what changed.
 */
record ConsumerGroupMember(String memberId, String instanceId, String clientId, int rebalanceTimeoutMs, List<String> subscribedTopicNames,
    String serverAssignor, int memberEpoch, int previousMemberEpoch, State state, SortedSet<TopicPartition> assignedPartitions,
    SortedSet<TopicPartition> partitionsPendingRevocation) {

  /** Kafka's {@code MemberState}, with its record codes. */
  enum State {
    STABLE(0), UNREVOKED_PARTITIONS(1), UNRELEASED_PARTITIONS(2), UNKNOWN(127);

    final byte code;

    State(int code) {
      this.code = (byte) code;
    }

    static State of(int code) {
      for (State s : values()) if (s.code == code) return s;
      return UNKNOWN;
    }
  }

  ConsumerGroupMember {
    subscribedTopicNames = List.copyOf(new TreeSet<>(subscribedTopicNames));
    assignedPartitions = Collections.unmodifiableSortedSet(new TreeSet<>(assignedPartitions));
    partitionsPendingRevocation = Collections.unmodifiableSortedSet(new TreeSet<>(partitionsPendingRevocation));
  }

  /** A member joining: epoch 0, nothing assigned. */
  static ConsumerGroupMember joining(String memberId) {
    return new ConsumerGroupMember(memberId, null, "", -1, List.of(), null, 0, 0, State.STABLE, new TreeSet<>(), new TreeSet<>());
  }

  ConsumerGroupMember withSubscription(String instanceId, String clientId, int rebalanceTimeoutMs, List<String> topics, String assignor) {
    return new ConsumerGroupMember(memberId, instanceId, clientId, rebalanceTimeoutMs, topics, assignor, memberEpoch, previousMemberEpoch, state,
        assignedPartitions, partitionsPendingRevocation);
  }

  /** {@code updateMemberEpoch}: the previous epoch is the one it had. */
  ConsumerGroupMember reconciled(State newState, int newEpoch, SortedSet<TopicPartition> assigned, SortedSet<TopicPartition> pendingRevocation) {
    return new ConsumerGroupMember(memberId, instanceId, clientId, rebalanceTimeoutMs, subscribedTopicNames, serverAssignor, newEpoch, memberEpoch,
        newState, assigned, pendingRevocation);
  }

  /** Restored from its records: the epochs as written. */
  ConsumerGroupMember withAssignmentState(int epoch, int previousEpoch, State s, SortedSet<TopicPartition> assigned, SortedSet<TopicPartition> pending) {
    return new ConsumerGroupMember(memberId, instanceId, clientId, rebalanceTimeoutMs, subscribedTopicNames, serverAssignor, epoch, previousEpoch, s,
        assigned, pending);
  }

  boolean isReconciledTo(int targetAssignmentEpoch) {
    return state == State.STABLE && memberEpoch == targetAssignmentEpoch;
  }

  /** Whether the subscription the assignor sees changed ({@code hasMemberSubscriptionChanged}): the group epoch must move. */
  boolean subscriptionDiffers(ConsumerGroupMember o) {
    return !subscribedTopicNames.equals(o.subscribedTopicNames) || !java.util.Objects.equals(serverAssignor, o.serverAssignor)
        || !java.util.Objects.equals(instanceId, o.instanceId);
  }
}
