package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.Consumer;
import sim.kafka.client.Producer;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * Builds a cluster on a simulation (controller, brokers b1..bN, a producer and a consumer) and registers
 * Kafka's invariants, checked after every event, and the final checks on what users care about: were
 * acknowledged records kept, were any duplicated, did what consumers read stay.
 */
public final class KafkaCluster {
  public static final NodeId CONTROLLER = NodeId.of("controller");
  public static final NodeId PRODUCER = NodeId.of("producer");
  public static final NodeId CONSUMER = NodeId.of("consumer");

  private final Simulation sim;
  private final ClusterSpec spec;
  private final List<NodeId> brokers = new ArrayList<>();
  private final List<TopicPartition> tps = new ArrayList<>();
  private final Map<String, NodeId> leaderOfEpoch = new HashMap<>();
  private final TreeSet<TopicPartition> isrWasAllDown = new TreeSet<>();
  private final TreeSet<TopicPartition> restartedLeaderLostTail = new TreeSet<>();
  private final Map<TopicPartition, Long> maxHighWatermark = new TreeMap<>();
  private final Map<String, Integer> heldCommitted = new HashMap<>();
  private final Map<TopicPartition, PartitionState> lastKnown = new TreeMap<>();
  private final Map<String, String> agreedSignatures = new HashMap<>();
  private int uncleanElections;
  private int consumedChecked;

  private KafkaCluster(Simulation sim, ClusterSpec spec) {
    this.sim = sim;
    this.spec = spec;
  }

  public static KafkaCluster install(Simulation sim, ClusterSpec spec) {
    KafkaCluster c = new KafkaCluster(sim, spec);
    c.build();
    c.registerChecks();
    return c;
  }

  private void build() {
    for (int i = 1; i <= spec.brokers(); i++) brokers.add(NodeId.of("b" + i));
    List<PartitionState> initial = new ArrayList<>();
    for (int p = 0; p < spec.partitions(); p++) {
      TopicPartition tp = new TopicPartition(spec.topic(), p);
      tps.add(tp);
      List<NodeId> replicas = new ArrayList<>();
      for (int r = 0; r < spec.replicationFactor(); r++) replicas.add(brokers.get((p + r) % brokers.size()));
      initial.add(new PartitionState(tp, replicas, null, -1, replicas, 0));
    }
    sim.addNode(CONTROLLER, () -> new Controller(spec.broker(), initial));
    for (NodeId b : brokers) sim.addNode(b, () -> new Broker(spec.broker(), CONTROLLER));
    sim.addClient(PRODUCER, () -> new Producer(spec.producer(), spec.topic(), spec.partitions(), brokers, CONTROLLER));
    if (spec.consumer()) sim.addClient(CONSUMER, () -> new Consumer(spec.topic(), spec.partitions(), brokers));
    sim.addInspector("segments", "segments <broker>: the log segments, epochs and producer state of each replica", this::segments);
  }

  public List<NodeId> brokers() {
    return brokers;
  }

  public List<TopicPartition> partitions() {
    return tps;
  }

  public Broker broker(NodeId id) {
    return sim.node(id, Broker.class);
  }

  public Controller controller() {
    return sim.node(CONTROLLER, Controller.class);
  }

  public Producer producer() {
    return sim.node(PRODUCER, Producer.class);
  }

  public Consumer consumer() {
    return spec.consumer() ? sim.node(CONSUMER, Consumer.class) : null;
  }

  // ---- invariants ----

  private void registerChecks() {
    sim.addInvariant("kafka.one-leader-per-epoch", this::oneLeaderPerEpoch);
    sim.addInvariant("kafka.hw-within-isr-leo", this::hwWithinIsrLeo);
    sim.addInvariant("kafka.replicas-agree-below-hw", this::replicasAgreeBelowHw);
    sim.addInvariant("kafka.consumers-read-below-hw", this::consumersReadBelowHw);
    sim.addFinalCheck("kafka.acked-records-kept", this::ackedRecordsKept);
    sim.addFinalCheck("kafka.no-duplicates", this::noDuplicates);
    sim.addFinalCheck("kafka.consumed-records-stay", this::consumedRecordsStay);
    sim.addFinalCheck("kafka.replicas-converge", this::replicasConverge);
    sim.addFinalCheck("kafka.progress", this::progress);
  }

