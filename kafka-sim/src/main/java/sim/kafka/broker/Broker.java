package sim.kafka.broker;

import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.BrokerTimer.AlterPartitionTimeout;
import sim.kafka.broker.BrokerTimer.ControlledShutdownRetry;
import sim.kafka.broker.BrokerTimer.FetchBackoff;
import sim.kafka.broker.BrokerTimer.FetchTimeout;
import sim.kafka.broker.BrokerTimer.Heartbeat;
import sim.kafka.broker.BrokerTimer.IsrExpiration;
import sim.kafka.broker.BrokerTimer.LogFlushed;
import sim.kafka.broker.BrokerTimer.ParkedFetchExpired;
import sim.kafka.broker.BrokerTimer.ProduceTimeout;
import sim.kafka.broker.BrokerTimer.ShutdownFlushed;
import sim.kafka.broker.KafkaMessage.AlterPartitionResponse;
import sim.kafka.broker.KafkaMessage.BeginControlledShutdown;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeatResponse;
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
import sim.kafka.log.Log;
import sim.kafka.record.RecordBatches;

/**
 * A Kafka broker: the replicas it hosts ({@link Partition}), the leader side of replication
 * ({@link LeaderReplication}), the follower side ({@link ReplicaFetcher}), and its session with the
 * controller. On (re)start it recovers every log on its disk, then registers.
 */
public final class Broker implements Node {
  private final KafkaConfig config;
  private final RuleBreaks breaks;
  private final ControllerTarget controller;
  private final TreeMap<TopicPartition, Partition> partitions = new TreeMap<>();
  private final ReplicaFetcher fetcher;
  private final sim.kafka.group.GroupCoordinator groups;
  private final sim.kafka.txn.TransactionManager txns;
  private TxnVerification verification;
  private final LogRetention retention;
  private final LogCleanerManager cleaner = new LogCleanerManager();
  /** {@code log-start-offset-checkpoint} as read at start-up: where each log opened here starts. */
  private java.util.Map<TopicPartition, Long> logStartCheckpoint = java.util.Map.of();
  private LeaderReplication leader;
  private final MetadataCache metadata = new MetadataCache();
  private long metadataVersion = -1;
  private long incarnationId;
  private final BrokerLifecycleManager lifecycle;
  /** KRaft: the metadata log this broker observes and replays; null with the single controller. */
  private final MetadataLoader metadataLoader;
  private boolean shuttingDown;
  private boolean readyToStop;
  private long nextId;
  private final ProducerIdManager producerIds;

  public Broker(KafkaConfig config, NodeId controller) { this(config, controller, RuleBreaks.NONE); }
  public Broker(KafkaConfig config, NodeId controller, RuleBreaks breaks) { this(config, controller, breaks, sim.kafka.group.GroupCoordinator.Config.defaults()); }
  public Broker(KafkaConfig config, NodeId controller, RuleBreaks breaks, sim.kafka.group.GroupCoordinator.Config groupConfig) {
    this(config, ControllerTarget.of(controller), null, breaks, groupConfig);
  }

  /**
   * A broker of a KRaft cluster ({@code quorum} not null): {@code controller} finds the active controller among the voters,
   * and the broker learns its metadata by observing the quorum's log.
   */
  public Broker(KafkaConfig config, ControllerTarget controller, sim.kafka.raft.RaftConfig quorum, RuleBreaks breaks,
      sim.kafka.group.GroupCoordinator.Config groupConfig) {
    this.config = config;
    this.breaks = breaks;
    this.controller = controller;
    this.fetcher = new ReplicaFetcher(config, breaks);
    this.retention = new LogRetention(breaks);
    this.groups = new sim.kafka.group.GroupCoordinator(groupConfig, new OffsetsWriter());
    this.txns = new sim.kafka.txn.TransactionManager(new TxnHost());
    this.producerIds = new ProducerIdManager(controller);
    this.metadataLoader = quorum == null ? null : new MetadataLoader(quorum, this::onMetadataPublished);
    this.lifecycle = new BrokerLifecycleManager(config, controller, metadataLoader);
    if (metadataLoader != null) controller.followLeaderOf(() -> metadataLoader.raft().leader());
  }

