package sim.kafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.raft.MetadataDelta;
import sim.kafka.raft.RaftConfig;
import sim.kafka.raft.RaftMessage;
import sim.kafka.raft.RaftObserver;
import sim.kafka.record.LogRecord;

/**
 * A KRaft broker's metadata. Its raft client observes {@code __cluster_metadata-0} ({@link RaftObserver}); this loader
 * (Kafka's MetadataLoader) replays each record once it is committed, below the high watermark the leader reported,
 * into the broker's image ({@link MetadataDelta}). Once the controller said the broker caught up with its own
 * RegisterBrokerRecord, the image is published (BrokerMetadataPublisher, ReplicaManager.applyDelta): the broker becomes
 * leader or follower of the partitions whose PartitionRecord or PartitionChangeRecord name it, and from then on every
 * committed change reaches its replicas the same way. Nothing is pushed by the controller.
 */
public final class MetadataLoader implements RaftObserver.Listener {
  /** The break: the loader replays every fetched record, committed or not. */
  public static final String APPLY_UNCOMMITTED = "kafka.kraft-broker-applies-uncommitted-metadata";
  /** The break: the loader never loads a snapshot; it replays whatever log its copy holds onto the image it has. */
  public static final String IGNORE_SNAPSHOT = "kafka.kraft-loader-ignores-snapshot";

  /** Where published partitions go: the broker's replicas and its metadata cache. */
  interface Publisher {
    void publish(NodeContext ctx, List<PartitionState> changed, List<PartitionState> all);
  }

  private final RaftObserver raft;
  private final Publisher publisher;
  private MetadataDelta delta = new MetadataDelta();
  private final TreeSet<TopicPartition> changed = new TreeSet<>();
  /** The end (exclusive) of what was replayed. */
  private long loadedUpTo;
  /** KafkaRaftClient's STARTING listener: nothing loaded yet, so the latest snapshot comes first. */
  private boolean starting = true;
  private boolean publishing;
  private boolean applyUncommitted;
  private boolean ignoreSnapshot;

  MetadataLoader(RaftConfig quorum, Publisher publisher) {
    this.raft = new RaftObserver(quorum, this);
    this.publisher = publisher;
  }

  void start(NodeContext ctx) {
    applyUncommitted = ctx.isBroken(APPLY_UNCOMMITTED);
    if (applyUncommitted) ctx.note("rule broken: the metadata loader replays records above the high watermark");
    ignoreSnapshot = ctx.isBroken(IGNORE_SNAPSHOT);
    if (ignoreSnapshot) ctx.note("rule broken: the metadata loader never loads a snapshot");
    raft.start(ctx);
  }

  void onMessage(NodeContext ctx, NodeId from, RaftMessage m) {
    raft.step(ctx, from, m);
  }

  boolean onTimer(NodeContext ctx, Timer t) {
    return raft.onTimer(ctx, t);
  }

  /** A fetch appended records or moved the high watermark: replay what became committed. */
  @Override
  public void onFetched(NodeContext ctx) {
    long upTo = applyUncommitted ? raft.logEndOffset() : raft.highWatermark();
    if (upTo <= loadedUpTo) return;
    maybeLoadSnapshot(ctx, upTo);
    for (LogRecord r : raft.records(Math.max(loadedUpTo, raft.logStartOffset()), upTo)) {
      TopicPartition tp = delta.replay(r);
      if (tp != null) changed.add(tp);
    }
    loadedUpTo = upTo;
    if (publishing) publish(ctx);
  }

  /**
   * KafkaRaftClient.updateListenersProgress: a new listener, or one whose next offset is below the log start (its copy
   * was replaced by a downloaded snapshot), gets the latest snapshot first (MetadataLoader.handleLoadSnapshot): the image
   * is rebuilt from the snapshot alone, then the log after it is replayed.
   */
  private void maybeLoadSnapshot(NodeContext ctx, long upTo) {
    boolean wanted = starting || loadedUpTo < raft.logStartOffset();
    starting = false;
    long end = raft.snapshotEndAtOrBelow(upTo);
    if (!wanted || end <= loadedUpTo || ignoreSnapshot) return;
    delta = new MetadataDelta();
    List<LogRecord> records = raft.snapshotRecords(end);
    for (LogRecord r : records) delta.replay(r);
    loadedUpTo = end;
    for (PartitionState s : delta.partitions()) changed.add(s.tp());
    ctx.point("kafka.broker.metadata.snapshot", ctx.self() + " loads snapshot " + end + " (" + records.size() + " records) as its image, then replays the log from offset "
        + end, "endOffset", end);
  }

  /** The image the replayed records describe (checks: it must be the committed image at {@link #loadedUpTo}). */
  public sim.kafka.broker.MetadataImage image() {
    return delta.image();
  }

  /** The end (exclusive) of what this loader replayed. */
  public long loadedUpTo() {
    return loadedUpTo;
  }

  /** The broker caught up with its registration: its whole image goes to its replicas, then every committed change. */
  void startPublishing(NodeContext ctx) {
    publishing = true;
    for (PartitionState s : delta.partitions()) changed.add(s.tp());
    publish(ctx);
  }

  private void publish(NodeContext ctx) {
    if (changed.isEmpty()) return;
    List<PartitionState> states = new ArrayList<>();
    for (TopicPartition tp : changed) states.add(delta.partition(tp));
    changed.clear();
    ctx.point("kafka.broker.metadata.publish", ctx.self() + " applies " + (applyUncommitted ? "fetched (rule broken: maybe uncommitted)" : "committed")
        + " metadata up to offset " + currentMetadataOffset() + ": " + states,
        "offset", currentMetadataOffset(), "partitions", states.size());
    publisher.publish(ctx, states, delta.partitions());
  }

  /** The last metadata offset replayed (BrokerHeartbeat's currentMetadataOffset), -1 before any. */
  long currentMetadataOffset() {
    return loadedUpTo - 1;
  }

  /** The partitions the replayed records describe. */
  public List<PartitionState> partitions() {
    return delta.partitions();
  }

  /** The observer's copy of the log (read-only use: checks, the stepper). */
  public RaftObserver raft() {
    return raft;
  }

  /** One line for {@code state bN}: how far this broker replayed against what the leader reported committed. */
  String describe() {
    long hw = raft.highWatermark();
    return "metadata offset " + currentMetadataOffset() + " (replayed below " + loadedUpTo + "; fetched to " + raft.logEndOffset()
        + ", high watermark " + hw + " from " + (raft.leader() == null ? "no leader yet" : raft.leader() + " in epoch " + raft.epoch())
        + ", lag " + Math.max(0, hw - loadedUpTo) + ")" + (publishing ? "" : ", not published yet");
  }
}
