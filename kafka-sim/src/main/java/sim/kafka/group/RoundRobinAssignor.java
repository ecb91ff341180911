package sim.kafka.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * {@code roundrobin}: every partition of every subscribed topic, topics sorted by name, dealt one by one to
 * the members in sorted order, skipping a member not subscribed to that partition's topic.
 */
public final class RoundRobinAssignor implements PartitionAssignor {
  public static final String NAME = "roundrobin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
    Map<String, List<TopicPartition>> assignment = new HashMap<>();
    List<MemberInfo> members = new ArrayList<>();
    subscriptions.forEach((member, s) -> {
      assignment.put(member, new ArrayList<>());
      members.add(new MemberInfo(member, s.groupInstanceId()));
    });
    Collections.sort(members);
    TreeSet<String> topics = new TreeSet<>();
    for (Subscription s : subscriptions.values()) topics.addAll(s.topics());
    int next = 0;
    for (String topic : topics) {
      Integer count = partitionsPerTopic.get(topic);
      if (count == null) continue;
      for (int p = 0; p < count; p++) {
        while (!subscriptions.get(members.get(next % members.size()).memberId()).topics().contains(topic)) next++;
        assignment.get(members.get(next++ % members.size()).memberId()).add(new TopicPartition(topic, p));
      }
    }
    return assignment;
  }
}
