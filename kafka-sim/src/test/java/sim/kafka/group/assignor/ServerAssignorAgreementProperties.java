package sim.kafka.group.assignor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;
import org.apache.kafka.coordinator.group.modern.Assignment;
import org.apache.kafka.coordinator.group.modern.GroupSpecImpl;
import org.apache.kafka.coordinator.group.modern.MemberSubscriptionAndAssignmentImpl;
import org.junit.jupiter.api.Test;
import sim.kafka.group.assignor.ConsumerGroupPartitionAssignor.GroupSpec;
import sim.kafka.group.assignor.ConsumerGroupPartitionAssignor.MemberSpec;

/**
 * Our server-side assignors against kafka-group-coordinator 4.1.2's {@code UniformAssignor} and {@code RangeAssignor} on
 * random groups: topics and partition counts, members (some static) with random subscriptions (some to topics the
 * metadata lacks, which Kafka's topic-id resolution drops), current target assignments (disjoint, some members
 * over their quota, some holding topics they no longer subscribe to, some partitions held by nobody). Every member
 * gets the same partitions. Kafka's iteration orders come from hash maps: it gets members in a sorted map and topic
 * ids {@code Uuid(0, i)} whose hash order is the topics' name order, the order our model iterates.
 */
public class ServerAssignorAgreementProperties {
  record Group(GroupSpec spec, Map<String, Uuid> ids) {}

  static Group group(long seed, boolean sameTopics) {
    Random r = new Random(seed);
    int topicCount = 1 + r.nextInt(4);
    TreeMap<String, Integer> partitions = new TreeMap<>();
    for (int i = 0; i < topicCount; i++) partitions.put(r.nextInt(4) == 0 ? "topic-" + (char) ('a' + r.nextInt(26)) + i : "t" + i, 1 + r.nextInt(12));
    Map<String, Uuid> ids = new HashMap<>();
    int k = 1;
    for (String t : partitions.keySet()) ids.put(t, new Uuid(0, k++));
    List<String> names = new ArrayList<>(partitions.keySet());
    if (r.nextInt(5) == 0) names.add("unknown-topic");
    TreeSet<String> common = pick(r, names);
    int memberCount = 1 + r.nextInt(7);
    TreeMap<String, TreeSet<String>> subs = new TreeMap<>();
    TreeMap<String, Optional<String>> instances = new TreeMap<>();
    for (int m = 0; m < memberCount; m++) {
      String id = r.nextInt(3) == 0 ? Uuid.randomUuid().toString().substring(0, 8 + r.nextInt(4)) : "m" + m;
      subs.put(id, sameTopics ? common : pick(r, names));
      instances.put(id, r.nextInt(4) == 0 ? Optional.of("instance-" + r.nextInt(100)) : Optional.empty());
    }
    // Current target assignments: each partition to at most one member, whatever its subscription (a member may
    // have changed it since), lumpy so that some members are over their quota.
    List<String> members = new ArrayList<>(subs.keySet());
    TreeMap<String, TreeMap<String, SortedSet<Integer>>> current = new TreeMap<>();
    for (String m : members) current.put(m, new TreeMap<>());
    boolean fresh = r.nextInt(5) == 0;
    for (Map.Entry<String, Integer> e : partitions.entrySet()) {
      for (int p = 0; p < e.getValue(); p++) {
        if (fresh || r.nextInt(4) == 0) continue;
        String owner = members.get(r.nextInt(3) == 0 ? 0 : r.nextInt(members.size()));
        current.get(owner).computeIfAbsent(e.getKey(), x -> new TreeSet<>()).add(p);
      }
    }
    TreeMap<String, MemberSpec> specs = new TreeMap<>();
    for (String m : members) specs.put(m, new MemberSpec(instances.get(m), subs.get(m), current.get(m)));
    return new Group(new GroupSpec(specs, partitions), ids);
  }

  private static TreeSet<String> pick(Random r, List<String> names) {
    TreeSet<String> out = new TreeSet<>();
    for (String n : names) if (r.nextInt(3) != 0) out.add(n);
    if (out.isEmpty() && r.nextInt(4) != 0) out.add(names.get(r.nextInt(names.size())));
    return out;
  }

  /** The same group as kafka-group-coordinator sees it: topic ids, a sorted member map, the inverted assignment. */
  static TreeMap<String, TreeMap<String, TreeSet<Integer>>> kafka(ConsumerGroupPartitionAssignor assignor, Group g) {
    Map<String, MemberSubscriptionAndAssignmentImpl> members = new TreeMap<>();
    Map<Uuid, Map<Integer, String>> inverted = new HashMap<>();
    Map<Uuid, String> names = new HashMap<>();
    g.ids().forEach((n, id) -> names.put(id, n));
    for (Map.Entry<String, MemberSpec> e : g.spec().members().entrySet()) {
      Set<Uuid> subscribed = new HashSet<>();
      for (String t : e.getValue().subscribedTopics()) if (g.ids().containsKey(t)) subscribed.add(g.ids().get(t));
      Map<Uuid, Set<Integer>> assignment = new LinkedHashMap<>();
      for (Map.Entry<String, SortedSet<Integer>> a : e.getValue().assignment().entrySet()) {
        Uuid id = g.ids().get(a.getKey());
        assignment.put(id, Collections.unmodifiableSet(new TreeSet<>(a.getValue())));
        for (int p : a.getValue()) inverted.computeIfAbsent(id, x -> new HashMap<>()).put(p, e.getKey());
      }
      members.put(e.getKey(), new MemberSubscriptionAndAssignmentImpl(Optional.empty(), e.getValue().instanceId(), subscribed, new Assignment(assignment)));
    }
    SubscriptionType type = g.spec().subscriptionType() == sim.kafka.group.assignor.ConsumerGroupPartitionAssignor.SubscriptionType.HOMOGENEOUS
        ? SubscriptionType.HOMOGENEOUS : SubscriptionType.HETEROGENEOUS;
    SubscribedTopicDescriber describer = new SubscribedTopicDescriber() {
      @Override
      public int numPartitions(Uuid topicId) {
        String n = names.get(topicId);
        return n == null ? -1 : g.spec().partitionsPerTopic().get(n);
      }

      @Override
      public Set<String> racksForPartition(Uuid topicId, int partition) {
        return Set.of();
      }
    };
    GroupAssignment result = assignor.assign(new GroupSpecImpl(members, type, inverted), describer);
    TreeMap<String, TreeMap<String, TreeSet<Integer>>> out = new TreeMap<>();
    for (String m : g.spec().members().keySet()) out.put(m, new TreeMap<>());
    for (Map.Entry<String, MemberAssignment> e : result.members().entrySet()) {
      e.getValue().partitions().forEach((id, ps) -> {
        if (!ps.isEmpty()) out.get(e.getKey()).put(names.get(id), new TreeSet<>(ps));
      });
    }
    return out;
  }

