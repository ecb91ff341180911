package sim.kafka.group;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import sim.kafka.broker.TopicPartition;

/**
 * The moves made so far, so that a partition moving back along a path another partition of its topic took
 * the other way is swapped for that one: stickiness is kept across the balancing loop.
 */
final class PartitionMovements {
  private record Pair(String src, String dst) {
    @Override
    public int hashCode() {
      return 31 * (31 + src.hashCode()) + dst.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Pair p && src.equals(p.src) && dst.equals(p.dst);
    }
  }

  private final Map<String, Map<Pair, Set<TopicPartition>>> byTopic = new HashMap<>();
  private final Map<TopicPartition, Pair> moves = new HashMap<>();

  private Pair remove(TopicPartition tp) {
    Pair pair = moves.remove(tp);
    Map<Pair, Set<TopicPartition>> forTopic = byTopic.get(tp.topic());
    forTopic.get(pair).remove(tp);
    if (forTopic.get(pair).isEmpty()) forTopic.remove(pair);
    if (byTopic.get(tp.topic()).isEmpty()) byTopic.remove(tp.topic());
    return pair;
  }

  private void add(TopicPartition tp, Pair pair) {
    moves.put(tp, pair);
    byTopic.computeIfAbsent(tp.topic(), t -> new HashMap<>()).computeIfAbsent(pair, p -> new HashSet<>()).add(tp);
  }

  void move(TopicPartition tp, String oldConsumer, String newConsumer) {
    if (moves.containsKey(tp)) {
      Pair existing = remove(tp);
      if (!existing.src().equals(newConsumer)) add(tp, new Pair(existing.src(), newConsumer));
    } else {
      add(tp, new Pair(oldConsumer, newConsumer));
    }
  }

  TopicPartition partitionToMove(TopicPartition tp, String oldConsumer, String newConsumer) {
    Map<Pair, Set<TopicPartition>> forTopic = byTopic.get(tp.topic());
    if (forTopic == null) return tp;
    if (moves.containsKey(tp)) oldConsumer = moves.get(tp).src();
    Set<TopicPartition> reverse = forTopic.get(new Pair(newConsumer, oldConsumer));
    return reverse == null ? tp : reverse.iterator().next();
  }
}