  /** Also the place that watches the cluster for what explains a loss: unclean elections, all of an ISR down. */
  private String oneLeaderPerEpoch() {
    observe();
    for (NodeId b : brokers) {
      Broker broker = broker(b);
      if (broker == null) continue;
      for (TopicPartition tp : tps) {
        Broker.ReplicaView v = broker.view(tp);
        if (v == null || !v.leader()) continue;
        String key = tp + "@" + v.leaderEpoch();
        NodeId before = leaderOfEpoch.putIfAbsent(key, b);
        if (before == null) onNewLeader(tp, b, v);
        if (before != null && !before.equals(b)) return tp + " epoch " + v.leaderEpoch() + " led by both " + before + " and " + b;
      }
    }
    return null;
  }

  private void observe() {
    Controller c = controller();
    if (c != null) {
      uncleanElections = Math.max(uncleanElections, c.uncleanElections());
      for (PartitionState s : c.partitions()) lastKnown.put(s.tp(), s);
    }
    for (PartitionState s : lastKnown.values()) {
      if (s.leaderEpoch() >= 0 && s.isr().stream().noneMatch(sim::isUp)) isrWasAllDown.add(s.tp());
    }
    for (NodeId b : brokers) {
      Broker broker = broker(b);
      if (broker == null) continue;
      for (TopicPartition tp : tps) {
        Broker.ReplicaView v = broker.view(tp);
        if (v == null) continue;
        if (v.leader()) maxHighWatermark.merge(tp, v.highWatermark(), Math::max);
        if (v.logEndOffset() >= maxHighWatermark.getOrDefault(tp, 0L)) heldCommitted.put(tp + "/" + b, sim.incarnation(b));
      }
    }
  }

  /**
   * A new leader that lacks committed records is explained only if it crashed since it last held them: it
   * restarted without its page cache and was elected from the ISR before or without the controller knowing
   * what it lost (Kafka's "last replica standing" problem, KIP-966). A leader that never crashed and still
   * lacks them would be a bug, and is not excused.
   */
  private void onNewLeader(TopicPartition tp, NodeId leader, Broker.ReplicaView v) {
    long committed = maxHighWatermark.getOrDefault(tp, 0L);
    if (v.logEndOffset() >= committed) return;
    Integer held = heldCommitted.get(tp + "/" + leader);
    if (held != null && held != sim.incarnation(leader)) restartedLeaderLostTail.add(tp);
  }

  /** A check of one live leader replica against one live follower fetching from it in the same epoch. */
  private interface PairCheck {
    String check(TopicPartition tp, NodeId l, Broker leader, Broker.ReplicaView lv, NodeId f, Broker follower, Broker.ReplicaView fv);
  }

  /** Runs {@code check} for every (leader, follower fetching from it in its epoch) pair; the first violation wins. */
  private String forEachFetchingPair(PairCheck check) {
    for (NodeId l : brokers) {
      Broker leader = broker(l);
      if (leader == null) continue;
      for (TopicPartition tp : tps) {
        Broker.ReplicaView lv = leader.view(tp);
        if (lv == null || !lv.leader()) continue;
        if (lv.highWatermark() > lv.logEndOffset()) return tp + " on " + l + ": HW " + lv.highWatermark() + " beyond its LEO " + lv.logEndOffset();
        for (NodeId f : brokers) {
          Broker follower = f.equals(l) ? null : broker(f);
          Broker.ReplicaView fv = follower == null ? null : follower.view(tp);
          if (fv == null || !fv.fetching() || fv.leaderEpoch() != lv.leaderEpoch()) continue;
          String violation = check.check(tp, l, leader, lv, f, follower, fv);
          if (violation != null) return violation;
        }
      }
    }
    return null;
  }

  private String hwWithinIsrLeo() {
    return forEachFetchingPair((tp, l, leader, lv, f, follower, fv) -> {
      PartitionState committed = lastKnown.get(tp);
      if (committed == null || committed.leaderEpoch() != lv.leaderEpoch() || !committed.isr().contains(f)) return null;
      // The ISR names an incarnation: one restarted and not yet re-registered is not the replica that was in sync.
      if (controller() != null && controller().incarnationOf(f) != follower.incarnationId()) return null;
      if (lv.highWatermark() <= fv.logEndOffset()) return null;
      return tp + ": leader " + l + " HW " + lv.highWatermark() + " beyond the LEO " + fv.logEndOffset() + " of ISR member " + f;
    });
  }

  private String replicasAgreeBelowHw() {
    return forEachFetchingPair((tp, l, leader, lv, f, follower, fv) -> {
      long upTo = Math.min(lv.highWatermark(), fv.logEndOffset());
      String key = tp + "/" + l + "/" + f;
      String sig = lv.leaderEpoch() + ":" + upTo + ":" + lv.logEndOffset() + ":" + fv.logEndOffset();
      if (sig.equals(agreedSignatures.get(key))) return null;
      String diff = firstDifference(leader.log(tp), follower.log(tp), upTo);
      if (diff != null) return tp + ": follower " + f + " differs from leader " + l + " below HW " + lv.highWatermark() + ": " + diff;
      agreedSignatures.put(key, sig);
      return null;
    });
  }

