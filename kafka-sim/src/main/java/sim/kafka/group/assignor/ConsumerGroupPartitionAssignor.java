package sim.kafka.group.assignor;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A server-side assignor of the consumer protocol (KIP-848, {@code group.consumer.assignors}): the group coordinator
 * runs it whenever the group epoch moves past the target assignment epoch, over every member's subscription and
 * current target assignment. Pure policy, the same as kafka-group-coordinator's class of the same name
 * ({@code org.apache.kafka.coordinator.group.assignor}).
 */
public interface ConsumerGroupPartitionAssignor {
  /** The name in {@code group.consumer.assignors} and in a member's {@code group.remote.assignor}: uniform, range. */
  String name();

  /** @return member id → topic → partitions, every member present (an empty map for a member that gets nothing) */
  TreeMap<String, TreeMap<String, TreeSet<Integer>>> assign(GroupSpec group);

  /** Kafka's default {@code group.consumer.assignors} is {@code uniform,range}; the first is the default. */
  static ConsumerGroupPartitionAssignor named(String name) {
    return switch (name) {
      case UniformAssignor.NAME -> new UniformAssignor();
      case RangeAssignor.NAME -> new RangeAssignor();
      default -> throw new IllegalArgumentException("unknown server-side assignor '" + name + "' (uniform, range)");
    };
  }

  /** HOMOGENEOUS when every member subscribes to the same topic names, as Kafka's {@code ModernGroup.subscriptionType}. */
  enum SubscriptionType { HOMOGENEOUS, HETEROGENEOUS }

  /**
   * A member as the assignor sees it ({@code MemberSubscriptionAndAssignmentImpl}).
   *
   * @param subscribedTopics the topic names it subscribes to, existing or not
   * @param assignment its current target assignment: topic → partitions
   */
  record MemberSpec(Optional<String> instanceId, SortedSet<String> subscribedTopics, SortedMap<String, SortedSet<Integer>> assignment) {
    public MemberSpec {
      subscribedTopics = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(subscribedTopics));
      TreeMap<String, SortedSet<Integer>> copy = new TreeMap<>();
      assignment.forEach((t, ps) -> {
        if (!ps.isEmpty()) copy.put(t, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(ps)));
      });
      assignment = java.util.Collections.unmodifiableSortedMap(copy);
    }
  }

  /**
   * The group as the assignor sees it ({@code GroupSpecImpl} with a {@code SubscribedTopicDescriber}).
   * Members iterate in member-id order and topics in name order; Kafka iterates hash maps (members by id, topics by
   * their random topic id), so ours is one of the orders Kafka could take — the agreement test hands Kafka that one.
   *
   * @param partitionsPerTopic partition count of every topic the metadata has
   */
  record GroupSpec(SortedMap<String, MemberSpec> members, Map<String, Integer> partitionsPerTopic) {
    public GroupSpec {
      members = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(members));
      partitionsPerTopic = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(partitionsPerTopic));
    }

    /** Every subscribed name counted once per member: homogeneous when each is subscribed by every member. */
    public SubscriptionType subscriptionType() {
      TreeMap<String, Integer> counts = new TreeMap<>();
      for (MemberSpec m : members.values()) for (String t : m.subscribedTopics()) counts.merge(t, 1, Integer::sum);
      for (int c : counts.values()) if (c != members.size()) return SubscriptionType.HETEROGENEOUS;
      return SubscriptionType.HOMOGENEOUS;
    }

    /** The member's subscription resolved against the metadata: Kafka hands assignors topic ids, which unknown topics lack. */
    public TreeSet<String> subscribedExisting(String memberId) {
      TreeSet<String> out = new TreeSet<>();
      for (String t : members.get(memberId).subscribedTopics()) if (partitionsPerTopic.containsKey(t)) out.add(t);
      return out;
    }

    /** Whether some member's current target assignment holds the partition ({@code isPartitionAssigned}). */
    public boolean isPartitionAssigned(String topic, int partition) {
      for (MemberSpec m : members.values()) {
        SortedSet<Integer> ps = m.assignment().get(topic);
        if (ps != null && ps.contains(partition)) return true;
      }
      return false;
    }

    public TreeMap<String, TreeMap<String, TreeSet<Integer>>> emptyAssignment() {
      TreeMap<String, TreeMap<String, TreeSet<Integer>>> out = new TreeMap<>();
      for (String m : members.keySet()) out.put(m, new TreeMap<>());
      return out;
    }
  }
}