  static void agree(sim.kafka.group.assignor.ConsumerGroupPartitionAssignor ours, ConsumerGroupPartitionAssignor theirs, long seed, boolean sameTopics) {
    Group g = group(seed, sameTopics);
    assertEquals(kafka(theirs, g), ours.assign(g.spec()), () -> ours.name() + " seed " + seed + ": " + g.spec());
  }

  @Property(tries = 600)
  void uniformAgreesOnHomogeneousGroups(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree(new UniformAssignor(), new org.apache.kafka.coordinator.group.assignor.UniformAssignor(), seed, true);
  }

  @Property(tries = 400)
  void rangeAgreesOnHomogeneousGroups(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree(new RangeAssignor(), new org.apache.kafka.coordinator.group.assignor.RangeAssignor(), seed, true);
  }

  @Property(tries = 400)
  void rangeAgreesOnHeterogeneousGroups(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree(new RangeAssignor(), new org.apache.kafka.coordinator.group.assignor.RangeAssignor(), seed, false);
  }

  /** The generator is not trivial: members over quota (uniform revokes), held topics no longer subscribed, static members. */
  @Test
  void theGeneratedGroupsExerciseTheInterestingCases() {
    int revoked = 0;
    int unsubscribedHeld = 0;
    int statics = 0;
    int heterogeneous = 0;
    for (int seed = 0; seed < 300; seed++) {
      Group g = group(seed, true);
      var result = new UniformAssignor().assign(g.spec());
      for (var e : g.spec().members().entrySet()) {
        if (e.getValue().instanceId().isPresent()) statics++;
        for (var a : e.getValue().assignment().entrySet()) {
          if (!e.getValue().subscribedTopics().contains(a.getKey())) unsubscribedHeld++;
          else if (!result.get(e.getKey()).getOrDefault(a.getKey(), new TreeSet<>()).containsAll(a.getValue())) revoked++;
        }
      }
      if (group(seed, false).spec().subscriptionType() == sim.kafka.group.assignor.ConsumerGroupPartitionAssignor.SubscriptionType.HETEROGENEOUS) heterogeneous++;
    }
    assertTrue(revoked > 30 && unsubscribedHeld > 30 && statics > 30 && heterogeneous > 100,
        "revoked " + revoked + ", unsubscribed held " + unsubscribedHeld + ", static " + statics + ", heterogeneous " + heterogeneous);
  }

  /** What kafka-group-coordinator decides for the CLI's input, printed as ./sim kafka assign --json prints. */
  public static String kafkaJson(String assignor, String topics, String members, String owned) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (String s : topics.split(",")) counts.put(s.split(":")[0], Integer.parseInt(s.split(":")[1]));
    Map<String, Uuid> ids = new HashMap<>();
    int k = 1;
    for (String t : counts.keySet()) ids.put(t, new Uuid(0, k++));
    TreeMap<String, TreeMap<String, SortedSet<Integer>>> current = new TreeMap<>();
    if (owned != null) {
      for (String s : owned.split(";")) {
        String[] parts = s.split("=", -1);
        TreeMap<String, SortedSet<Integer>> mine = new TreeMap<>();
        if (!parts[1].isEmpty()) {
          for (String tp : parts[1].split(",")) mine.computeIfAbsent(tp.substring(0, tp.lastIndexOf('-')), x -> new TreeSet<>()).add(Integer.parseInt(tp.substring(tp.lastIndexOf('-') + 1)));
        }
        current.put(parts[0], mine);
      }
    }
    TreeMap<String, MemberSpec> specs = new TreeMap<>();
    for (String s : members.split(";")) {
      String m = s.split("=")[0];
      specs.put(m, new MemberSpec(Optional.empty(), new TreeSet<>(List.of(s.split("=")[1].split(","))), current.getOrDefault(m, new TreeMap<>())));
    }
    ConsumerGroupPartitionAssignor theirs = assignor.equals("uniform") ? new org.apache.kafka.coordinator.group.assignor.UniformAssignor()
        : new org.apache.kafka.coordinator.group.assignor.RangeAssignor();
    StringBuilder b = new StringBuilder("{");
    int i = 0;
    for (var e : kafka(theirs, new Group(new GroupSpec(specs, counts), ids)).entrySet()) {
      b.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": [");
      int n = 0;
      for (var t : e.getValue().entrySet()) for (int p : t.getValue()) b.append(n++ == 0 ? "" : ", ").append('"').append(t.getKey()).append('-').append(p).append('"');
      b.append(']');
    }
    return b.append("}\n").toString();
  }
}
