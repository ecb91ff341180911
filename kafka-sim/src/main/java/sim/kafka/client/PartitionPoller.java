package sim.kafka.client;

import java.util.List;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;

/**
 * What a groupless consumer keeps per partition of its topic, as kafka-clients splits it between {@code Metadata}
 * (each partition's leader, refreshed from a bootstrap broker while one is unknown) and {@code SubscriptionState}
 * (each partition's fetch position), plus the one fetch in flight per partition. {@link Consumer} and
 * {@link TxnConsumer} differ only in what they ask (isolation level) and what they do with the answer.
 */
final class PartitionPoller {
  /** A fetch sent and not answered: to whom, when (local ms and the history's ns) and from which position. */
  record InFlight(NodeId leader, long sinceMs, long sentAtNanos, long fetchOffset) {}

  /** Builds the fetch for one partition at its position. */
  interface FetchBuilder {
    FetchRequest fetch(long correlationId, TopicPartition tp, long position);
  }

  /** A fetch unanswered this long is sent again (the leader may have dropped it, or the network). */
  private static final long FETCH_RESEND_MS = 2000;

  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<Integer, Long> positions = new TreeMap<>();
  private final TreeMap<Integer, InFlight> inFlight = new TreeMap<>();
  private long nextCorrelationId;
  private int bootstrapIndex;

  PartitionPoller(String topic, int numPartitions, List<NodeId> bootstrap) {
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
  }

  String topic() {
    return topic;
  }

  /** Every position starts at offset 0 (as {@code auto.offset.reset=earliest} with a log that starts at 0). */
  void start() {
    for (int p = 0; p < numPartitions; p++) positions.put(p, 0L);
  }

  void onMetadata(MetadataResponse r) {
    for (PartitionState s : r.partitions()) {
      if (!s.tp().topic().equals(topic)) continue;
      if (s.leader() == null) leaders.remove(s.tp().partition());
      else leaders.put(s.tp().partition(), s.leader());
    }
  }

  /**
   * One poll: metadata while some leader is unknown, then a fetch to each partition's known leader unless one is
   * in flight (and younger than {@link #FETCH_RESEND_MS}) or {@code held} says the partition waits for something.
   */
  void poll(NodeContext ctx, LongSupplier nowNanos, IntPredicate held, FetchBuilder builder) {
    long now = ctx.localTimeMs();
    if (leaders.size() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new MetadataRequest(nextCorrelationId++));
    for (int p = 0; p < numPartitions; p++) {
      InFlight f = inFlight.get(p);
      if ((f != null && now - f.sinceMs() < FETCH_RESEND_MS) || held.test(p)) continue;
      NodeId leader = leaders.get(p);
      if (leader == null) continue;
      long position = positions.get(p);
      inFlight.put(p, new InFlight(leader, now, nowNanos.getAsLong(), position));
      ctx.send(leader, builder.fetch(nextCorrelationId++, new TopicPartition(topic, p), position));
    }
  }

  /**
   * The connection to {@code peer} reset: the fetches in flight to it fail now and their leaders are forgotten,
   * so the next poll asks for metadata. Calls {@code onFailed} for each such partition.
   */
  void onDisconnected(NodeId peer, java.util.function.IntConsumer onFailed) {
    for (int p = 0; p < numPartitions; p++) {
      InFlight f = inFlight.get(p);
      if (f == null || !f.leader().equals(peer)) continue;
      inFlight.remove(p);
      leaders.remove(p);
      onFailed.accept(p);
    }
  }

  /** The answer to partition {@code p}'s fetch arrived: returns what was in flight (null if nothing was). */
  InFlight answered(int p) {
    return inFlight.remove(p);
  }

  /** The leader answered with an error (or is unknown): forget it, the next poll refreshes metadata. */
  void forgetLeader(int p) {
    leaders.remove(p);
  }

  NodeId leader(int p) {
    return leaders.get(p);
  }

  long position(int p) {
    return positions.get(p);
  }

  void position(int p, long offset) {
    positions.put(p, offset);
  }

  long nextCorrelationId() {
    return nextCorrelationId++;
  }

  String describePositions() {
    return positions.toString();
  }
}
