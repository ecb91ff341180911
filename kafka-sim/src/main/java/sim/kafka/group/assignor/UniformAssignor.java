package sim.kafka.group.assignor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The server-side {@code uniform} assignor, Kafka's default (kafka-group-coordinator's {@code UniformAssignor} with
 * its {@code UniformHomogeneousAssignmentBuilder}): every member gets {@code partitions / members} partitions, the
 * first {@code partitions % members} members one more, and keeps as many of its current ones as its quota allows —
 * sticky, so a member joining takes only the partitions over the others' quotas. Heterogeneous subscriptions
 * (Kafka's {@code UniformHeterogeneousAssignmentBuilder}) are not modelled; a group here has one topic.
 */
public final class UniformAssignor implements ConsumerGroupPartitionAssignor {
  public static final String NAME = "uniform";

  private record TopicPartition(String topic, int partition) {}

  private record Unfilled(String memberId, int remainingQuota) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public TreeMap<String, TreeMap<String, TreeSet<Integer>>> assign(GroupSpec group) {
    TreeMap<String, TreeMap<String, TreeSet<Integer>>> out = group.emptyAssignment();
    if (group.members().isEmpty()) return out;
    if (group.subscriptionType() == SubscriptionType.HETEROGENEOUS) {
      throw new UnsupportedOperationException("the uniform assignor's heterogeneous algorithm (members subscribed to different topics) is not modelled;"
          + " use --assignor range");
    }
    TreeSet<String> topics = group.subscribedExisting(group.members().firstKey());
    if (topics.isEmpty()) return out;
    List<TopicPartition> unassigned = new ArrayList<>();
    int total = 0;
    for (String t : topics) {
      int n = group.partitionsPerTopic().get(t);
      for (int p = 0; p < n; p++) if (!group.isPartitionAssigned(t, p)) unassigned.add(new TopicPartition(t, p));
      total += n;
    }
    int members = group.members().size();
    List<Unfilled> unfilled = keepWithinQuota(group, topics, total / members, total % members, unassigned, out);
    fill(unfilled, unassigned, out);
    return out;
  }

  /**
   * {@code maybeRevokePartitions}: in member order each member's quota is the minimum, plus one while extra
   * partitions remain; it keeps its current partitions of subscribed topics up to the quota, the rest join the
   * unassigned ones (after those nobody held). A member that could not fill its extra one hands the extra on to a later
   * member while enough members remain (Kafka 4.1: members already holding more keep them, fewer partitions move).
   */
  private static List<Unfilled> keepWithinQuota(GroupSpec group, TreeSet<String> topics, int minQuota, int extra, List<TopicPartition> unassigned,
      TreeMap<String, TreeMap<String, TreeSet<Integer>>> out) {
    List<Unfilled> unfilled = new ArrayList<>();
    int extraLeft = extra;
    int members = group.members().size();
    int index = -1;
    for (Map.Entry<String, ConsumerGroupPartitionAssignor.MemberSpec> e : group.members().entrySet()) {
      index++;
      int quota = minQuota;
      boolean getsExtra = extraLeft > 0;
      if (getsExtra) quota++;
      TreeMap<String, TreeSet<Integer>> kept = out.get(e.getKey());
      for (Map.Entry<String, SortedSet<Integer>> owned : e.getValue().assignment().entrySet()) {
        if (!topics.contains(owned.getKey())) continue; // no longer subscribed: dropped
        for (int p : owned.getValue()) {
          if (quota > 0) {
            quota--;
            kept.computeIfAbsent(owned.getKey(), k -> new TreeSet<>()).add(p);
          } else {
            unassigned.add(new TopicPartition(owned.getKey(), p));
          }
        }
      }
      if (quota > 0 && getsExtra && members - index > extraLeft) {
        quota--;
        getsExtra = false;
      }
      if (quota > 0) unfilled.add(new Unfilled(e.getKey(), quota));
      if (getsExtra) extraLeft--;
    }
    return unfilled;
  }

  /** {@code assignRemainingPartitions}: the unfilled members, in order, take the unassigned partitions in order. */
  private static void fill(List<Unfilled> unfilled, List<TopicPartition> unassigned, TreeMap<String, TreeMap<String, TreeSet<Integer>>> out) {
    int next = 0;
    for (Unfilled u : unfilled) {
      for (int i = 0; i < u.remainingQuota() && next < unassigned.size(); i++) {
        TopicPartition tp = unassigned.get(next++);
        out.get(u.memberId()).computeIfAbsent(tp.topic(), k -> new TreeSet<>()).add(tp.partition());
      }
    }
    if (next < unassigned.size()) throw new IllegalStateException("Partitions were left unassigned");
  }
}