  /** Compares two logs batch by batch (offsets and CRC) below {@code upTo}; null when they agree. */
  static String firstDifference(Log a, Log b, long upTo) {
    List<Log.BatchRef> x = a.batches();
    List<Log.BatchRef> y = b.batches();
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      Log.BatchRef bx = i < x.size() ? x.get(i) : null;
      Log.BatchRef by = i < y.size() ? y.get(i) : null;
      boolean inX = bx != null && bx.header().baseOffset() < upTo;
      boolean inY = by != null && by.header().baseOffset() < upTo;
      if (!inX && !inY) return null;
      if (inX != inY || bx.header().baseOffset() != by.header().baseOffset() || bx.header().crc() != by.header().crc()) {
        return "batch " + i + ": " + (bx == null ? "none" : bx.header()) + " vs " + (by == null ? "none" : by.header());
      }
    }
    return null;
  }

  private String consumersReadBelowHw() {
    Consumer c = consumer();
    if (c == null) return null;
    List<Consumer.Consumed> read = c.consumed();
    for (; consumedChecked < read.size(); consumedChecked++) {
      Consumer.Consumed r = read.get(consumedChecked);
      if (r.offset() >= r.highWatermark()) return "consumer read offset " + r.offset() + " of partition " + r.partition() + " at HW " + r.highWatermark();
    }
    return null;
  }

  // ---- final checks ----

  /** What the partition holds now, as offset -> value, from its current leader (or the longest live replica). */
  Map<Long, String> finalLog(TopicPartition tp) {
    Controller c = controller();
    PartitionState s = c == null ? lastKnown.get(tp) : c.partition(tp);
    Broker source = s != null && s.leader() != null ? broker(s.leader()) : null;
    if (source == null || source.log(tp) == null) {
      for (NodeId b : brokers) {
        Broker br = broker(b);
        if (br != null && br.log(tp) != null && (source == null || br.log(tp).logEndOffset() > source.log(tp).logEndOffset())) source = br;
      }
    }
    Map<Long, String> out = new TreeMap<>();
    if (source == null) return out;
    Log log = source.log(tp);
    for (LogRecord r : RecordBatches.allRecords(log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE))) out.put(r.offset(), r.valueText());
    return out;
  }

  /** Why losing acknowledged records is what Kafka does in this run, or null when nothing excuses it. */
  String lossExplanation() {
    List<String> why = new ArrayList<>();
    if (spec.producer().acks() != -1) {
      why.add("acks=" + spec.producer().acksName() + ": the leader acknowledged before any follower had the records");
    }
    if (uncleanElections > 0) why.add(uncleanElections + " unclean leader election(s): an out-of-sync replica became leader");
    if (!isrWasAllDown.isEmpty()) {
      why.add("every in-sync replica of " + isrWasAllDown + " was down at once and Kafka does not fsync per write: acks=all is not fsync");
    }
    if (!restartedLeaderLostTail.isEmpty()) {
      why.add("a replica of " + restartedLeaderLostTail + " restarted without its un-flushed tail and was elected from the ISR "
          + "(acks=all is not fsync; the last-replica-standing problem of KIP-966)");
    }
    return why.isEmpty() ? null : String.join("; ", why);
  }

  private CheckResult ackedRecordsKept() {
    String name = "kafka.acked-records-kept";
    Producer p = producer();
    List<String> lost = new ArrayList<>();
    Map<Integer, Map<Long, String>> logs = new TreeMap<>();
    for (Producer.Acked a : p.acked()) {
      Map<Long, String> log = logs.computeIfAbsent(a.partition(), i -> finalLog(tps.get(i)));
      boolean kept = a.offset() < 0 ? log.containsValue(a.value()) : a.value().equals(log.get(a.offset()));
      if (!kept) lost.add(a.value() + (a.offset() >= 0 ? "@" + a.partition() + ":" + a.offset() : ""));
    }
    if (lost.isEmpty()) return CheckResult.ok(name, "all " + p.acked().size() + " acknowledged records are in the log");
    String detail = lost.size() + " of " + p.acked().size() + " acknowledged records lost " + sample(lost);
    String why = lossExplanation();
    return why == null ? CheckResult.failed(name, detail + " with clean elections, acks=all and no ISR-wide outage")
        : CheckResult.expectedAnomaly(name, detail + ": " + why);
  }

  private CheckResult noDuplicates() {
    String name = "kafka.no-duplicates";
    List<String> dups = new ArrayList<>();
    for (TopicPartition tp : tps) {
      Map<String, Integer> seen = new TreeMap<>();
      for (String v : finalLog(tp).values()) seen.merge(v, 1, Integer::sum);
      seen.forEach((v, n) -> {
        if (n > 1) dups.add(v + " x" + n);
      });
    }
    if (dups.isEmpty()) return CheckResult.ok(name, "every record is in the log once");
    String detail = dups.size() + " records written more than once " + sample(dups);
    if (!spec.producer().enableIdempotence()) {
      return CheckResult.expectedAnomaly(name, detail + ": retries without enable.idempotence resend batches the broker already appended");
    }
    if (producer().producerIdResets() > 0) {
      return CheckResult.expectedAnomaly(name, detail + ": the broker lost the producer's state and the producer bumped its "
          + "epoch (KIP-360); batches retried under the new epoch cannot be matched to ones appended under the old");
    }
    return CheckResult.failed(name, detail + " despite the idempotent producer");
  }

  private CheckResult consumedRecordsStay() {
    String name = "kafka.consumed-records-stay";
    Consumer c = consumer();
    if (c == null) return CheckResult.ok(name, "no consumer in this scenario");
    List<String> gone = new ArrayList<>();
    Map<Integer, Map<Long, String>> logs = new TreeMap<>();
    for (Consumer.Consumed r : c.consumed()) {
      Map<Long, String> log = logs.computeIfAbsent(r.partition(), i -> finalLog(tps.get(i)));
      if (!r.value().equals(log.get(r.offset()))) gone.add(r.value() + "@" + r.partition() + ":" + r.offset());
    }
    if (gone.isEmpty()) return CheckResult.ok(name, "all " + c.consumed().size() + " consumed records are still in the log");
    String detail = gone.size() + " records consumers read are no longer in the log " + sample(gone);
    boolean excused = uncleanElections > 0 || !isrWasAllDown.isEmpty() || !restartedLeaderLostTail.isEmpty();
    return excused ? CheckResult.expectedAnomaly(name, detail + ": " + lossExplanation())
        : CheckResult.failed(name, detail + ": records below the high watermark were lost");
  }

  private CheckResult replicasConverge() {
    String name = "kafka.replicas-converge";
    Controller c = controller();
    if (c == null) return CheckResult.failed(name, "controller down at the end");
    for (TopicPartition tp : tps) {
      PartitionState s = c.partition(tp);
      Broker leader = s.leader() == null ? null : broker(s.leader());
      if (leader == null) return CheckResult.failed(name, tp + " has no live leader after the liveness phase: " + s);
      long hw = leader.view(tp).highWatermark();
      for (NodeId f : s.isr()) {
        Broker fb = broker(f);
        if (fb == null || f.equals(s.leader())) continue;
        String diff = firstDifference(leader.log(tp), fb.log(tp), hw);
        if (diff != null) return CheckResult.failed(name, tp + " ISR member " + f + " differs from leader below HW " + hw + ": " + diff);
      }
    }
    return CheckResult.ok(name, "every in-sync replica matches its leader below the high watermark");
  }

  private CheckResult progress() {
    Producer p = producer();
    String detail = "produced " + p.produced() + ", acknowledged " + p.acked().size() + ", failed " + p.failed().size()
        + ", retried " + p.retriesSent() + " times";
    return p.acked().isEmpty() ? CheckResult.failed("kafka.progress", "nothing acknowledged: " + detail) : CheckResult.ok("kafka.progress", detail);
  }

  private static String sample(List<String> items) {
    return items.size() <= 6 ? items.toString() : items.subList(0, 6) + "...";
  }

  private String segments(String arg) {
    NodeId id = NodeId.of(arg.isBlank() ? "b1" : arg.strip());
    if (!brokers.contains(id)) return "no broker " + id + " (brokers: " + brokers + ")";
    Broker b = broker(id);
    if (b == null) return id + " is down";
    StringBuilder out = new StringBuilder();
    for (TopicPartition tp : tps) {
      Log log = b.log(tp);
      if (log == null) continue;
      out.append(tp).append(" LEO ").append(log.logEndOffset()).append(", epochs ").append(log.epochs()).append(", producers ")
          .append(log.producers().producerCount()).append('\n');
      for (String s : log.segmentNames()) out.append("  ").append(s).append('\n');
      for (Log.BatchRef r : log.batches()) out.append("    ").append(r.header()).append(" @").append(r.position()).append('\n');
    }
    return out.toString();
  }
}
