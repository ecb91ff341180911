package sim.kafka.group;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * The sticky assignors' shared algorithm, as kafka-clients' {@code AbstractStickyAssignor} decides it (rack-free):
 * as balanced as possible, and moving as few partitions as possible from their previous owners.
 *
 * <p>When every member subscribes to the same topics, the constrained algorithm: each member keeps up to its
 * quota (⌊P/M⌋, or ⌈P/M⌉ for the first {@code P mod M} that reach it) of what it owned, lowest partition
 * numbers first; the rest is dealt round-robin to members under quota. Otherwise the general algorithm:
 * keep what is still subscribed, give unassigned partitions to the member with the fewest, then move
 * partitions from members with more to members with fewer (preferring a partition's previous owner) until no
 * move would improve balance, and keep the result only if it is better balanced than before.
 *
 * <p>Ties are broken by the same iteration orders as Kafka's (hash-ordered maps and sets over member ids and
 * topic partitions, {@link TopicPartition} hashing as Kafka's): that is what makes the assignments equal, not
 * just equally good.
 */
abstract class AbstractStickyAssignor implements PartitionAssignor {
  static final int DEFAULT_GENERATION = -1;

  /** The previous assignment and generation a member reports; where it comes from is the subclass's business. */
  record MemberData(List<TopicPartition> partitions, Optional<Integer> generation) {}

  private record ConsumerGenerationPair(String consumer, int generation) {}

  /** Partitions the constrained algorithm gave a member other than the one that owned it (cooperative revokes them first). */
  protected Map<TopicPartition, String> partitionsTransferringOwnership = new HashMap<>();
  /** The highest generation any member ever reported to this instance (Kafka never resets it between rebalances). */
  private int maxGeneration = DEFAULT_GENERATION;

  protected abstract MemberData memberData(Subscription subscription);

  @Override
  public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic, Map<String, Subscription> subscriptions) {
    Map<String, Integer> counts = new HashMap<>();
    partitionsPerTopic.forEach(counts::put);
    Map<String, List<TopicPartition>> consumerToOwnedPartitions = new HashMap<>();
    Set<TopicPartition> multiplyOwned = new HashSet<>();
    if (allSubscriptionsEqual(counts.keySet(), subscriptions, consumerToOwnedPartitions, multiplyOwned)) {
      partitionsTransferringOwnership = new HashMap<>();
      return new Constrained(counts, consumerToOwnedPartitions, multiplyOwned).build();
    }
    partitionsTransferringOwnership = null;
    return new General(counts, consumerToOwnedPartitions, subscriptions).build();
  }

  /**
   * Whether every member subscribes to the same topics; fills each member's still-valid owned partitions. A
   * partition claimed by two members goes to the higher generation; claimed twice in one generation, to
   * neither (it is remembered as multiply owned).
   */
  private boolean allSubscriptionsEqual(Set<String> allTopics, Map<String, Subscription> subscriptions,
      Map<String, List<TopicPartition>> consumerToOwnedPartitions, Set<TopicPartition> multiplyOwned) {
    boolean equal = true;
    Set<String> subscribedTopics = new HashSet<>();
    Map<TopicPartition, String> previousOwner = new HashMap<>();
    for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
      String consumer = e.getKey();
      Subscription subscription = e.getValue();
      if (subscribedTopics.isEmpty()) {
        subscribedTopics.addAll(subscription.topics());
      } else if (equal && !(subscription.topics().size() == subscribedTopics.size() && subscribedTopics.containsAll(subscription.topics()))) {
        equal = false;
      }
      MemberData data = memberData(subscription);
      int generation = data.generation().orElse(DEFAULT_GENERATION);
      maxGeneration = Math.max(maxGeneration, generation);
      List<TopicPartition> owned = new ArrayList<>();
      consumerToOwnedPartitions.put(consumer, owned);
      for (TopicPartition tp : data.partitions()) {
        if (!allTopics.contains(tp.topic())) continue;
        String other = previousOwner.get(tp);
        if (other == null) {
          owned.add(tp);
          previousOwner.put(tp, consumer);
          continue;
        }
        int otherGeneration = subscriptions.get(other).generationId().orElse(DEFAULT_GENERATION);
        if (generation == otherGeneration) {
          multiplyOwned.add(tp);
          consumerToOwnedPartitions.get(other).remove(tp);
          previousOwner.put(tp, consumer);
        } else if (generation > otherGeneration) {
          owned.add(tp);
          consumerToOwnedPartitions.get(other).remove(tp);
          previousOwner.put(tp, consumer);
        }
      }
    }
    return equal;
  }

  private static int total(Map<String, Integer> counts) {
    int n = 0;
    for (int c : counts.values()) n += c;
    return n;
  }

  private static List<TopicPartition> allPartitions(Map<String, Integer> counts, List<String> topicsInOrder) {
    List<TopicPartition> all = new ArrayList<>();
    for (String topic : topicsInOrder) for (int p = 0; p < counts.get(topic); p++) all.add(new TopicPartition(topic, p));
    return all;
  }

  /** Every member subscribes to the same topics: quotas and round-robin. */
  private final class Constrained {
    private final Map<String, Integer> counts;
    private final Map<String, List<TopicPartition>> owned;
    private final Set<TopicPartition> multiplyOwned;
    private final Map<TopicPartition, String> maybeRevoked = new HashMap<>();
    private final List<String> underMin = new LinkedList<>();
    private final LinkedList<String> exactlyMin = new LinkedList<>();
    private final int minQuota;
    private final int maxQuota;
    private final int expectedOverMin;
    private int currentOverMin;
    private final Map<String, List<TopicPartition>> assignment = new HashMap<>();
    private final List<TopicPartition> assigned = new ArrayList<>();

    Constrained(Map<String, Integer> counts, Map<String, List<TopicPartition>> owned, Set<TopicPartition> multiplyOwned) {
      this.counts = counts;
      this.owned = owned;
      this.multiplyOwned = multiplyOwned;
      int partitions = total(counts);
      int members = owned.size();
      minQuota = (int) Math.floor((double) partitions / members);
      maxQuota = (int) Math.ceil((double) partitions / members);
      expectedOverMin = partitions % members;
      for (String c : owned.keySet()) assignment.put(c, new ArrayList<>(maxQuota));
    }

    Map<String, List<TopicPartition>> build() {
      assignOwnedPartitions();
      List<TopicPartition> unassigned = unassignedPartitions();
      Collections.sort(underMin);
      Collections.sort(exactlyMin);
      assignRoundRobin(unassigned);
      return assignment;
    }

    private void assignOwnedPartitions() {
      for (Map.Entry<String, List<TopicPartition>> e : owned.entrySet()) {
        String consumer = e.getKey();
        List<TopicPartition> mine = new ArrayList<>(e.getValue());
        mine.sort(Comparator.comparing(TopicPartition::partition).thenComparing(TopicPartition::topic));
        List<TopicPartition> target = assignment.get(consumer);
        for (TopicPartition doubly : multiplyOwned) mine.remove(doubly);
        if (mine.size() < minQuota) {
          target.addAll(mine);
          assigned.addAll(mine);
          underMin.add(consumer);
        } else if (mine.size() >= maxQuota && currentOverMin < expectedOverMin) {
          currentOverMin++;
          if (currentOverMin == expectedOverMin) exactlyMin.clear();
          target.addAll(mine.subList(0, maxQuota));
          assigned.addAll(mine.subList(0, maxQuota));
          for (TopicPartition tp : mine.subList(maxQuota, mine.size())) maybeRevoked.put(tp, consumer);
        } else {
          target.addAll(mine.subList(0, minQuota));
          assigned.addAll(mine.subList(0, minQuota));
          for (TopicPartition tp : mine.subList(minQuota, mine.size())) maybeRevoked.put(tp, consumer);
          if (currentOverMin < expectedOverMin) exactlyMin.add(consumer);
        }
      }
    }

    private List<TopicPartition> unassignedPartitions() {
      List<String> topics = new ArrayList<>(counts.keySet());
      Collections.sort(topics);
      Set<TopicPartition> taken = new HashSet<>(assigned);
      List<TopicPartition> out = new ArrayList<>();
      for (TopicPartition tp : allPartitions(counts, topics)) if (!taken.contains(tp)) out.add(tp);
      return out;
    }

    private void assignRoundRobin(List<TopicPartition> unassigned) {
      Iterator<String> members = underMin.iterator();
      for (TopicPartition tp : unassigned) {
        String consumer;
        if (members.hasNext()) {
          consumer = members.next();
        } else if (underMin.isEmpty() && exactlyMin.isEmpty()) {
          throw new IllegalStateException("No more unfilled consumers to be assigned.");
        } else if (underMin.isEmpty()) {
          consumer = exactlyMin.poll();
        } else {
          members = underMin.iterator();
          consumer = members.next();
        }
        List<TopicPartition> target = assignment.get(consumer);
        target.add(tp);
        if ((maybeRevoked.containsKey(tp) && !maybeRevoked.get(tp).equals(consumer)) || multiplyOwned.contains(tp)) {
          partitionsTransferringOwnership.put(tp, consumer);
        }
        if (target.size() == minQuota) {
          members.remove();
          exactlyMin.add(consumer);
        } else if (target.size() == maxQuota) {
          currentOverMin++;
        }
      }
    }
  }

  /** Members subscribe to different topics: keep, fill, then balance by moving partitions. */
  private final class General {
    private final Map<String, Integer> counts;
    private final int totalPartitions;
    private final Map<String, List<TopicPartition>> current;
    private final Map<String, Subscription> subscriptions;
    private final Map<String, List<String>> topicConsumers;
    private final Map<String, List<String>> consumerTopics;
    private final Map<TopicPartition, String> partitionConsumer = new HashMap<>();
    private final List<TopicPartition> sortedAllPartitions;
    private final TreeSet<String> sortedConsumers;
    private final PartitionMovements movements = new PartitionMovements();
    private boolean revocationRequired;

    General(Map<String, Integer> counts, Map<String, List<TopicPartition>> current, Map<String, Subscription> subscriptions) {
      this.counts = counts;
      this.totalPartitions = total(counts);
      this.current = current;
      this.subscriptions = subscriptions;
      // Sized as Kafka sizes them: a map's capacity decides its iteration order.
      this.topicConsumers = new HashMap<>(counts.size());
      this.consumerTopics = new HashMap<>(subscriptions.size());
      for (String topic : counts.keySet()) topicConsumers.put(topic, new ArrayList<>());
      subscriptions.forEach((consumer, s) -> {
        List<String> topics = new ArrayList<>(s.topics().size());
        consumerTopics.put(consumer, topics);
        for (String topic : s.topics()) {
          if (counts.get(topic) == null) continue;
          topics.add(topic);
          topicConsumers.get(topic).add(consumer);
        }
        if (!current.containsKey(consumer)) current.put(consumer, new ArrayList<>());
      });
      for (Map.Entry<String, List<TopicPartition>> e : current.entrySet()) for (TopicPartition tp : e.getValue()) partitionConsumer.put(tp, e.getKey());
      List<String> topics = new ArrayList<>(topicConsumers.keySet());
      topics.sort(byPotentialConsumers());
      sortedAllPartitions = allPartitions(counts, topics);
      sortedConsumers = new TreeSet<>((a, b) -> {
        int c = current.get(a).size() - current.get(b).size();
        return c != 0 ? c : a.compareTo(b);
      });
    }

    /** Topics with fewer potential consumers first (they have fewer places to go), then by name. */
    private Comparator<String> byPotentialConsumers() {
      return (a, b) -> {
        int c = topicConsumers.get(a).size() - topicConsumers.get(b).size();
        return c != 0 ? c : a.compareTo(b);
      };
    }

    Map<String, List<TopicPartition>> build() {
      Map<TopicPartition, ConsumerGenerationPair> previous = new HashMap<>();
      prepopulatePreviousAssignment(previous);
      List<TopicPartition> assigned = keepOwnedPartitions();
      List<TopicPartition> unassigned = unassignedPartitions(assigned);
      sortedConsumers.addAll(current.keySet());
      balance(previous, unassigned);
      return current;
    }

    /** Owners from older generations: a partition may go back to its previous owner when that evens things out. */
    private void prepopulatePreviousAssignment(Map<TopicPartition, ConsumerGenerationPair> previous) {
      for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
        MemberData data = memberData(e.getValue());
        if (data.generation().isPresent() && data.generation().get() < maxGeneration) {
          updatePrevious(previous, data.partitions(), e.getKey(), data.generation().get());
        } else if (data.generation().isEmpty() && maxGeneration > DEFAULT_GENERATION) {
          updatePrevious(previous, data.partitions(), e.getKey(), DEFAULT_GENERATION);
        }
      }
    }

    private void updatePrevious(Map<TopicPartition, ConsumerGenerationPair> previous, List<TopicPartition> partitions, String consumer, int generation) {
      for (TopicPartition tp : partitions) {
        ConsumerGenerationPair was = previous.get(tp);
        if (was == null || generation > was.generation()) previous.put(tp, new ConsumerGenerationPair(consumer, generation));
      }
    }

    private List<TopicPartition> keepOwnedPartitions() {
      List<TopicPartition> assigned = new ArrayList<>();
      for (Iterator<Map.Entry<String, List<TopicPartition>>> it = current.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, List<TopicPartition>> e = it.next();
        Subscription s = subscriptions.get(e.getKey());
        if (s == null) {
          for (TopicPartition tp : e.getValue()) partitionConsumer.remove(tp);
          it.remove();
          continue;
        }
        for (Iterator<TopicPartition> pi = e.getValue().iterator(); pi.hasNext(); ) {
          TopicPartition tp = pi.next();
          if (!topicConsumers.containsKey(tp.topic())) {
            pi.remove();
            partitionConsumer.remove(tp);
          } else if (!s.topics().contains(tp.topic())) {
            pi.remove();
            revocationRequired = true;
          } else {
            assigned.add(tp);
          }
        }
      }
      return assigned;
    }

    private List<TopicPartition> unassignedPartitions(List<TopicPartition> assigned) {
      if (assigned.isEmpty()) return sortedAllPartitions;
      Set<TopicPartition> taken = new HashSet<>(assigned);
      List<TopicPartition> out = new ArrayList<>();
      for (TopicPartition tp : sortedAllPartitions) if (!taken.contains(tp)) out.add(tp);
      return out;
    }

    private boolean isBalanced() {
      int min = current.get(sortedConsumers.first()).size();
      int max = current.get(sortedConsumers.last()).size();
      if (min >= max - 1) return true;
      Map<TopicPartition, String> owner = new HashMap<>();
      for (Map.Entry<String, List<TopicPartition>> e : current.entrySet()) for (TopicPartition tp : e.getValue()) owner.put(tp, e.getKey());
      for (String consumer : sortedConsumers) {
        List<TopicPartition> mine = current.get(consumer);
        int count = mine.size();
        List<String> topics = consumerTopics.get(consumer);
        if (count == maxAssignmentSize(topics)) continue;
        for (String topic : topics) {
          for (int p = 0; p < counts.get(topic); p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            if (!mine.contains(tp) && count + 1 < current.get(owner.get(tp)).size()) return false;
          }
        }
      }
      return true;
    }

    private int maxAssignmentSize(List<String> topics) {
      if (topics.size() == counts.size()) return totalPartitions;
      int n = 0;
      for (String t : topics) n += counts.get(t);
      return n;
    }

    /** Sum over member pairs of the difference in assignment sizes: 0 when perfectly even. */
    private int balanceScore(Map<String, List<TopicPartition>> assignment) {
      Map<String, Integer> sizes = new HashMap<>();
      for (Map.Entry<String, List<TopicPartition>> e : assignment.entrySet()) sizes.put(e.getKey(), e.getValue().size());
      int score = 0;
      for (Iterator<Map.Entry<String, Integer>> it = sizes.entrySet().iterator(); it.hasNext(); ) {
        int size = it.next().getValue();
        it.remove();
        for (int other : sizes.values()) score += Math.abs(size - other);
      }
      return score;
    }

    private void assignToFewest(TopicPartition tp) {
      for (String consumer : sortedConsumers) {
        if (!consumerTopics.get(consumer).contains(tp.topic())) continue;
        sortedConsumers.remove(consumer);
        current.get(consumer).add(tp);
        partitionConsumer.put(tp, consumer);
        sortedConsumers.add(consumer);
        return;
      }
    }

    private boolean topicCanMove(String topic) {
      return topicConsumers.get(topic).size() >= 2;
    }

    private boolean consumerCanMove(String consumer) {
      List<TopicPartition> mine = current.get(consumer);
      if (mine.size() < maxAssignmentSize(consumerTopics.get(consumer))) return true;
      for (TopicPartition tp : mine) if (topicCanMove(tp.topic())) return true;
      return false;
    }

    private void balance(Map<TopicPartition, ConsumerGenerationPair> previous, List<TopicPartition> unassigned) {
      boolean initializing = current.get(sortedConsumers.last()).isEmpty();
      for (TopicPartition tp : unassigned) if (!topicConsumers.get(tp.topic()).isEmpty()) assignToFewest(tp);
      Set<TopicPartition> fixed = new HashSet<>();
      for (String topic : topicConsumers.keySet()) {
        if (!topicCanMove(topic)) for (int p = 0; p < counts.get(topic); p++) fixed.add(new TopicPartition(topic, p));
      }
      sortedAllPartitions.removeAll(fixed);
      unassigned.removeAll(fixed);
      Map<String, List<TopicPartition>> fixedAssignments = new HashMap<>();
      for (String consumer : consumerTopics.keySet()) {
        if (consumerCanMove(consumer)) continue;
        sortedConsumers.remove(consumer);
        fixedAssignments.put(consumer, current.remove(consumer));
      }
      Map<String, List<TopicPartition>> before = deepCopy(current);
      Map<TopicPartition, String> beforeOwners = new HashMap<>(partitionConsumer);
      if (!revocationRequired) reassign(unassigned, previous);
      boolean moved = reassign(sortedAllPartitions, previous);
      if (!initializing && moved && balanceScore(current) >= balanceScore(before)) {
        current.clear();
        for (Map.Entry<String, List<TopicPartition>> e : before.entrySet()) current.put(e.getKey(), new ArrayList<>(e.getValue()));
        partitionConsumer.clear();
        partitionConsumer.putAll(beforeOwners);
      }
      for (Map.Entry<String, List<TopicPartition>> e : fixedAssignments.entrySet()) {
        current.put(e.getKey(), e.getValue());
        sortedConsumers.add(e.getKey());
      }
    }

    private boolean reassign(List<TopicPartition> partitions, Map<TopicPartition, ConsumerGenerationPair> previous) {
      boolean moved = false;
      boolean modified;
      do {
        modified = false;
        for (Iterator<TopicPartition> it = partitions.iterator(); it.hasNext() && !isBalanced(); ) {
          TopicPartition tp = it.next();
          String consumer = partitionConsumer.get(tp);
          ConsumerGenerationPair prev = previous.get(tp);
          if (prev != null && current.get(consumer).size() > current.get(prev.consumer()).size() + 1) {
            move(tp, prev.consumer());
            moved = true;
            modified = true;
            continue;
          }
          for (String other : topicConsumers.get(tp.topic())) {
            if (current.get(consumer).size() > current.get(other).size() + 1) {
              moveToFewest(tp);
              moved = true;
              modified = true;
              break;
            }
          }
        }
      } while (modified);
      return moved;
    }

    private void moveToFewest(TopicPartition tp) {
      for (String consumer : sortedConsumers) {
        if (consumerTopics.get(consumer).contains(tp.topic())) {
          move(tp, consumer);
          return;
        }
      }
    }

    private void move(TopicPartition tp, String newConsumer) {
      TopicPartition actual = movements.partitionToMove(tp, partitionConsumer.get(tp), newConsumer);
      String oldConsumer = partitionConsumer.get(actual);
      sortedConsumers.remove(oldConsumer);
      sortedConsumers.remove(newConsumer);
      movements.move(actual, oldConsumer, newConsumer);
      current.get(oldConsumer).remove(actual);
      current.get(newConsumer).add(actual);
      partitionConsumer.put(actual, newConsumer);
      sortedConsumers.add(newConsumer);
      sortedConsumers.add(oldConsumer);
    }

    private Map<String, List<TopicPartition>> deepCopy(Map<String, List<TopicPartition>> from) {
      Map<String, List<TopicPartition>> copy = new HashMap<>();
      for (Map.Entry<String, List<TopicPartition>> e : from.entrySet()) copy.put(e.getKey(), new ArrayList<>(e.getValue()));
      return copy;
    }
  }
}
