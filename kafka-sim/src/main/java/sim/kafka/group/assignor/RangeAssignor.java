package sim.kafka.group.assignor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server-side {@code range} assignor (kafka-group-coordinator's {@code RangeAssignor}): per topic, members sorted
 * (static members first by instance id, then by member id) take consecutive ranges, the first
 * {@code partitions % members} one partition more. Co-partitioned when topics have equal partition counts. It ignores
 * the current assignment, so a new member can move most partitions.
 */
public final class RangeAssignor implements ConsumerGroupPartitionAssignor {
  public static final String NAME = "range";

  /** A topic's quota and the next range to hand out ({@code TopicMetadata}). */
  private static final class TopicRanges {
    final String topic;
    final int numPartitions;
    int numMembers;
    int minQuota = -1;
    int extraPartitions = -1;
    int nextRange;

    TopicRanges(String topic, int numPartitions, int numMembers) {
      this.topic = topic;
      this.numPartitions = numPartitions;
      this.numMembers = numMembers;
    }

    void maybeComputeQuota() {
      if (minQuota != -1) return;
      minQuota = numPartitions / numMembers;
      extraPartitions = numPartitions % numMembers;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TreeMap<String, TreeMap<String, TreeSet<Integer>>> assign(GroupSpec group) {
    TreeMap<String, TreeMap<String, TreeSet<Integer>>> out = group.emptyAssignment();
    if (group.members().isEmpty()) return out;
    List<String> memberIds = sortedMemberIds(group);
    // Heterogeneous: a topic's members are those subscribed to it; homogeneous is the same with every member.
    Map<String, TopicRanges> topics = new TreeMap<>();
    for (String m : memberIds) {
      for (String t : group.subscribedExisting(m)) topics.computeIfAbsent(t, k -> new TopicRanges(k, group.partitionsPerTopic().get(k), 0)).numMembers++;
    }
    for (String m : memberIds) {
      for (String t : group.subscribedExisting(m)) {
        TopicRanges r = topics.get(t);
        r.maybeComputeQuota();
        addRange(r, out.get(m));
      }
    }
    return out;
  }

  private static void addRange(TopicRanges r, TreeMap<String, TreeSet<Integer>> assignment) {
    int start = r.nextRange;
    int quota = r.minQuota;
    if (r.extraPartitions > 0) {
      quota++;
      r.extraPartitions--;
    }
    int end = Math.min(start + quota, r.numPartitions);
    r.nextRange = end;
    if (start >= end) return;
    TreeSet<Integer> ps = new TreeSet<>();
    for (int p = start; p < end; p++) ps.add(p);
    assignment.put(r.topic, ps);
  }

  /** Static members first, by instance id; then the others by member id ({@code sortMemberIds}). */
  static List<String> sortedMemberIds(GroupSpec group) {
    List<String> ids = new ArrayList<>(group.members().keySet());
    ids.sort((a, b) -> {
      Optional<String> ia = group.members().get(a).instanceId();
      Optional<String> ib = group.members().get(b).instanceId();
      if (ia.isPresent() && ib.isPresent()) return ia.get().compareTo(ib.get());
      if (ia.isPresent()) return -1;
      if (ib.isPresent()) return 1;
      return a.compareTo(b);
    });
    return ids;
  }
}