  // ---- lifecycle ----

  @Override
  public void start(NodeContext ctx) {
    incarnationId = ctx.random("incarnation").nextLong();
    leader = new LeaderReplication(config, breaks, controller, incarnationId);
    verification = new TxnVerification(config, breaks, id -> metadata.leaderOf(new TopicPartition(TXN_TOPIC,
        sim.kafka.group.GroupCoordinator.partitionFor(id, metadata.partitionsOf(TXN_TOPIC)))));
    leader.verification = verification;
    logStartCheckpoint = LogRetention.readCheckpoint(ctx);
    TreeSet<String> dirs = new TreeSet<>();
    for (String f : ctx.disk().list("")) {
      int slash = f.indexOf('/');
      if (slash > 0 && f.endsWith(".log") && !f.startsWith("__cluster_metadata")) dirs.add(f.substring(0, slash));
    }
    for (String dir : dirs) {
      int dash = dir.lastIndexOf('-');
      TopicPartition tp = new TopicPartition(dir.substring(0, dash), Integer.parseInt(dir.substring(dash + 1)));
      Log log = openLog(ctx, tp);
      partitions.put(tp, new Partition(tp, log));
      if (log.lastRecovery().droppedBytes() > 0) ctx.point("kafka.log.truncate", tp + " recovery: " + log.lastRecovery());
      else ctx.note(tp + " " + log.lastRecovery());
    }
    cleaner.readCheckpoint(ctx);
    if (metadataLoader != null) metadataLoader.start(ctx);
    lifecycle.start(ctx, incarnationId);
    if (config.log().compact()) cleaner.schedule(ctx);
    retention.start(ctx, config.log().retentionCheckIntervalMs());
    ctx.setTimer(new IsrExpiration(), Durations.millis(config.replicaLagTimeMaxMs() / 2));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof ProduceRequest r) leader.onProduce(ctx, partitions.get(r.tp()), from, r);
    else if (m instanceof FetchRequest r) leader.onFetch(ctx, partitions.get(r.tp()), from, r);
    else if (m instanceof FetchResponse r) fetcher.onFetchResponse(ctx, partitions.get(r.tp()), r);
    else if (m instanceof OffsetsForLeaderEpochRequest r) leader.onOffsetsForLeaderEpoch(ctx, partitions.get(r.tp()), from, r);
    else if (m instanceof OffsetsForLeaderEpochResponse r) fetcher.onOffsetsForLeaderEpochResponse(ctx, partitions.get(r.tp()), r);
    else if (m instanceof LeaderAndIsr r) onLeaderAndIsr(ctx, r);
    else if (m instanceof AlterPartitionResponse r) onAlterPartitionResponse(ctx, r);
    else if (m instanceof BrokerHeartbeatResponse r) lifecycle.onResponse(ctx, from, r);
    else if (m instanceof KafkaMessage.KraftBrokerHeartbeatResponse r) lifecycle.onKraftResponse(ctx, from, r);
    else if (m instanceof sim.kafka.raft.RaftMessage r && metadataLoader != null) metadataLoader.onMessage(ctx, from, r);
    else if (m instanceof KafkaMessage.NotController n) {
      controller.onAnswer(ctx, from, n);
      lifecycle.onNotController(ctx);
    }
    else if (m instanceof KafkaMessage.InitProducerIdRequest r) producerIds.onInitProducerId(ctx, from, r, incarnationId);
    else if (m instanceof KafkaMessage.AllocateProducerIdsResponse r) producerIds.onAllocateResponse(ctx, r);
    else if (m instanceof MetadataRequest r) ctx.send(from, new MetadataResponse(r.correlationId(), metadata.partitions()));
    else if (m instanceof KafkaMessage.FindCoordinatorRequest r) onFindCoordinator(ctx, from, r);
    else if (m instanceof KafkaMessage.ListOffsetsRequest r) leader.onListOffsets(ctx, partitions.get(r.tp()), from, r);
    else if (m instanceof KafkaMessage.DeleteRecordsRequest r) leader.onDeleteRecords(ctx, partitions.get(r.tp()), from, r);
    else if (sim.kafka.group.GroupCoordinator.handles(m)) groups.onMessage(ctx, from, m);
    else if (sim.kafka.txn.TransactionManager.handles(m)) txns.onMessage(ctx, from, m);
    else if (m instanceof KafkaMessage.AddPartitionsToTxnBrokerResponse r) verification.manager.onResponse(ctx, from, r);
    else if (m instanceof KafkaMessage.WriteTxnMarkersRequest r) TxnMarkerWriter.onWriteTxnMarkers(ctx, leader, partitions.get(r.tp()), from, r, groups);
    else if (m instanceof BeginControlledShutdown) beginControlledShutdown(ctx);
    else if (m instanceof ControlledShutdownResponse r) onControlledShutdownResponse(ctx, r);
    else ctx.note("ignored " + m);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Heartbeat) {
      lifecycle.onHeartbeatTimer(ctx, metadataVersion);
    } else if (t instanceof BrokerTimer.HeartbeatSoon h) {
      lifecycle.onHeartbeatSoon(ctx, h);
    } else if (metadataLoader != null && metadataLoader.onTimer(ctx, t)) {
      return;
    } else if (t instanceof IsrExpiration) {
      for (Partition p : partitions.values()) leader.maybeShrinkIsr(ctx, p);
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
      if (partitions.containsKey(pt.tp())) leader.expireProduce(ctx, partitions.get(pt.tp()), pt);
    } else if (t instanceof ParkedFetchExpired pf) {
      if (partitions.containsKey(pf.tp())) leader.expireParkedFetch(ctx, partitions.get(pf.tp()), pf);
    } else if (t instanceof AlterPartitionTimeout a) {
      if (partitions.containsKey(a.tp())) leader.expireAlterPartition(partitions.get(a.tp()), a);
    } else if (t instanceof LogFlushed f) {
      onLogFlushed(ctx, f);
    } else if (t instanceof ProducerIdManager.AllocateRetry r) {
      producerIds.onRetry(ctx, r, incarnationId);
    } else if (t instanceof ControlledShutdownRetry) {
      if (!readyToStop) controller.send(ctx, new ControlledShutdownRequest(ctx.self()));
    } else if (t instanceof BrokerTimer.CleanerTick) {
      cleaner.run(ctx, partitions.values());
    } else if (t instanceof BrokerTimer.RetentionTick) {
      retention.run(ctx, partitions.values(), config.log().retentionCheckIntervalMs());
    } else if (t instanceof BrokerTimer.LogStartCheckpointTick) {
      retention.onCheckpointTick(ctx, partitions.values());
    } else if (t instanceof sim.kafka.group.GroupCoordinator.GroupTimer g) {
      groups.onTimer(ctx, g);
    } else if (t instanceof sim.kafka.txn.TransactionManager.TxnTimer x) {
      txns.onTimer(ctx, x);
    } else if (t instanceof AddPartitionsToTxnManager.VerificationTimeout v) {
      verification.manager.onTimeout(ctx, v);
    } else if (t instanceof ShutdownFlushed) {
      readyToStop = true;
      ctx.note("controlled shutdown complete: no leaderships left, every log flushed; the process can stop");
    }
  }

  /**
   * A closed connection (the peer's process died): the follower's fetch to a dead leader fails at once and is
   * retried after {@code replica.fetch.backoff.ms}, instead of waiting out {@code replica.socket.timeout.ms}.
   */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    txns.onPeerDisconnected(ctx, peer);
    verification.manager.onPeerDisconnected(ctx, peer);
    for (Partition p : partitions.values()) {
      if (p.role != Partition.Role.FOLLOWER || !peer.equals(p.leader()) || p.fetchCorrelationId < 0) continue;
      ctx.note(p.tp + ": connection to leader " + peer + " reset; the fetch in flight fails, retrying after replica.fetch.backoff.ms");
      p.fetchCorrelationId = -1;
      fetcher.backoff(ctx, p);
    }
  }

  /** Every log gets the durability door: fsync latency, errors and crashes apply to its flushes. */
  private Log openLog(NodeContext ctx, TopicPartition tp) {
    Log log = new Log(ctx.disk(), tp.toString(), logConfig(tp.topic()), (l, files, upTo) -> ctx.fsyncThen(files, new LogFlushed(tp, upTo)));
    log.loadLogStartOffset(logStartCheckpoint.getOrDefault(tp, 0L));
    return log;
  }

  /**
   * The topic's log settings: the broker's for every topic. Kafka creates __consumer_offsets compacted with
   * offsets.topic.segment.bytes (100 MiB); here it keeps the broker's segment.bytes and is not cleaned (README).
   */
  private sim.kafka.log.LogConfig logConfig(String topic) {
    return config.log();
  }

  private void onLogFlushed(NodeContext ctx, LogFlushed f) {
    Partition p = partitions.get(f.tp());
    if (p == null) return;
    p.log.markFlushed(f.upToOffset());
    leader.completeDelayedProduces(ctx, p);
    fetcher.onFlushed(ctx, p);
  }

  // ---- metadata from the controller ----

  private void onLeaderAndIsr(NodeContext ctx, LeaderAndIsr m) {
    if (m.brokerIncarnation() != incarnationId) {
      ctx.note("ignored metadata addressed to another incarnation of " + ctx.self() + " (not registered yet)");
      return;
    }
    if (m.metadataVersion() <= metadataVersion) return;
    metadataVersion = m.metadataVersion();
    metadata.update(m.partitions());
    for (PartitionState s : m.partitions()) {
      if (!s.replicas().contains(ctx.self())) continue;
      Partition p = partitions.computeIfAbsent(s.tp(), tp -> new Partition(tp, openLog(ctx, tp)));
      apply(ctx, p, s);
    }
  }

  /** KRaft (ReplicaManager.applyDelta): committed partition changes from the metadata log, for the replicas this broker holds. */
  private void onMetadataPublished(NodeContext ctx, List<PartitionState> changed, List<PartitionState> all) {
    metadata.update(all);
    for (PartitionState s : changed) {
      if (!s.replicas().contains(ctx.self())) continue;
      apply(ctx, partitions.computeIfAbsent(s.tp(), tp -> new Partition(tp, openLog(ctx, tp))), s);
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
        leader.maybeIncrementHighWatermark(ctx, p);
        leader.completeDelayedProduces(ctx, p);
      }
      return;
    }
    p.state = s;
    if (ctx.self().equals(s.leader())) {
      leader.becomeLeader(ctx, p);
      if (p.tp.topic().equals(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC)) groups.load(ctx, p.tp, p.log);
      if (p.tp.topic().equals(TXN_TOPIC)) txns.load(ctx, p.tp, p.leaderEpoch());
    } else {
      becomeFollower(ctx, p);
      if (p.tp.topic().equals(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC)) groups.unload(ctx, p.tp);
      if (p.tp.topic().equals(TXN_TOPIC)) txns.unload(ctx, p.tp);
    }
  }

  private static final String TXN_TOPIC = sim.kafka.txn.TransactionCoordinator.TRANSACTION_STATE_TOPIC;

  /**
   * FindCoordinator: the leader of the key's coordinator partition, from this broker's metadata: for a group its
   * __consumer_offsets partition, for a transactional id its __transaction_state partition (the same hash).
   */
  private void onFindCoordinator(NodeContext ctx, NodeId from, KafkaMessage.FindCoordinatorRequest r) {
    String topic = r.keyType() == KafkaMessage.FindCoordinatorRequest.TRANSACTION ? TXN_TOPIC : sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC;
    int partition = sim.kafka.group.GroupCoordinator.partitionFor(r.groupId(), metadata.partitionsOf(topic));
    NodeId coordinator = metadata.leaderOf(new TopicPartition(topic, partition));
    Errors error = coordinator == null ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.NONE;
    ctx.send(from, new KafkaMessage.FindCoordinatorResponse(r.correlationId(), r.groupId(), error, coordinator));
  }

  /** What the transaction coordinator uses of this broker: its writes, its led logs, its metadata. */
  private final class TxnHost implements sim.kafka.txn.TransactionManager.Host {
    @Override
    public boolean append(NodeContext ctx, TopicPartition tp, List<sim.kafka.record.LogRecord> records, java.util.function.Consumer<Errors> done) {
      return appendForCoordinator(ctx, tp, records, done);
    }

    @Override
    public Log ledLog(TopicPartition tp) {
      Partition p = partitions.get(tp);
      return p == null || p.role != Partition.Role.LEADER ? null : p.log;
    }

    @Override
    public long highWatermark(TopicPartition tp) {
      Partition p = partitions.get(tp);
      return p == null ? -1 : p.highWatermark;
    }

    @Override
    public NodeId leaderOf(TopicPartition tp) {
      return metadata.leaderOf(tp);
    }

    @Override
    public int partitions() {
      return metadata.partitionsOf(TXN_TOPIC);
    }

    @Override
    public int offsetsPartitions() {
      return metadata.partitionsOf(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC);
    }
  }

  /** The group coordinator's writes to the offsets partitions this broker leads: plain or inside a producer's transaction. */
  private final class OffsetsWriter implements sim.kafka.group.GroupCoordinator.OffsetsLog {
    @Override
    public sim.kafka.log.Log logOf(TopicPartition tp) {
      Partition p = partitions.get(tp);
      return p == null || p.role != Partition.Role.LEADER ? null : p.log;
    }

    @Override
    public int partitionCount(String topic) {
      int n = 0;
      for (PartitionState s : metadata.partitions()) if (s.tp().topic().equals(topic)) n++;
      return n == 0 ? -1 : n;
    }

    @Override
    public boolean append(NodeContext ctx, TopicPartition tp, List<sim.kafka.record.LogRecord> records, java.util.function.Consumer<Errors> done) {
      return appendForCoordinator(ctx, tp, records, done);
    }

    /**
     * A TxnOffsetCommit's records as one transactional batch of the producer (Kafka's coordinator writes them with the
     * producer's id and epoch and sequence 0), verified first (KIP-890) as a produce request's first batch would be
     * (TxnVerification.appendTxnOffsets).
     */
    @Override
    public boolean appendTransactional(NodeContext ctx, TopicPartition tp, String transactionalId, long producerId, short producerEpoch,
        List<sim.kafka.record.LogRecord> records, java.util.function.Consumer<Errors> done) {
      Partition p = partitions.get(tp);
      if (p == null || p.role != Partition.Role.LEADER) return false;
      verification.appendTxnOffsets(ctx, leader, () -> partitions.get(tp), tp, transactionalId, producerId, producerEpoch, records, done);
      return true;
    }
  }

  /** The coordinator's writes: a batch of its records to the offsets partition this broker leads, acks=all. */
  private boolean appendForCoordinator(NodeContext ctx, TopicPartition tp, List<sim.kafka.record.LogRecord> records,
      java.util.function.Consumer<Errors> done) {
    Partition p = partitions.get(tp);
    if (p == null || p.role != Partition.Role.LEADER) return false;
    leader.appendInternal(ctx, p, RecordBatches.build(0, RecordBatches.NO_PARTITION_LEADER_EPOCH, RecordBatches.ProducerFields.NONE, records), done);
    return true;
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

  // ---- follower side ----

  private void becomeFollower(NodeContext ctx, Partition p) {
    boolean wasLeader = p.role == Partition.Role.LEADER;
    p.role = Partition.Role.FOLLOWER;
    p.generation++;
    p.fetchCorrelationId = -1;
    p.followers.clear();
    p.maximalIsr = List.of();
    leader.completeDelayedProduces(ctx, p); // acks=all ones fail with NOT_LEADER_OR_FOLLOWER
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
    controller.send(ctx, new ControlledShutdownRequest(ctx.self()));
  }

  private void onControlledShutdownResponse(NodeContext ctx, ControlledShutdownResponse r) {
    if (r.remainingLeaderships() > 0) {
      ctx.note("controlled shutdown: " + r.remainingLeaderships() + " leaderships could not move; retrying in 5s");
      ctx.setTimer(new ControlledShutdownRetry(), Durations.seconds(5));
      return;
    }
    retention.checkpoint(ctx, partitions.values()); // Kafka checkpoints the log start offsets on a clean shutdown
    List<String> files = new java.util.ArrayList<>();
    for (Partition p : partitions.values()) files.addAll(p.log.files());
    ctx.note("controlled shutdown: no leaderships left; flushing every log before the process stops");
    if (files.isEmpty()) onTimer(ctx, new ShutdownFlushed());
    else ctx.fsyncThen(files, new ShutdownFlushed());
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

  /** A read-only view of one replica for invariants (they look after every event, so it stays cheap). */
  public record ReplicaView(TopicPartition tp, boolean leader, boolean fetching, NodeId leaderId, int leaderEpoch,
      List<NodeId> isr, long logEndOffset, long highWatermark) {}

  public ReplicaView view(TopicPartition tp) {
    return view(partitions.get(tp));
  }

  private static ReplicaView view(Partition p) {
    if (p == null || p.state == null) return null;
    return new ReplicaView(p.tp, p.role == Partition.Role.LEADER, p.role == Partition.Role.FOLLOWER && p.phase == Partition.FollowerPhase.FETCHING,
        p.leader(), p.leaderEpoch(), p.role == Partition.Role.LEADER ? p.maximalIsr : p.state.isr(), p.logEndOffset(), p.highWatermark);
  }

  /** What {@link #forEachReplica} hands out: one replica's log and its view (null before it has partition state). */
  public interface ReplicaVisitor {
    void visit(TopicPartition tp, Log log, ReplicaView view);
  }

  /** Every replica this broker holds, in partition order: one pass for checks that read them all after every event. */
  public void forEachReplica(ReplicaVisitor visitor) {
    for (Partition p : partitions.values()) visitor.visit(p.tp, p.log, view(p));
  }

  /** KRaft: this broker's metadata loader and observer of the metadata log (read-only use: checks, tests); else null. */
  public MetadataLoader metadataLoader() {
    return metadataLoader;
  }

  /** This broker's group coordinator (read-only use: checks, the stepper). */
  public sim.kafka.group.GroupCoordinator groupCoordinator() {
    return groups;
  }

  /** This broker's transaction coordinator (read-only use: checks, the stepper). */
  public sim.kafka.txn.TransactionManager transactionManager() {
    return txns;
  }

  /** The replica's log (read-only use: checks, export, the stepper). */
  public Log log(TopicPartition tp) {
    Partition p = partitions.get(tp);
    return p == null ? null : p.log;
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder();
    b.append(lifecycle.describe()).append(metadataLoader == null ? ", metadata v" + metadataVersion : ", " + metadataLoader.describe())
        .append(shuttingDown ? ", controlled shutdown " + (readyToStop ? "complete" : "in progress") : "").append('\n');
    for (Partition p : partitions.values()) b.append("  ").append(p.describe());
    b.append(groups.describe()).append(txns.describe());
    return b.toString();
  }
}
