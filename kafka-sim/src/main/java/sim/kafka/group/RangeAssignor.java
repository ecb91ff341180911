package sim.kafka.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.kafka.broker.TopicPartition;

/**
 * {@code range}: topic by topic, the members subscribed to it (sorted) take consecutive ranges of its
 * partitions; the first {@code partitions % members} take one more. Co-partitioned topics line up: member i
 * gets the same partition numbers of every topic.
 */
public final class RangeAssignor implements PartitionAssignor {
  public static final String NAME = "range";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
    Map<String, List<MemberInfo>> membersPerTopic = new HashMap<>();
    subscriptions.forEach((member, s) -> {
      for (String topic : s.topics()) membersPerTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(new MemberInfo(member, s.groupInstanceId()));
    });
    Map<String, List<TopicPartition>> assignment = new HashMap<>();
    for (String member : subscriptions.keySet()) assignment.put(member, new ArrayList<>());
    partitionsPerTopic.forEach((topic, count) -> {
      List<MemberInfo> members = membersPerTopic.getOrDefault(topic, List.of());
      if (count == 0 || members.isEmpty()) return;
      List<MemberInfo> sorted = new ArrayList<>(members);
      Collections.sort(sorted);
      int each = count / sorted.size();
      int extra = count % sorted.size();
      int next = 0;
      for (int i = 0; i < sorted.size(); i++) {
        int n = each + (i < extra ? 1 : 0);
        for (int k = 0; k < n; k++) assignment.get(sorted.get(i).memberId()).add(new TopicPartition(topic, next++));
      }
    });
    return assignment;
  }
}
