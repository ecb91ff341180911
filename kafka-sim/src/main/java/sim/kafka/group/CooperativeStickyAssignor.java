package sim.kafka.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.kafka.broker.TopicPartition;

/**
 * {@code cooperative-sticky}: the sticky algorithm over the partitions members report owning, then every
 * partition that moves to a new owner is held back from it in this round: its old owner revokes it, rejoins,
 * and a second rebalance hands it over. Nobody stops consuming what it keeps.
 */
public final class CooperativeStickyAssignor extends AbstractStickyAssignor {
  public static final String NAME = "cooperative-sticky";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<RebalanceProtocol> supportedProtocols() {
    return List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
  }

  @Override
  protected MemberData memberData(Subscription subscription) {
    return new MemberData(subscription.ownedPartitions(), subscription.generationId());
  }

  @Override
  public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
    Map<String, List<TopicPartition>> assignment = super.assign(partitionsPerTopic, subscriptions);
    Map<TopicPartition, String> transferring = partitionsTransferringOwnership != null ? partitionsTransferringOwnership
        : transferring(subscriptions, assignment);
    for (Map.Entry<TopicPartition, String> e : transferring.entrySet()) assignment.get(e.getValue()).remove(e.getKey());
    return assignment;
  }

  /** Partitions assigned to a member that did not own them, and revoked from a member that did. */
  private static Map<TopicPartition, String> transferring(Map<String, Subscription> subscriptions, Map<String, List<TopicPartition>> assignment) {
    Map<TopicPartition, String> added = new HashMap<>();
    Set<TopicPartition> revoked = new HashSet<>();
    for (Map.Entry<String, List<TopicPartition>> e : assignment.entrySet()) {
      List<TopicPartition> owned = subscriptions.get(e.getKey()).ownedPartitions();
      Set<TopicPartition> ownedSet = new HashSet<>(owned);
      for (TopicPartition tp : e.getValue()) if (!ownedSet.contains(tp)) added.put(tp, e.getKey());
      Set<TopicPartition> assignedSet = new HashSet<>(e.getValue());
      for (TopicPartition tp : owned) if (!assignedSet.contains(tp)) revoked.add(tp);
    }
    added.keySet().retainAll(revoked);
    return added;
  }
}
