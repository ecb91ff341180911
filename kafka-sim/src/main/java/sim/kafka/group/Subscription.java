package sim.kafka.group;

import java.util.List;
import java.util.Optional;
import sim.kafka.broker.TopicPartition;

/**
 * What a member sends in JoinGroup for the consumer protocol ({@code ConsumerProtocolSubscription} v3): the
 * topics it subscribes to, the partitions it owns (the cooperative protocol sends them; eager members send
 * none, having revoked everything first), the generation they were assigned in, its static
 * {@code group.instance.id}, and the assignor's user data: for the sticky assignor its previous assignment
 * and generation, which it keeps itself because an eager member owns nothing when it joins.
 */
public record Subscription(List<String> topics, List<TopicPartition> ownedPartitions, Optional<Integer> generationId,
    Optional<String> groupInstanceId, Optional<StickyUserData> stickyUserData) {
  public Subscription {
    topics = List.copyOf(topics);
    ownedPartitions = List.copyOf(ownedPartitions);
  }

  /** The sticky assignor's user data: the member's last assignment and its generation. */
  public record StickyUserData(List<TopicPartition> partitions, Optional<Integer> generation) {
    public StickyUserData {
      partitions = List.copyOf(partitions);
    }
  }

  public static Subscription of(List<String> topics) {
    return new Subscription(topics, List.of(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
