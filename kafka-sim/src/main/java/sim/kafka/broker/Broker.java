package sim.kafka.broker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.kafka.broker.BrokerTimer.AlterPartitionTimeout;
import sim.kafka.broker.BrokerTimer.ControlledShutdownRetry;
import sim.kafka.broker.BrokerTimer.FetchBackoff;
import sim.kafka.broker.BrokerTimer.FetchTimeout;
import sim.kafka.broker.BrokerTimer.Heartbeat;
import sim.kafka.broker.BrokerTimer.IsrExpiration;
import sim.kafka.broker.BrokerTimer.ParkedFetchExpired;
import sim.kafka.broker.BrokerTimer.ProduceTimeout;
import sim.kafka.broker.KafkaMessage.AlterPartition;
import sim.kafka.broker.KafkaMessage.AlterPartitionResponse;
import sim.kafka.broker.KafkaMessage.BeginControlledShutdown;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeat;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeatResponse;
import sim.kafka.broker.KafkaMessage.BrokerRegistration;
import sim.kafka.broker.KafkaMessage.ControlledShutdownRequest;
import sim.kafka.broker.KafkaMessage.ControlledShutdownResponse;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.LeaderAndIsr;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochRequest;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochResponse;
import sim.kafka.broker.KafkaMessage.ProduceRequest;
import sim.kafka.broker.KafkaMessage.ProduceResponse;
import sim.kafka.log.LeaderEpochCache;
import sim.kafka.log.Log;
import sim.kafka.log.ProducerStateManager;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.RecordBatches;

/**
 * A Kafka broker: the replicas it hosts ({@link Partition}), leader and follower sides of replication, and
 * its session with the controller. On (re)start it recovers every log on its disk, then registers.
 */
public final class Broker implements Node {
  private final KafkaConfig config;
  private final NodeId controller;
  private final TreeMap<TopicPartition, Partition> partitions = new TreeMap<>();
  private final ReplicaFetcher fetcher;
  private List<PartitionState> metadata = List.of();
  private long metadataVersion = -1;
  private long incarnationId;
  private boolean registered;
  private boolean shuttingDown;
  private boolean readyToStop;
  private long nextId;

  public Broker(KafkaConfig config, NodeId controller) {
    this.config = config;
    this.controller = controller;
    this.fetcher = new ReplicaFetcher(config);
  }

  // ---- lifecycle ----

