package sim.kafka.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.Struct;
import org.apache.kafka.common.protocol.types.Type;
import sim.kafka.broker.TopicPartition;

/**
 * Our assignors against kafka-clients' own classes (RangeAssignor, RoundRobinAssignor, StickyAssignor,
 * CooperativeStickyAssignor) on random groups: topics and partition counts, members with random
 * subscriptions (some to topics the metadata does not know), static members, previous owners with their
 * generations (some partitions claimed twice), new members. Every member gets the same partitions.
 */
public class AssignorAgreementProperties {
  static final Schema TOPIC_ASSIGNMENT = new Schema(new Field("topic", Type.STRING), new Field("partitions", new ArrayOf(Type.INT32)));
  static final Schema STICKY_USER_DATA_V1 = new Schema(new Field("previous_assignment", new ArrayOf(TOPIC_ASSIGNMENT)),
      new Field("generation", Type.INT32));

  /** One random group: what the CLI or a rebalance hands an assignor. */
  record Group(Map<String, Integer> partitionsPerTopic, Map<String, List<String>> topics, Map<String, List<TopicPartition>> owned,
      Map<String, Integer> generations, Map<String, String> instanceIds) {}

  static Group group(long seed, boolean sameTopics) {
    Random r = new Random(seed);
    int topicCount = 1 + r.nextInt(4);
    List<String> names = new ArrayList<>();
    Map<String, Integer> partitions = new HashMap<>();
    for (int i = 0; i < topicCount; i++) {
      String t = r.nextInt(4) == 0 ? "topic-" + (char) ('a' + r.nextInt(26)) + i : "t" + i;
      names.add(t);
      partitions.put(t, r.nextInt(8));
    }
    int members = 1 + r.nextInt(6);
    Map<String, List<String>> topics = new TreeMap<>();
    Map<String, List<TopicPartition>> owned = new TreeMap<>();
    Map<String, Integer> generations = new TreeMap<>();
    Map<String, String> instances = new TreeMap<>();
    List<String> all = new ArrayList<>(names);
    if (r.nextInt(5) == 0) all.add("unknown-topic");
    List<String> common = pick(r, all);
    for (int m = 0; m < members; m++) {
      String id = r.nextInt(3) == 0 ? "consumer-" + r.nextInt(1000) : "m" + m;
      if (topics.containsKey(id)) continue;
      topics.put(id, sameTopics ? common : pick(r, all));
      if (r.nextInt(4) == 0) instances.put(id, "instance-" + r.nextInt(100));
      if (r.nextInt(4) != 0) {
        owned.put(id, new ArrayList<>());
        generations.put(id, 1 + r.nextInt(3));
      }
    }
    // Previous owners: each partition to at most one previous member, now and then to two.
    List<String> previous = new ArrayList<>(owned.keySet());
    if (!previous.isEmpty()) {
      for (Map.Entry<String, Integer> e : partitions.entrySet()) {
        for (int p = 0; p < e.getValue(); p++) {
          if (r.nextInt(3) == 0) continue;
          TopicPartition tp = new TopicPartition(e.getKey(), p);
          owned.get(previous.get(r.nextInt(previous.size()))).add(tp);
          if (r.nextInt(12) == 0) {
            List<TopicPartition> other = owned.get(previous.get(r.nextInt(previous.size())));
            if (!other.contains(tp)) other.add(tp);
          }
        }
      }
    }
    return new Group(partitions, topics, owned, generations, instances);
  }

  static List<String> pick(Random r, List<String> from) {
    List<String> out = new ArrayList<>();
    for (String t : from) if (r.nextBoolean()) out.add(t);
    if (out.isEmpty()) out.add(from.get(r.nextInt(from.size())));
    return out;
  }

