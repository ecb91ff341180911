package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeId;
import sim.kafka.broker.TopicPartition;

/**
 * The moments Kafka's rules allow acknowledged (or consumed) records to be lost, each with exactly the records
 * it covers. A moment names its rule ("unclean.leader.election.enable=true: orders-0 epoch 2 went to b3,
 * out of sync") and the epochs before it, and learns what survived it: for an unclean election, the new
 * leader's log when it took over; for an ISR-wide crash, the log of the first of those in-sync replicas to
 * lead again (Kafka elects from the ISR whatever it kept), or, if none ever does, what they held when they
 * came back. It covers a record written or acknowledged in an earlier epoch that did not survive: lost
 * by that moment and nothing else. A record that survived it and disappeared later needs another excuse;
 * with none, the check fails.
 */
final class LossLedger {
  /** One moment that allows a loss; {@code resolved} once everything that survived it is known. */
  static final class LossEvent {
    final String rule;
    final TopicPartition tp;
    final int coversEpochsBelow;
    long atNanos;
    final Map<Long, java.util.Set<String>> survivors = new HashMap<>();
    /** For an ISR-wide crash: the ISR at the crash; the first of them to lead again tells what survived. */
    final java.util.Set<NodeId> members = new java.util.TreeSet<>();
    /** Until then, what the crashed members hold once they are back (if none of them ever leads again). */
    final Map<Long, java.util.Set<String>> keptByMembers = new HashMap<>();
    final Map<NodeId, Integer> awaiting = new TreeMap<>();
    boolean resolved;

    LossEvent(String rule, TopicPartition tp, int coversEpochsBelow) {
      this.rule = rule;
      this.tp = tp;
      this.coversEpochsBelow = coversEpochsBelow;
    }

    void survived(Map<Long, String> log) {
      add(survivors, log);
    }

    static void add(Map<Long, java.util.Set<String>> into, Map<Long, String> log) {
      log.forEach((o, v) -> into.computeIfAbsent(o, k -> new java.util.HashSet<>(2)).add(v));
    }

    /** Whether this moment explains losing {@code value} at {@code offset}, written or acknowledged in {@code epoch}. */
    boolean covers(long offset, String value, int epoch) {
      return resolved && epoch < coversEpochsBelow && !survivors.getOrDefault(offset, java.util.Set.of()).contains(value);
    }
  }

  private final List<LossEvent> events = new ArrayList<>();
  private final Map<TopicPartition, Boolean> isrLost = new HashMap<>();

  /** An out-of-sync replica became leader of {@code epoch} (allowed only with unclean.leader.election.enable). */
  void uncleanElection(TopicPartition tp, int epoch, NodeId leader, long atNanos) {
    LossEvent e = new LossEvent("unclean.leader.election.enable=true: " + tp + " epoch " + epoch + " went to " + leader
        + ", out of sync, at " + Durations.format(atNanos), tp, epoch);
    e.atNanos = atNanos;
    events.add(e);
  }

  /** What a replica holds, when asked: its log as offset → value, or null while it is down. */
  interface Replicas {
    boolean up(NodeId r);

    int incarnation(NodeId r);

    Map<Long, String> log(NodeId r);
  }

  /**
   * Called after every event with whether some in-sync replica of {@code tp} kept its page cache since it
   * joined the ISR; the moment none did, records acknowledged so far may be gone from every replica: what
   * survived is what those replicas hold once each is back.
   */
  void isrIntact(TopicPartition tp, boolean intact, List<NodeId> isr, int maxEpochSoFar, long atNanos, Replicas replicas) {
    boolean wasLost = isrLost.getOrDefault(tp, false);
    if (wasLost == intact) isrLost.put(tp, !intact); // only a change is written: this runs for every partition after every event
    if (intact || wasLost) return;
    LossEvent e = new LossEvent("acks=all is not fsync: every in-sync replica of " + tp + " " + isr + " had crashed by "
        + Durations.format(atNanos) + ", page cache lost, and the partition went on from what the first of them to lead again kept",
        tp, maxEpochSoFar + 1);
    e.atNanos = atNanos;
    e.members.addAll(isr);
    for (NodeId r : isr) {
      if (replicas.up(r)) LossEvent.add(e.keptByMembers, replicas.log(r));
      else e.awaiting.put(r, replicas.incarnation(r));
    }
    events.add(e);
  }

