package sim.kafka.group;

import java.util.List;
import java.util.Map;
import sim.kafka.broker.TopicPartition;

/**
 * A client-side assignor of the classic consumer protocol: the group leader runs it over every member's
 * subscription and hands the result to the coordinator in SyncGroup. Pure policy: which member gets which
 * partitions, nothing applied. Each implementation gives the same assignment as kafka-clients' class of the
 * same name (rack-aware variants left out: our members have no {@code client.rack}).
 */
public interface PartitionAssignor {
  /** Eager: revoke everything, then rejoin. Cooperative: keep what you own, give up only what moves. */
  enum RebalanceProtocol { EAGER, COOPERATIVE }

  /** The name in {@code partition.assignment.strategy} and on the wire: range, roundrobin, sticky, cooperative-sticky. */
  String name();

  default List<RebalanceProtocol> supportedProtocols() {
    return List.of(RebalanceProtocol.EAGER);
  }

  /**
   * @param partitionsPerTopic partition count of every subscribed topic the metadata knows (others get nothing)
   * @param subscriptions member id → its subscription; iteration order matters for ties, as in Kafka (a
   *     {@code HashMap} filled in member order)
   * @return member id → assigned partitions, every member present
   */
  Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions);

  static PartitionAssignor named(String name) {
    return switch (name) {
      case RangeAssignor.NAME -> new RangeAssignor();
      case RoundRobinAssignor.NAME -> new RoundRobinAssignor();
      case StickyAssignor.NAME -> new StickyAssignor();
      case CooperativeStickyAssignor.NAME -> new CooperativeStickyAssignor();
      default -> throw new IllegalArgumentException("unknown assignor '" + name + "' (range, roundrobin, sticky, cooperative-sticky)");
    };
  }

  /** A member as the assignors order them ({@code MemberInfo}): static members first by instance id, then by member id. */
  record MemberInfo(String memberId, java.util.Optional<String> groupInstanceId) implements Comparable<MemberInfo> {
    @Override
    public int compareTo(MemberInfo o) {
      if (groupInstanceId.isPresent() && o.groupInstanceId.isPresent()) return groupInstanceId.get().compareTo(o.groupInstanceId.get());
      if (groupInstanceId.isPresent()) return -1;
      if (o.groupInstanceId.isPresent()) return 1;
      return memberId.compareTo(o.memberId);
    }
  }
}
