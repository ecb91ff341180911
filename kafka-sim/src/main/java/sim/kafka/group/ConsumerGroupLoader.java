package sim.kafka.group;

import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * Replays the consumer-protocol records of an {@code __consumer_offsets} partition (Kafka's
 * {@code GroupMetadataManager.replay} for ConsumerGroupMetadata, MemberMetadata, TargetAssignmentMetadata,
 * TargetAssignmentMember and CurrentMemberAssignment): the last value per key wins, a tombstone deletes.
 */
final class ConsumerGroupLoader {
  private final TreeMap<String, ConsumerGroup> groups = new TreeMap<>();
  private final TreeMap<String, ConsumerGroupRecords.MemberMetadata> metadata = new TreeMap<>();
  private final TreeMap<String, ConsumerGroupRecords.CurrentAssignment> current = new TreeMap<>();
  /** Topic id → name, for every topic a member subscribed to (records name topics by id). */
  private final TreeMap<String, String> topicNames = new TreeMap<>();

  void replay(ConsumerGroupRecords.Key k, byte[] v) {
    ConsumerGroup g = groups.computeIfAbsent(k.group(), ConsumerGroup::new);
    String member = k.group() + "/" + k.memberId();
    switch (k.type()) {
      case ConsumerGroupRecords.METADATA -> {
        if (v == null) groups.remove(k.group());
        else g.groupEpoch = ConsumerGroupRecords.epochValue(v);
      }
      case ConsumerGroupRecords.TARGET_ASSIGNMENT_METADATA -> g.targetAssignmentEpoch = v == null ? 0 : ConsumerGroupRecords.epochValue(v);
      case ConsumerGroupRecords.MEMBER_METADATA -> {
        if (v == null) {
          metadata.remove(member);
          return;
        }
        ConsumerGroupRecords.MemberMetadata m = ConsumerGroupRecords.memberMetadata(v);
        for (String t : m.subscribedTopicNames()) topicNames.put(ConsumerGroupRecords.topicIdKey(t), t);
        metadata.put(member, m);
      }
      case ConsumerGroupRecords.TARGET_ASSIGNMENT_MEMBER -> {
        if (v == null) g.targetAssignment.remove(k.memberId());
        else g.targetAssignment.put(k.memberId(), ConsumerGroupRecords.targetAssignmentMember(v, topicNames));
      }
      case ConsumerGroupRecords.CURRENT_MEMBER_ASSIGNMENT -> {
        if (v == null) current.remove(member);
        else current.put(member, ConsumerGroupRecords.currentAssignment(v, topicNames));
      }
      default -> {}
    }
  }

  /** The groups as the log leaves them: a member is one with metadata; its assignment state as last written. */
  TreeMap<String, ConsumerGroup> groups() {
    for (var e : metadata.entrySet()) {
      String groupId = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
      String memberId = e.getKey().substring(groupId.length() + 1);
      ConsumerGroup g = groups.get(groupId);
      if (g == null) continue;
      ConsumerGroupRecords.MemberMetadata m = e.getValue();
      ConsumerGroupMember member = ConsumerGroupMember.joining(memberId).withSubscription(m.instanceId(), m.clientId(), m.rebalanceTimeoutMs(),
          m.subscribedTopicNames(), m.serverAssignor());
      ConsumerGroupRecords.CurrentAssignment a = current.get(e.getKey());
      if (a != null) {
        member = member.withAssignmentState(a.memberEpoch(), a.previousMemberEpoch(), ConsumerGroupMember.State.of(a.state()), a.assigned(),
            a.pendingRevocation());
      }
      g.members.put(memberId, member);
    }
    return groups;
  }

  static SortedSet<TopicPartition> none() {
    return new TreeSet<>();
  }
}