  /** The partitions grouped by topic in order of first appearance: the order both sides read the user data in. */
  static List<TopicPartition> grouped(List<TopicPartition> tps) {
    Map<String, List<TopicPartition>> byTopic = new LinkedHashMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp);
    List<TopicPartition> out = new ArrayList<>();
    byTopic.values().forEach(out::addAll);
    return out;
  }

  public static ByteBuffer stickyUserData(List<TopicPartition> tps, int generation) {
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (TopicPartition tp : grouped(tps)) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    List<Struct> topicAssignments = new ArrayList<>();
    byTopic.forEach((t, ps) -> {
      Struct s = new Struct(TOPIC_ASSIGNMENT);
      s.set("topic", t);
      s.set("partitions", ps.toArray());
      topicAssignments.add(s);
    });
    Struct struct = new Struct(STICKY_USER_DATA_V1);
    struct.set("previous_assignment", topicAssignments.toArray());
    struct.set("generation", generation);
    ByteBuffer b = ByteBuffer.allocate(STICKY_USER_DATA_V1.sizeOf(struct));
    STICKY_USER_DATA_V1.write(b, struct);
    b.flip();
    return b;
  }

  static Map<String, Subscription> ours(Group g, String assignor) {
    Map<String, Subscription> out = new HashMap<>();
    g.topics().forEach((m, topics) -> {
      boolean previous = g.owned().containsKey(m);
      List<TopicPartition> owned = previous ? grouped(g.owned().get(m)) : List.of();
      Optional<Integer> generation = previous ? Optional.of(g.generations().get(m)) : Optional.empty();
      boolean eager = assignor.equals(StickyAssignor.NAME);
      out.put(m, new Subscription(topics, eager ? List.of() : owned, generation, Optional.ofNullable(g.instanceIds().get(m)),
          eager && previous ? Optional.of(new Subscription.StickyUserData(owned, generation)) : Optional.empty()));
    });
    return out;
  }

  static Map<String, ConsumerPartitionAssignor.Subscription> theirs(Group g, String assignor) {
    Map<String, ConsumerPartitionAssignor.Subscription> out = new HashMap<>();
    g.topics().forEach((m, topics) -> {
      boolean previous = g.owned().containsKey(m);
      List<org.apache.kafka.common.TopicPartition> owned = new ArrayList<>();
      if (previous) for (TopicPartition tp : grouped(g.owned().get(m))) owned.add(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition()));
      int generation = previous ? g.generations().get(m) : -1;
      boolean eager = assignor.equals(StickyAssignor.NAME);
      ByteBuffer userData = eager && previous ? stickyUserData(g.owned().get(m), generation) : null;
      ConsumerPartitionAssignor.Subscription s = new ConsumerPartitionAssignor.Subscription(topics, userData, eager ? List.of() : owned,
          generation, Optional.empty());
      s.setGroupInstanceId(Optional.ofNullable(g.instanceIds().get(m)));
      out.put(m, s);
    });
    return out;
  }

  static Map<String, List<String>> sorted(Map<String, List<TopicPartition>> ours) {
    Map<String, List<String>> out = new TreeMap<>();
    ours.forEach((m, tps) -> out.put(m, tps.stream().sorted((a, b) -> a.topic().equals(b.topic())
        ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic())).map(TopicPartition::toString).toList()));
    return out;
  }

  static Map<String, List<String>> sortedTheirs(Map<String, List<org.apache.kafka.common.TopicPartition>> theirs) {
    Map<String, List<TopicPartition>> converted = new HashMap<>();
    theirs.forEach((m, tps) -> converted.put(m, tps.stream().map(tp -> new TopicPartition(tp.topic(), tp.partition())).toList()));
    return sorted(converted);
  }

  static Map<String, List<org.apache.kafka.common.TopicPartition>> kafka(String name, Group g) {
    Map<String, Integer> counts = new HashMap<>(g.partitionsPerTopic());
    Map<String, ConsumerPartitionAssignor.Subscription> subs = theirs(g, name);
    return switch (name) {
      case "range" -> new org.apache.kafka.clients.consumer.RangeAssignor().assign(counts, subs);
      case "roundrobin" -> new org.apache.kafka.clients.consumer.RoundRobinAssignor().assign(counts, subs);
      case "sticky" -> new org.apache.kafka.clients.consumer.StickyAssignor().assign(counts, subs);
      default -> new org.apache.kafka.clients.consumer.CooperativeStickyAssignor().assignPartitions(
          org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignorAccess.withoutRacks(counts), subs);
    };
  }

  void agree(String name, long seed, boolean sameTopics) {
    Group g = group(seed, sameTopics);
    Map<String, List<String>> expected;
    try {
      expected = sortedTheirs(kafka(name, g));
    } catch (RuntimeException kafkaFailed) {
      // Inputs kafka-clients itself cannot assign (a previous owner that no longer takes part): ours refuses too.
      org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
          () -> PartitionAssignor.named(name).assign(new HashMap<>(g.partitionsPerTopic()), ours(g, name)), kafkaFailed.toString());
      return;
    }
    Map<String, List<String>> actual = sorted(PartitionAssignor.named(name).assign(new HashMap<>(g.partitionsPerTopic()), ours(g, name)));
    assertEquals(expected, actual, name + " on " + g);
  }

  @org.junit.jupiter.api.Test
  void theGeneratedGroupsExerciseStickinessAndBothAlgorithms() {
    int threw = 0;
    int moved = 0;
    int kept = 0;
    for (long seed = 0; seed < 600; seed++) {
      for (boolean same : new boolean[] {true, false}) {
        Group g = group(seed, same);
        try {
          Map<String, List<String>> a = sortedTheirs(kafka("cooperative-sticky", g));
          for (var e : g.owned().entrySet()) {
            for (TopicPartition tp : e.getValue()) {
              if (a.getOrDefault(e.getKey(), List.of()).contains(tp.toString())) kept++;
              else moved++;
            }
          }
        } catch (RuntimeException e) {
          threw++;
        }
      }
    }
    org.junit.jupiter.api.Assertions.assertTrue(threw < 60 && kept > 500 && moved > 100, "threw " + threw + ", kept " + kept + ", moved " + moved);
  }

  @Property(tries = 400)
  void rangeAgrees(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree("range", seed, seed % 2 == 0);
  }

  @Property(tries = 400)
  void roundRobinAgrees(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree("roundrobin", seed, seed % 2 == 0);
  }

  @Property(tries = 600)
  void stickyAgrees(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree("sticky", seed, seed % 2 == 0);
  }

  @Property(tries = 600)
  void cooperativeStickyAgrees(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    agree("cooperative-sticky", seed, seed % 2 == 0);
  }
}
