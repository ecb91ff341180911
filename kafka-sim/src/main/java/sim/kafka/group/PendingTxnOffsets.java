package sim.kafka.group;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import sim.kafka.broker.TopicPartition;

/**
 * Offsets committed inside transactions whose marker has not reached the offsets partition yet (Kafka's
 * {@code OffsetMetadataManager.pendingTransactionalOffsets}, keyed by producer id). A COMMIT marker makes them the
 * group's committed offsets, an ABORT marker drops them; until then the group's committed offsets do not change, and
 * a read_committed consumer's OffsetFetch ({@code requireStable}) is told {@code UNSTABLE_OFFSET_COMMIT} for their
 * partitions rather than an offset the transaction may be about to replace.
 */
final class PendingTxnOffsets {
  /** producer id → group → partition → offset. */
  private final TreeMap<Long, TreeMap<String, TreeMap<TopicPartition, Long>>> byProducer = new TreeMap<>();

  void put(long producerId, String groupId, Map<TopicPartition, Long> offsets) {
    byProducer.computeIfAbsent(producerId, p -> new TreeMap<>()).computeIfAbsent(groupId, g -> new TreeMap<>()).putAll(offsets);
  }

  /** {@code hasPendingTransactionalOffsets}: some open transaction committed an offset of this partition. */
  boolean hasPending(String groupId, TopicPartition tp) {
    for (TreeMap<String, TreeMap<TopicPartition, Long>> groups : byProducer.values()) {
      TreeMap<TopicPartition, Long> offsets = groups.get(groupId);
      if (offsets != null && offsets.containsKey(tp)) return true;
    }
    return false;
  }

  /** The marker of {@code producerId}'s transaction: its pending offsets, group by group (empty if none), forgotten here. */
  TreeMap<String, TreeMap<TopicPartition, Long>> complete(long producerId) {
    TreeMap<String, TreeMap<TopicPartition, Long>> done = byProducer.remove(producerId);
    return done == null ? new TreeMap<>() : done;
  }

  /** Forgets the groups that moved to another coordinator. */
  void removeGroups(Predicate<String> gone) {
    for (TreeMap<String, TreeMap<TopicPartition, Long>> groups : byProducer.values()) groups.keySet().removeIf(gone);
    byProducer.values().removeIf(Map::isEmpty);
  }

  /** Every group with an offset pending. */
  java.util.TreeSet<String> groups() {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    for (TreeMap<String, TreeMap<TopicPartition, Long>> g : byProducer.values()) out.addAll(g.keySet());
    return out;
  }

  /** The pending offsets of one group, per producer id. */
  TreeMap<Long, TreeMap<TopicPartition, Long>> ofGroup(String groupId) {
    TreeMap<Long, TreeMap<TopicPartition, Long>> out = new TreeMap<>();
    for (Map.Entry<Long, TreeMap<String, TreeMap<TopicPartition, Long>>> e : byProducer.entrySet()) {
      TreeMap<TopicPartition, Long> offsets = e.getValue().get(groupId);
      if (offsets != null) out.put(e.getKey(), offsets);
    }
    return out;
  }
}
