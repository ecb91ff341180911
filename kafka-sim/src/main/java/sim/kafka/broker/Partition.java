package sim.kafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.kafka.log.Log;

/**
 * One partition replica on one broker: its log, its high watermark, and the state of its role. As leader it
 * tracks each follower's fetch state (LEO, last caught-up time), the ISR it uses for the high watermark
 * (the "maximal" ISR while a change is in flight), produce requests waiting for acks=all and follower fetches
 * parked until data arrives. As follower it runs the truncate-then-fetch loop.
 */
final class Partition {
  enum Role { NONE, LEADER, FOLLOWER }

  enum FollowerPhase { IDLE, TRUNCATING, FETCHING }

  /** The leader's view of a follower ({@code Replica} in Kafka). LEO -1 means not fetched since leadership began. */
  static final class FollowerState {
    long logEndOffset = -1;
    long lastCaughtUpTimeMs;
    long lastFetchLeaderLogEndOffset;
    long lastFetchTimeMs;

    /** Kafka's {@code Replica.updateFetchState}: caught up if it asked for the leader's LEO of now or of its last fetch. */
    void onFetch(long fetchOffset, long leaderEndOffset, long nowMs) {
      if (fetchOffset >= leaderEndOffset) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
      else if (fetchOffset >= lastFetchLeaderLogEndOffset) lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
      lastFetchLeaderLogEndOffset = leaderEndOffset;
      lastFetchTimeMs = nowMs;
      logEndOffset = fetchOffset;
    }
  }

  /** A produce waiting for its answer: acks=all for the HW (and a requested flush), acks=1 for a requested flush only. */
  record DelayedProduce(long id, NodeId client, long correlationId, short acks, long baseOffset, long requiredOffset,
      java.util.function.Consumer<Errors> internal) {
    DelayedProduce(long id, NodeId client, long correlationId, short acks, long baseOffset, long requiredOffset) {
      this(id, client, correlationId, acks, baseOffset, requiredOffset, null);
    }
  }

  record ParkedFetch(long id, NodeId replica, KafkaMessage.FetchRequest request) {}

  final TopicPartition tp;
  final Log log;
  PartitionState state;
  long highWatermark;
  Role role = Role.NONE;

  // leader
  final TreeMap<NodeId, FollowerState> followers = new TreeMap<>();
  List<NodeId> maximalIsr = List.of();
  long leaderEpochStartOffset;
  boolean alterInFlight;
  int alterAttempt;
  final List<DelayedProduce> delayedProduces = new ArrayList<>();
  final List<ParkedFetch> parkedFetches = new ArrayList<>();

  // follower
  FollowerPhase phase = FollowerPhase.IDLE;
  /** The fetcher appended with flush.messages due and waits for the fsync before its next fetch. */
  boolean awaitingFlush;
  int generation;
  long fetchCorrelationId = -1;

  Partition(TopicPartition tp, Log log) {
    this.tp = tp;
    this.log = log;
    clampHighWatermark();
  }

  /**
   * Kafka's {@code updateHighWatermark} bounds: never below the log start offset (a restarted replica's HW is
   * not known yet, but everything below its log start was committed), never above the log end.
   */
  void clampHighWatermark() {
    highWatermark = Math.max(log.logStartOffset(), Math.min(highWatermark, logEndOffset()));
  }

  long logEndOffset() {
    return log.logEndOffset();
  }

  int leaderEpoch() {
    return state == null ? -1 : state.leaderEpoch();
  }

  NodeId leader() {
    return state == null ? null : state.leader();
  }

  /**
   * High watermark = the smallest LEO over the (maximal) ISR; unknown follower LEOs hold it back. With the
   * rule broken ({@code followersIgnored}) it is the leader's own LEO.
   */
  long computeHighWatermark(NodeId self, boolean followersIgnored) {
    long hw = logEndOffset();
    if (followersIgnored) return hw;
    for (NodeId r : maximalIsr) {
      if (r.equals(self)) continue;
      FollowerState f = followers.get(r);
      hw = Math.min(hw, f == null ? -1 : f.logEndOffset);
    }
    return hw;
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    b.append(tp).append(": ").append(role == Role.FOLLOWER ? "follower (" + phase + ")" : role.toString().toLowerCase())
        .append(", leader ").append(leader() == null ? "none" : leader()).append(", epoch ").append(leaderEpoch())
        .append(", ISR ").append(state == null ? "[]" : state.isr());
    if (role == Role.LEADER && !maximalIsr.equals(state.isr())) b.append(" (maximal ").append(maximalIsr).append(")");
    b.append(log.logStartOffset() > 0 ? ", log start " + log.logStartOffset() : "").append(", LEO ").append(logEndOffset())
        .append(", HW ").append(highWatermark).append('\n');
    if (role == Role.LEADER) {
      followers.forEach((id, f) -> b.append("    follower ").append(id).append(": LEO ").append(f.logEndOffset)
          .append(", last caught up at ").append(f.lastCaughtUpTimeMs).append("ms\n"));
      if (!delayedProduces.isEmpty()) b.append("    waiting for acks=all: ").append(delayedProduces.size()).append(" produce requests\n");
    }
    b.append("    epochs: ").append(log.epochs()).append('\n');
    b.append("    segments: ").append(log.segmentNames()).append('\n');
    return b.toString();
  }
}