  /** Whether some ISR-wide crash still waits for one of its replicas to come back. */
  boolean awaitsReplicas() {
    for (LossEvent e : events) if (!e.resolved && !e.awaiting.isEmpty()) return true;
    return false;
  }

  /**
   * After every event, for each partition: its crashed in-sync replicas that are back tell what they kept of
   * {@code tp} ({@code replicas} reads that partition's logs, so only that partition's moments learn from it).
   */
  void replicasBack(TopicPartition tp, Replicas replicas) {
    for (LossEvent e : events) {
      if (e.resolved || e.awaiting.isEmpty() || !e.tp.equals(tp)) continue;
      for (var it = e.awaiting.entrySet().iterator(); it.hasNext(); ) {
        var w = it.next();
        if (!replicas.up(w.getKey())) continue; // down at the crash, so up again means restarted
        LossEvent.add(e.keptByMembers, replicas.log(w.getKey()));
        it.remove();
      }
    }
  }

  /**
   * {@code leader} took {@code epoch} with {@code log} (offset → value): it resolves the unclean elections of
   * that epoch or before, and the ISR-wide crashes whose ISR it was in.
   */
  void newLeader(TopicPartition tp, int epoch, NodeId leader, java.util.function.Supplier<Map<Long, String>> log) {
    Map<Long, String> snapshot = null;
    for (LossEvent e : events) {
      if (!e.tp.equals(tp) || e.resolved || epoch < e.coversEpochsBelow) continue;
      if (!e.members.isEmpty() && !e.members.contains(leader)) continue;
      if (snapshot == null) snapshot = log.get();
      e.survived(snapshot);
      e.resolved = true;
    }
  }

  /**
   * The end of the run: an ISR-wide crash none of whose replicas led again lost what none of them kept; an
   * election never taken up lost what the partition does not hold now.
   */
  void resolveWithFinalLogs(Map<TopicPartition, Map<Long, String>> finalLogs) {
    for (LossEvent e : events) {
      if (e.resolved) continue;
      if (!e.members.isEmpty()) e.survivors.putAll(e.keptByMembers);
      else e.survived(finalLogs.getOrDefault(e.tp, Map.of()));
      e.resolved = true;
    }
  }

  /** Rule → the ids (as {@code id.apply}) of the records each moment covers, for {@code CheckResult.losses}. */
  <T> Map<String, List<String>> covered(Collection<T> records, RecordKey<T> key) {
    Map<String, List<String>> out = new TreeMap<>();
    for (LossEvent e : events) {
      List<String> mine = new ArrayList<>();
      for (T r : records) {
        if (key.tp(r).equals(e.tp) && e.covers(key.offset(r), key.value(r), key.epoch(r))) mine.add(key.id(r));
      }
      if (!mine.isEmpty()) out.merge(e.rule, mine, (a, b) -> {
        a.addAll(b);
        return a;
      });
    }
    return out;
  }

  /** The moments on {@code tp} at or after {@code sinceNanos}: rule → when. */
  Map<String, Long> eventsOn(TopicPartition tp) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (LossEvent e : events) if (e.tp.equals(tp)) out.put(e.rule, e.atNanos);
    return out;
  }

  boolean anyFor(TopicPartition tp) {
    return events.stream().anyMatch(e -> e.tp.equals(tp));
  }

  List<String> rulesFor(TopicPartition tp) {
    return events.stream().filter(e -> e.tp.equals(tp)).map(e -> e.rule).toList();
  }

  /** How to read a record (acknowledged or consumed) for the ledger. */
  interface RecordKey<T> {
    TopicPartition tp(T r);

    long offset(T r);

    String value(T r);

    int epoch(T r);

    String id(T r);
  }
}