  @Override
  public void start(NodeContext ctx) {
    incarnationId = ctx.random("incarnation").nextLong();
    TreeSet<String> dirs = new TreeSet<>();
    for (String f : ctx.disk().list("")) {
      int slash = f.indexOf('/');
      if (slash > 0 && f.endsWith(".log") && !f.startsWith("__")) dirs.add(f.substring(0, slash));
    }
    for (String dir : dirs) {
      int dash = dir.lastIndexOf('-');
      TopicPartition tp = new TopicPartition(dir.substring(0, dash), Integer.parseInt(dir.substring(dash + 1)));
      Log log = new Log(ctx.disk(), dir, config.log());
      partitions.put(tp, new Partition(tp, log));
      if (log.lastRecovery().droppedBytes() > 0) ctx.point("kafka.log.truncate", tp + " recovery: " + log.lastRecovery());
      else ctx.note(tp + " " + log.lastRecovery());
    }
    ctx.send(controller, new BrokerRegistration(ctx.self(), incarnationId));
    ctx.setTimer(new Heartbeat(), Durations.millis(config.brokerHeartbeatIntervalMs()));
    ctx.setTimer(new IsrExpiration(), Durations.millis(config.replicaLagTimeMaxMs() / 2));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof ProduceRequest r) onProduce(ctx, from, r);
    else if (m instanceof FetchRequest r) onFetch(ctx, from, r);
    else if (m instanceof FetchResponse r) fetcher.onFetchResponse(ctx, partitions.get(r.tp()), r);
    else if (m instanceof OffsetsForLeaderEpochRequest r) onOffsetsForLeaderEpoch(ctx, from, r);
    else if (m instanceof OffsetsForLeaderEpochResponse r) fetcher.onOffsetsForLeaderEpochResponse(ctx, partitions.get(r.tp()), r);
    else if (m instanceof LeaderAndIsr r) onLeaderAndIsr(ctx, r);
    else if (m instanceof AlterPartitionResponse r) onAlterPartitionResponse(ctx, r);
    else if (m instanceof BrokerHeartbeatResponse r) {
      if (r.incarnationId() == incarnationId) registered = r.registered();
    }
    else if (m instanceof MetadataRequest r) ctx.send(from, new MetadataResponse(r.correlationId(), metadata));
    else if (m instanceof BeginControlledShutdown) beginControlledShutdown(ctx);
    else if (m instanceof ControlledShutdownResponse r) onControlledShutdownResponse(ctx, r);
    else ctx.note("ignored " + m);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Heartbeat) {
      heartbeat(ctx);
    } else if (t instanceof IsrExpiration) {
      for (Partition p : partitions.values()) maybeShrinkIsr(ctx, p);
      ctx.setTimer(new IsrExpiration(), Durations.millis(config.replicaLagTimeMaxMs() / 2));
    } else if (t instanceof FetchTimeout f) {
      Partition p = partitions.get(f.tp());
      if (p != null && p.generation == f.generation() && p.fetchCorrelationId == f.correlationId()) {
        ctx.note(f.tp() + " request to " + p.leader() + " timed out after replica.socket.timeout.ms; retrying");
        p.fetchCorrelationId = -1;
        fetcher.resume(ctx, p);
      }
    } else if (t instanceof FetchBackoff f) {
      Partition p = partitions.get(f.tp());
      if (p != null && p.generation == f.generation()) fetcher.resume(ctx, p);
    } else if (t instanceof ProduceTimeout pt) {
      expireProduce(ctx, pt);
    } else if (t instanceof ParkedFetchExpired pf) {
      expireParkedFetch(ctx, pf);
    } else if (t instanceof AlterPartitionTimeout a) {
      Partition p = partitions.get(a.tp());
      if (p != null && p.alterInFlight && p.alterAttempt == a.attempt()) p.alterInFlight = false;
    } else if (t instanceof ControlledShutdownRetry) {
      if (!readyToStop) ctx.send(controller, new ControlledShutdownRequest(ctx.self()));
    }
  }

  private void heartbeat(NodeContext ctx) {
    if (registered) ctx.send(controller, new BrokerHeartbeat(ctx.self(), incarnationId, metadataVersion));
    else ctx.send(controller, new BrokerRegistration(ctx.self(), incarnationId));
    ctx.setTimer(new Heartbeat(), Durations.millis(config.brokerHeartbeatIntervalMs()));
  }

  // ---- metadata from the controller ----

  private void onLeaderAndIsr(NodeContext ctx, LeaderAndIsr m) {
    if (m.brokerIncarnation() != incarnationId) {
      ctx.note("ignored metadata addressed to another incarnation of " + ctx.self() + " (not registered yet)");
      return;
    }
    if (m.metadataVersion() <= metadataVersion) return;
    metadataVersion = m.metadataVersion();
    metadata = m.partitions();
    for (PartitionState s : m.partitions()) {
      if (!s.replicas().contains(ctx.self())) continue;
      Partition p = partitions.computeIfAbsent(s.tp(), tp -> new Partition(tp, new Log(ctx.disk(), tp.toString(), config.log())));
      apply(ctx, p, s);
    }
  }

  private void apply(NodeContext ctx, Partition p, PartitionState s) {
    PartitionState old = p.state;
    if (old != null && s.leaderEpoch() < old.leaderEpoch()) return;
    if (old != null && s.leaderEpoch() == old.leaderEpoch()) {
      if (s.partitionEpoch() <= old.partitionEpoch()) return;
      p.state = s;
      if (p.role == Partition.Role.LEADER) {
        p.maximalIsr = s.isr();
        maybeIncrementHighWatermark(ctx, p);
        completeDelayedProduces(ctx, p);
      }
      return;
    }
    p.state = s;
    if (ctx.self().equals(s.leader())) becomeLeader(ctx, p);
    else becomeFollower(ctx, p);
  }

  // ---- leader side ----

  private void becomeLeader(NodeContext ctx, Partition p) {
    p.role = Partition.Role.LEADER;
    p.generation++;
    p.phase = Partition.FollowerPhase.IDLE;
    p.fetchCorrelationId = -1;
    p.leaderEpochStartOffset = p.logEndOffset();
    p.log.epochs().assign(p.leaderEpoch(), p.logEndOffset());
    p.highWatermark = Math.min(p.highWatermark, p.logEndOffset());
    p.maximalIsr = p.state.isr();
    p.alterInFlight = false;
    p.followers.clear();
    long now = ctx.localTimeMs();
    for (NodeId r : p.state.replicas()) {
      if (r.equals(ctx.self())) continue;
      Partition.FollowerState f = new Partition.FollowerState();
      if (p.state.isr().contains(r)) f.lastCaughtUpTimeMs = now;
      p.followers.put(r, f);
    }
    ctx.note(p.tp + ": becomes leader in epoch " + p.leaderEpoch() + " at LEO " + p.logEndOffset() + ", HW " + p.highWatermark + ", ISR " + p.state.isr());
    maybeIncrementHighWatermark(ctx, p);
  }

  private void onProduce(NodeContext ctx, NodeId from, ProduceRequest r) {
    Partition p = partitions.get(r.tp());
    if (p == null || p.role != Partition.Role.LEADER) {
      reply(ctx, from, r, Errors.NOT_LEADER_OR_FOLLOWER, -1);
      return;
    }
    if (r.acks() == -1 && p.state.isr().size() < config.minInsyncReplicas()) {
      ctx.note(r.tp() + ": NOT_ENOUGH_REPLICAS: ISR " + p.state.isr() + " smaller than min.insync.replicas=" + config.minInsyncReplicas());
      reply(ctx, from, r, Errors.NOT_ENOUGH_REPLICAS, -1);
      return;
    }
    byte[] batch = r.records().bytes();
    BatchHeader h;
    try {
      h = RecordBatches.validate(batch, 0, batch.length);
    } catch (CorruptRecordException e) {
      reply(ctx, from, r, Errors.CORRUPT_MESSAGE, -1);
      return;
    }
    ProducerStateManager.Check verdict = p.log.producers().check(h);
    if (verdict.verdict() == ProducerStateManager.Verdict.DUPLICATE) {
      ctx.note(r.tp() + ": duplicate batch from producer " + h.producerId() + " seq " + h.baseSequence() + ", already at offset " + verdict.duplicateOffset());
      awaitAcks(ctx, p, from, r, verdict.duplicateOffset(), verdict.duplicateOffset() + h.lastOffsetDelta() + 1);
      return;
    }
    if (verdict.verdict() != ProducerStateManager.Verdict.APPEND) {
      reply(ctx, from, r, Errors.valueOf(verdict.verdict().name()), -1);
      return;
    }
    byte[] stamped = batch.clone();
    long baseOffset = p.logEndOffset();
    RecordBatches.stamp(stamped, 0, baseOffset, p.leaderEpoch());
    try {
      p.log.appendValidated(stamped, RecordBatches.header(stamped, 0));
    } catch (SimIOException e) {
      ctx.note(r.tp() + ": append failed: " + e.getMessage());
      reply(ctx, from, r, Errors.KAFKA_STORAGE_ERROR, -1);
      return;
    }
    long required = baseOffset + h.lastOffsetDelta() + 1;
    ctx.point("kafka.leader.append", r.tp() + " offsets " + baseOffset + ".." + (required - 1) + " in epoch " + p.leaderEpoch()
        + ", LEO now " + p.logEndOffset() + ", acks=" + (r.acks() == -1 ? "all" : r.acks()));
    completeParkedFetches(ctx, p);
    maybeIncrementHighWatermark(ctx, p);
    awaitAcks(ctx, p, from, r, baseOffset, required);
  }

  /** acks=0: no answer; acks=1: answer now; acks=all: answer once the high watermark passes the batch. */
  private void awaitAcks(NodeContext ctx, Partition p, NodeId from, ProduceRequest r, long baseOffset, long required) {
    if (r.acks() == 0) return;
    if (r.acks() == 1) {
      reply(ctx, from, r, Errors.NONE, baseOffset);
      return;
    }
    Partition.DelayedProduce d = new Partition.DelayedProduce(nextId++, from, r.correlationId(), baseOffset, required);
    p.delayedProduces.add(d);
    ctx.setTimer(new ProduceTimeout(r.tp(), d.id()), Durations.millis(r.timeoutMs()));
    completeDelayedProduces(ctx, p);
  }

  private static void reply(NodeContext ctx, NodeId to, ProduceRequest r, Errors error, long baseOffset) {
    if (r.acks() == 0) return; // acks=0: Kafka sends no response at all
    ctx.send(to, new ProduceResponse(r.correlationId(), r.tp(), error, baseOffset));
  }

  /** acks=all: done when the HW passes the batch; then min.insync.replicas is checked against the ISR. */
  private void completeDelayedProduces(NodeContext ctx, Partition p) {
    for (Iterator<Partition.DelayedProduce> it = p.delayedProduces.iterator(); it.hasNext(); ) {
      Partition.DelayedProduce d = it.next();
      Errors error;
      if (p.role != Partition.Role.LEADER) error = Errors.NOT_LEADER_OR_FOLLOWER;
      else if (p.highWatermark < d.requiredOffset()) continue;
      else if (p.state.isr().size() < config.minInsyncReplicas()) error = Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
      else error = Errors.NONE;
      it.remove();
      ctx.send(d.client(), new ProduceResponse(d.correlationId(), p.tp, error, error == Errors.NONE ? d.baseOffset() : -1));
    }
  }

  private void expireProduce(NodeContext ctx, ProduceTimeout t) {
    Partition p = partitions.get(t.tp());
    if (p == null) return;
    for (Iterator<Partition.DelayedProduce> it = p.delayedProduces.iterator(); it.hasNext(); ) {
      Partition.DelayedProduce d = it.next();
      if (d.id() != t.id()) continue;
      it.remove();
      ctx.note(t.tp() + ": acks=all produce at offset " + d.baseOffset() + " timed out waiting for the ISR (HW " + p.highWatermark + ")");
      ctx.send(d.client(), new ProduceResponse(d.correlationId(), p.tp, Errors.REQUEST_TIMED_OUT, -1));
    }
  }

  private void onFetch(NodeContext ctx, NodeId from, FetchRequest r) {
    Partition p = partitions.get(r.tp());
    Errors error = fetchError(p, r);
    if (error != Errors.NONE) {
      ctx.send(from, new FetchResponse(r.correlationId(), r.tp(), error, -1, p == null ? -1 : p.leaderEpoch(), Records.EMPTY));
      return;
    }
    if (r.replica() == null) {
      // A consumer: only what the high watermark covers is visible.
      byte[] data = p.log.read(r.fetchOffset(), p.highWatermark, r.maxBytes());
      ctx.send(from, new FetchResponse(r.correlationId(), r.tp(), Errors.NONE, p.highWatermark, p.leaderEpoch(), new Records(data)));
      return;
    }
    Partition.FollowerState f = p.followers.get(r.replica());
    f.onFetch(r.fetchOffset(), p.logEndOffset(), ctx.localTimeMs());
    maybeExpandIsr(ctx, p, r.replica(), f);
    maybeIncrementHighWatermark(ctx, p);
    if (r.fetchOffset() < p.logEndOffset()) {
      sendFollowerData(ctx, p, from, r);
    } else {
      Partition.ParkedFetch parked = new Partition.ParkedFetch(nextId++, from, r);
      p.parkedFetches.add(parked);
      ctx.setTimer(new ParkedFetchExpired(r.tp(), parked.id()), Durations.millis(config.replicaFetchWaitMaxMs()));
    }
  }

  private Errors fetchError(Partition p, FetchRequest r) {
    if (p == null || p.role != Partition.Role.LEADER) return Errors.NOT_LEADER_OR_FOLLOWER;
    if (r.currentLeaderEpoch() >= 0 && r.currentLeaderEpoch() < p.leaderEpoch()) return Errors.FENCED_LEADER_EPOCH;
    if (r.currentLeaderEpoch() > p.leaderEpoch()) return Errors.UNKNOWN_LEADER_EPOCH;
    if (r.replica() != null && !p.followers.containsKey(r.replica())) return Errors.NOT_LEADER_OR_FOLLOWER;
    if (r.fetchOffset() > p.logEndOffset()) return Errors.OFFSET_OUT_OF_RANGE;
    return Errors.NONE;
  }

  private void sendFollowerData(NodeContext ctx, Partition p, NodeId to, FetchRequest r) {
    byte[] data = p.log.read(r.fetchOffset(), p.logEndOffset(), r.maxBytes());
    ctx.send(to, new FetchResponse(r.correlationId(), r.tp(), Errors.NONE, p.highWatermark, p.leaderEpoch(), new Records(data)));
  }

  private void completeParkedFetches(NodeContext ctx, Partition p) {
    List<Partition.ParkedFetch> ready = new ArrayList<>(p.parkedFetches);
    p.parkedFetches.clear();
    for (Partition.ParkedFetch f : ready) {
      if (p.role == Partition.Role.LEADER) sendFollowerData(ctx, p, f.replica(), f.request());
    }
  }

  private void expireParkedFetch(NodeContext ctx, ParkedFetchExpired t) {
    Partition p = partitions.get(t.tp());
    if (p == null) return;
    for (Iterator<Partition.ParkedFetch> it = p.parkedFetches.iterator(); it.hasNext(); ) {
      Partition.ParkedFetch f = it.next();
      if (f.id() != t.id()) continue;
      it.remove();
      if (p.role == Partition.Role.LEADER) sendFollowerData(ctx, p, f.replica(), f.request());
    }
  }

  private void maybeIncrementHighWatermark(NodeContext ctx, Partition p) {
    if (p.role != Partition.Role.LEADER) return;
    long hw = p.computeHighWatermark(ctx.self());
    if (hw <= p.highWatermark) return;
    long old = p.highWatermark;
    p.highWatermark = hw;
    ctx.point("kafka.hw.advance", p.tp + " HW " + old + " -> " + hw + " (min LEO over ISR " + p.maximalIsr + ")");
    completeDelayedProduces(ctx, p);
  }

  /** A follower that reached the HW and this epoch's start offset rejoins the ISR (through the controller). */
  private void maybeExpandIsr(NodeContext ctx, Partition p, NodeId replica, Partition.FollowerState f) {
    if (p.alterInFlight || p.state.isr().contains(replica)) return;
    if (f.logEndOffset < p.highWatermark || f.logEndOffset < p.leaderEpochStartOffset) return;
    List<NodeId> isr = new ArrayList<>(p.state.isr());
    isr.add(replica);
    isr.sort(null);
    p.maximalIsr = isr;
    ctx.point("kafka.isr.expand", p.tp + " " + replica + " caught up (LEO " + f.logEndOffset + " >= HW " + p.highWatermark + "): propose ISR " + isr);
    proposeIsr(ctx, p, isr);
  }

  /** The ISR expiration task: followers not caught up for replica.lag.time.max.ms leave the ISR. */
  private void maybeShrinkIsr(NodeContext ctx, Partition p) {
    if (p.role != Partition.Role.LEADER || p.alterInFlight) return;
    long now = ctx.localTimeMs();
    List<NodeId> isr = new ArrayList<>();
    List<NodeId> lagging = new ArrayList<>();
    for (NodeId r : p.state.isr()) {
      Partition.FollowerState f = p.followers.get(r);
      if (f != null && now - f.lastCaughtUpTimeMs > config.replicaLagTimeMaxMs()) lagging.add(r);
      else isr.add(r);
    }
    if (lagging.isEmpty()) return;
    ctx.point("kafka.isr.shrink", p.tp + " " + lagging + " not caught up for replica.lag.time.max.ms=" + config.replicaLagTimeMaxMs()
        + ": propose ISR " + isr);
    proposeIsr(ctx, p, isr);
  }

  private void proposeIsr(NodeContext ctx, Partition p, List<NodeId> isr) {
    p.alterInFlight = true;
    p.alterAttempt++;
    PartitionState s = p.state;
    ctx.send(controller, new AlterPartition(p.alterAttempt, ctx.self(), incarnationId, new PartitionState(s.tp(), s.replicas(), s.leader(), s.leaderEpoch(), isr, s.partitionEpoch())));
    ctx.setTimer(new AlterPartitionTimeout(p.tp, p.alterAttempt), Durations.seconds(5));
  }

  private void onAlterPartitionResponse(NodeContext ctx, AlterPartitionResponse r) {
    Partition p = partitions.get(r.tp());
    if (p == null) return;
    if (!p.alterInFlight || r.requestId() != p.alterAttempt) {
      // The answer to an earlier proposal (an older epoch, or one that timed out): only its metadata counts.
      if (r.current() != null) apply(ctx, p, r.current());
      return;
    }
    p.alterInFlight = false;
    if (r.error() != Errors.NONE) {
      ctx.note(r.tp() + ": AlterPartition rejected with " + r.error() + "; controller has " + r.current());
      if (p.role == Partition.Role.LEADER) p.maximalIsr = p.state.isr();
    }
    if (r.current() != null) apply(ctx, p, r.current());
  }

  private void onOffsetsForLeaderEpoch(NodeContext ctx, NodeId from, OffsetsForLeaderEpochRequest r) {
    Partition p = partitions.get(r.tp());
    Errors error = Errors.NONE;
    if (p == null || p.role != Partition.Role.LEADER) error = Errors.NOT_LEADER_OR_FOLLOWER;
    else if (r.currentLeaderEpoch() < p.leaderEpoch()) error = Errors.FENCED_LEADER_EPOCH;
    else if (r.currentLeaderEpoch() > p.leaderEpoch()) error = Errors.UNKNOWN_LEADER_EPOCH;
    if (error != Errors.NONE) {
      ctx.send(from, new OffsetsForLeaderEpochResponse(r.tp(), error, r.currentLeaderEpoch(), -1, -1));
      return;
    }
    LeaderEpochCache.EpochEnd end = p.log.epochs().endOffsetFor(r.leaderEpoch(), p.logEndOffset());
    ctx.send(from, new OffsetsForLeaderEpochResponse(r.tp(), Errors.NONE, r.currentLeaderEpoch(), end.epoch(), end.endOffset()));
  }

  // ---- follower side ----

  private void becomeFollower(NodeContext ctx, Partition p) {
    boolean wasLeader = p.role == Partition.Role.LEADER;
    p.role = Partition.Role.FOLLOWER;
    p.generation++;
    p.fetchCorrelationId = -1;
    p.followers.clear();
    p.maximalIsr = List.of();
    completeDelayedProduces(ctx, p); // all fail with NOT_LEADER_OR_FOLLOWER
    p.parkedFetches.clear();
    if (wasLeader) ctx.note(p.tp + ": no longer leader; epoch " + p.leaderEpoch() + " belongs to " + p.leader());
    if (p.leader() == null) {
      p.phase = Partition.FollowerPhase.IDLE;
      return;
    }
    fetcher.startTruncation(ctx, p);
  }

  // ---- controlled shutdown ----

  private void beginControlledShutdown(NodeContext ctx) {
    shuttingDown = true;
    ctx.note("controlled shutdown: asking the controller to move my leaderships");
    ctx.send(controller, new ControlledShutdownRequest(ctx.self()));
  }

  private void onControlledShutdownResponse(NodeContext ctx, ControlledShutdownResponse r) {
    if (r.remainingLeaderships() > 0) {
      ctx.note("controlled shutdown: " + r.remainingLeaderships() + " leaderships could not move; retrying in 5s");
      ctx.setTimer(new ControlledShutdownRetry(), Durations.seconds(5));
      return;
    }
    for (Partition p : partitions.values()) p.log.flush();
    readyToStop = true;
    ctx.note("controlled shutdown complete: no leaderships left, every log flushed; the process can stop");
  }

  // ---- views for checks and the stepper ----

  public boolean readyToStop() {
    return readyToStop;
  }

  public long incarnationId() {
    return incarnationId;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /** A read-only view of one replica for invariants. */
  public record ReplicaView(TopicPartition tp, boolean leader, boolean fetching, NodeId leaderId, int leaderEpoch,
      List<NodeId> isr, long logEndOffset, long highWatermark, Map<NodeId, Long> followerLeos) {}

  public ReplicaView view(TopicPartition tp) {
    Partition p = partitions.get(tp);
    if (p == null || p.state == null) return null;
    Map<NodeId, Long> leos = new TreeMap<>();
    p.followers.forEach((id, f) -> leos.put(id, f.logEndOffset));
    return new ReplicaView(tp, p.role == Partition.Role.LEADER, p.role == Partition.Role.FOLLOWER && p.phase == Partition.FollowerPhase.FETCHING,
        p.leader(), p.leaderEpoch(), p.role == Partition.Role.LEADER ? p.maximalIsr : p.state.isr(), p.logEndOffset(), p.highWatermark, leos);
  }

  /** The replica's log (read-only use: checks, export, the stepper). */
  public Log log(TopicPartition tp) {
    Partition p = partitions.get(tp);
    return p == null ? null : p.log;
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder();
    b.append(registered ? "registered" : "not registered").append(", metadata v").append(metadataVersion)
        .append(shuttingDown ? ", controlled shutdown " + (readyToStop ? "complete" : "in progress") : "").append('\n');
    for (Partition p : partitions.values()) b.append("  ").append(p.describe());
    return b.toString();
  }
}
