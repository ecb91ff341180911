package sim.kafka.raft;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Controller;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.MetadataImage;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.RuleBreaks;

/**
 * A KRaft controller node: a member of the quorum ({@link RaftNode}) and, while it is the Raft leader, the active
 * controller ({@link Controller}). The write path of a metadata change: the active controller decides (fences a broker,
 * elects a leader, changes an ISR); {@link MetadataRecords#delta} turns the decision into records appended to
 * {@code __cluster_metadata-0} in its epoch; followers fetch and fsync them; once a majority has them the high watermark
 * passes them and only then does the controller answer because of them; brokers, observers of the same log, replay them
 * once committed (they get no LeaderAndIsr). A new leader first commits its
 * leader-change record, then replays the committed log to rebuild the controller's state, and only then takes requests.
 * An inactive controller answers brokers NOT_CONTROLLER naming the leader and forwards clients' requests to it.
 */
public final class KraftController implements Node, RaftNode.Listener, Controller.DecisionLog {
  private final KafkaConfig config;
  private final List<PartitionState> initial;
  private final RuleBreaks breaks;
  private final RaftNode raft;
  private final MetadataSnapshots snapshots;
  private Controller active;
  private long activation;
  private MetadataImage written;
  /** The last offset of each appended batch of decisions -> the controller version it makes durable. */
  private final TreeMap<Long, Long> pendingCommits = new TreeMap<>();
  /** Each broker's last RegisterBrokerRecord in this leader's log, committed or appended (ClusterControlManager's offsets). */
  private final TreeMap<NodeId, MetadataDelta.Registration> registrations = new TreeMap<>();

  public KraftController(KafkaConfig config, RaftConfig quorum, List<PartitionState> initialPartitions, RuleBreaks breaks) {
    this.config = config;
    this.initial = List.copyOf(initialPartitions);
    this.breaks = breaks;
    this.raft = new RaftNode(quorum, this);
    this.snapshots = new MetadataSnapshots(quorum);
  }

  @Override
  public void start(NodeContext ctx) {
    // Consulted here so the runner knows a KRaft cluster honours it; the active controller reads it when it answers.
    if (ctx.isBroken(Controller.PRODUCER_ID_BLOCK_NOT_COMMITTED)) ctx.note("rule broken: AllocateProducerIds answered before commit");
    raft.start(ctx);
    snapshots.start(ctx);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof RaftMessage r) {
      raft.step(ctx, from, r);
      return;
    }
    if (m instanceof KafkaMessage.Forwarded f) {
      handle(ctx, f.origin(), f.message());
      return;
    }
    handle(ctx, from, m);
  }

  private void handle(NodeContext ctx, NodeId from, Message m) {
    if (active != null) {
      active.onMessage(scoped(ctx), from, m);
      return;
    }
    NodeId leader = raft.leader();
    if (m instanceof KafkaMessage.InitProducerIdRequest || m instanceof KafkaMessage.MetadataRequest) {
      if (leader != null && !leader.equals(ctx.self())) ctx.send(leader, new KafkaMessage.Forwarded(from, m));
      return; // no leader known: the client retries
    }
    if (m instanceof KafkaMessage.AllocateProducerIdsRequest) {
      // Its own error code, as Kafka's: the broker retries at the controller its heartbeats found, not steered by this.
      ctx.send(from, new KafkaMessage.AllocateProducerIdsResponse(sim.kafka.broker.Errors.NOT_CONTROLLER, -1, 0));
      return;
    }
    ctx.send(from, new KafkaMessage.NotController(leader == null || leader.equals(ctx.self()) ? null : leader));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (raft.onTimer(ctx, t)) return;
    if (t instanceof MetadataSnapshots.Frozen f) {
      snapshots.onFrozen(ctx, raft.metadataLog(), f);
      return;
    }
    if (t instanceof ScopedContext.Scoped s && s.activation() == activation && active != null) active.onTimer(scoped(ctx), s.timer());
  }

  private ScopedContext scoped(NodeContext ctx) {
    return new ScopedContext(ctx, activation);
  }

  // ---- the quorum's news ----

  @Override
  public void onLeadershipLost(NodeContext ctx, int epoch) {
    if (active != null) ctx.note("controller inactive: lost the quorum leadership of epoch " + epoch);
    active = null;
    activation++;
    pendingCommits.clear();
    registrations.clear();
  }

  @Override
  public void onHighWatermark(NodeContext ctx, long highWatermark) {
    snapshots.maybeWrite(ctx, raft.metadataLog(), highWatermark); // every controller snapshots what it knows is committed
    if (!raft.isLeader()) return;
    if (active == null) {
      if (highWatermark > raft.epochStartOffset()) activate(ctx);
      return;
    }
    while (!pendingCommits.isEmpty() && pendingCommits.firstKey() < highWatermark) {
      Map.Entry<Long, Long> e = pendingCommits.pollFirstEntry();
      active.persisted(scoped(ctx), e.getValue());
    }
  }

  /**
   * This leader's epoch is committed: every earlier decision is below the high watermark, so load the latest snapshot and
   * replay the log after it (as QuorumController does from its raft listener), and take over.
   */
  private void activate(NodeContext ctx) {
    MetadataLog.SnapshotId snapshot = raft.metadataLog().latestSnapshotAtOrBelow(raft.highWatermark());
    List<sim.kafka.record.LogRecord> committed = raft.metadataLog().imageRecords(raft.highWatermark());
    MetadataDelta replayed = new MetadataDelta();
    for (sim.kafka.record.LogRecord r : committed) replayed.replay(r);
    MetadataImage image = replayed.image();
    registrations.clear();
    registrations.putAll(replayed.registrations());
    boolean fresh = image.partitions().isEmpty();
    written = fresh ? MetadataImage.empty() : image;
    activation++;
    active = new Controller(config, initial, breaks, this, fresh ? null : image);
    ctx.point("kafka.kraft.controller.active", ctx.self() + " is the active controller in epoch " + raft.epoch() + ", replayed "
        + committed.size() + " committed metadata records below offset " + raft.highWatermark()
        + (snapshot == null ? "" : " (snapshot " + snapshot + " first, then the log after it)"), "epoch", raft.epoch(), "records", committed.size());
    active.start(scoped(ctx));
  }

  /** The controller's decisions up to {@code version}: appended as metadata records, told once committed. */
  @Override
  public void write(NodeContext ctx, long version, MetadataImage image) {
    List<byte[]> records = MetadataRecords.delta(written, image);
    written = image;
    if (records.isEmpty()) {
      active.persisted(ctx, version); // nothing the log does not hold already
      return;
    }
    long last = raft.append(ctx, records);
    if (last < 0) return;
    pendingCommits.put(last, version);
    long base = last - records.size() + 1;
    for (int i = 0; i < records.size(); i++) {
      MetadataDelta.Registration r = MetadataRecords.registration(records.get(i), base + i);
      if (r != null) registrations.put(MetadataRecords.registeredBroker(records.get(i)), r);
    }
  }

  @Override
  public long registerBrokerRecordOffset(NodeId broker, long incarnationId) {
    MetadataDelta.Registration r = registrations.get(broker);
    return r == null || r.incarnationId() != incarnationId ? -1 : r.offset();
  }

  // ---- views ----

  public RaftNode raft() {
    return raft;
  }

  /** The controller while this node is the active one, else null. */
  public Controller active() {
    return active;
  }

  @Override
  public String describeState() {
    return raft.describe() + "\n" + (active == null ? "controller inactive" : active.describeState());
  }
}
