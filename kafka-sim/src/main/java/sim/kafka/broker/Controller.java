package sim.kafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.KafkaMessage.AlterPartition;
import sim.kafka.broker.KafkaMessage.AlterPartitionResponse;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeat;
import sim.kafka.broker.KafkaMessage.BrokerHeartbeatResponse;
import sim.kafka.broker.KafkaMessage.BrokerRegistration;
import sim.kafka.broker.KafkaMessage.ControlledShutdownRequest;
import sim.kafka.broker.KafkaMessage.ControlledShutdownResponse;
import sim.kafka.broker.KafkaMessage.InitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.InitProducerIdResponse;
import sim.kafka.broker.KafkaMessage.LeaderAndIsr;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;

/**
 * The active controller. It fences brokers whose heartbeats stop for {@code broker.session.timeout.ms}, elects leaders,
 * applies ISR changes proposed by leaders, runs controlled shutdown and hands out producer ids. Alone (the single
 * controller of most scenarios) its decisions are durable once its state file is fsynced and are pushed to brokers as
 * {@link LeaderAndIsr}, resent on heartbeats until acknowledged. On the KRaft quorum ({@link DecisionLog}) they are
 * committed to the metadata log, brokers replay that log, and a registered broker stays fenced until its heartbeat
 * reports it replayed its own RegisterBrokerRecord.
 *
 * <p>Persist before you speak: every decision is written to the state file and handed to the durability
 * door; what the controller sends because of it waits in an outbox until the fsync returned, so a crash in
 * between loses a decision nobody heard of. A closed broker connection does not fence the broker: KRaft
 * fences on {@code broker.session.timeout.ms} only.
 */
public final class Controller implements Node {
  static final String STATE_FILE = ControllerStateFile.PATH;

  private record Outgoing(long version, NodeId to, Message message) {}

  private record StatePersisted(long version) implements Timer {}

  /** What the controller knows of a broker. Only the incarnation and fenced flag are persisted. */
  private static final class BrokerInfo {
    long incarnationId;
    boolean fenced = true;
    boolean shuttingDown;
    long lastHeartbeatNanos;
  }

  private record SessionCheck() implements Timer {}

  private final KafkaConfig config;
  private final RuleBreaks breaks;
  private final Map<TopicPartition, PartitionState> initial;
  private final TreeMap<TopicPartition, PartitionState> partitions = new TreeMap<>();
  private final TreeMap<TopicPartition, PartitionState> durable = new TreeMap<>();
  private final TreeMap<NodeId, BrokerInfo> brokers = new TreeMap<>();
  private final List<Outgoing> outbox = new ArrayList<>();
  private long metadataVersion;
  private long durableVersion = -1;
  private long persistingVersion = -1;
  private long nextProducerId = 1000;
  private int uncleanElections;

  public Controller(KafkaConfig config, List<PartitionState> initialPartitions) {
    this(config, initialPartitions, RuleBreaks.NONE);
  }

  public Controller(KafkaConfig config, List<PartitionState> initialPartitions, RuleBreaks breaks) {
    this.config = config;
    this.breaks = breaks;
    this.initial = new TreeMap<>();
    for (PartitionState p : initialPartitions) initial.put(p.tp(), p);
  }

  /**
   * Where decisions become durable when this controller runs on the KRaft quorum ({@code sim.kafka.raft}): the image is
   * appended to the metadata log, and {@link #persisted} is called once it is committed. Null: the state file.
   */
  public interface DecisionLog {
    void write(NodeContext ctx, long version, MetadataImage image);

    /** The offset of {@code broker}'s RegisterBrokerRecord for {@code incarnationId} once appended, else -1. */
    long registerBrokerRecordOffset(NodeId broker, long incarnationId);
  }

  private DecisionLog decisionLog;
  private MetadataImage restored;

  /** A controller on the KRaft quorum: decisions go to {@code log}; {@code committed} is what the log's replay rebuilt (null: none yet). */
  public Controller(KafkaConfig config, List<PartitionState> initialPartitions, RuleBreaks breaks, DecisionLog log, MetadataImage committed) {
    this(config, initialPartitions, breaks);
    this.decisionLog = log;
    this.restored = committed;
  }

  @Override
  public void start(NodeContext ctx) {
    if (restored != null) {
      restore(restored);
      durableVersion = metadataVersion;
      durable.putAll(partitions);
      ctx.note("controller replayed the committed metadata log: " + partitions.size() + " partitions, " + brokers.size() + " brokers");
    } else if (decisionLog == null && ctx.disk().exists(STATE_FILE)) {
      restore(ControllerStateFile.decode(ctx.disk().readAll(STATE_FILE)));
      ctx.note("controller loaded metadata version " + metadataVersion + " from " + STATE_FILE);
      durableVersion = metadataVersion;
      durable.putAll(partitions);
    } else {
      partitions.putAll(initial);
      for (PartitionState p : initial.values()) for (NodeId r : p.replicas()) brokers.put(r, new BrokerInfo());
      persist(ctx);
    }
    // Brokers that were live get a fresh session: they must heartbeat within the timeout again.
    for (BrokerInfo b : brokers.values()) b.lastHeartbeatNanos = ctx.localTimeNanos();
    ctx.setTimer(new SessionCheck(), Durations.millis(500));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof BrokerRegistration r) onRegistration(ctx, r);
    else if (m instanceof BrokerHeartbeat h) onHeartbeat(ctx, h);
    else if (m instanceof KafkaMessage.KraftBrokerHeartbeat h) onKraftHeartbeat(ctx, h);
    else if (m instanceof AlterPartition a) onAlterPartition(ctx, from, a);
    else if (m instanceof ControlledShutdownRequest c) onControlledShutdown(ctx, from, c);
    else if (m instanceof InitProducerIdRequest i) onInitProducerId(ctx, from, i);
    else if (m instanceof KafkaMessage.AllocateProducerIdsRequest a) onAllocateProducerIds(ctx, from, a);
    else if (m instanceof MetadataRequest r) send(ctx, from, new MetadataResponse(r.correlationId(), List.copyOf(durable.values())));
    persistIfChanged(ctx);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof StatePersisted p) {
      onPersisted(ctx, p.version());
      return;
    }
    if (!(t instanceof SessionCheck)) return;
    sessionCheck(ctx);
    persistIfChanged(ctx);
  }

  private void sessionCheck(NodeContext ctx) {
    long now = ctx.localTimeNanos();
    List<NodeId> expired = new ArrayList<>();
    for (Map.Entry<NodeId, BrokerInfo> e : brokers.entrySet()) {
      BrokerInfo b = e.getValue();
      if (!b.fenced && now - b.lastHeartbeatNanos > Durations.millis(config.brokerSessionTimeoutMs())) expired.add(e.getKey());
    }
    // Every expired session first, so no election picks a broker that is about to be fenced too.
    for (NodeId b : expired) brokers.get(b).fenced = true;
    for (NodeId b : expired) fence(ctx, b, "no heartbeat for broker.session.timeout.ms=" + config.brokerSessionTimeoutMs());
    if (ctx.localTimeNanos() > Durations.seconds(3) && electNewPartitions(ctx, true)) publish(ctx);
    ctx.setTimer(new SessionCheck(), Durations.millis(500));
  }

  // ---- the outbox: nothing leaves before the decision it carries is durable ----

  private void send(NodeContext ctx, NodeId to, Message m) {
    if (durableVersion >= metadataVersion) ctx.send(to, m);
    else outbox.add(new Outgoing(metadataVersion, to, m));
  }

  private void persistIfChanged(NodeContext ctx) {
    if (metadataVersion > durableVersion && persistingVersion < 0) persist(ctx);
  }

  /** The decisions up to {@code version} are committed to the KRaft metadata log. */
  public void persisted(NodeContext ctx, long version) {
    onPersisted(ctx, version);
  }

  /** The state file's fsync returned: the decisions up to {@code version} are durable and may be told. */
  private void onPersisted(NodeContext ctx, long version) {
    if (decisionLog == null) ctx.disk().rename(STATE_FILE + ".tmp", STATE_FILE);
    persistingVersion = -1;
    durableVersion = version;
    durable.clear();
    durable.putAll(persistedPartitions);
    for (java.util.Iterator<Outgoing> it = outbox.iterator(); it.hasNext(); ) {
      Outgoing o = it.next();
      if (o.version() > version) break;
      it.remove();
      ctx.send(o.to(), o.message());
    }
    persistIfChanged(ctx);
  }

  // ---- brokers come and go ----

  private void onRegistration(NodeContext ctx, BrokerRegistration r) {
    BrokerInfo b = brokers.get(r.broker());
    if (b == null) return;
    // A new incarnation: the process restarted and may have lost its unflushed tail, so it leaves every ISR. KRaft cleans up
    // after any earlier registered incarnation, fenced or not (ClusterControlManager: brokerUncleanShutdownHandler).
    boolean kraftRestart = decisionLog != null && b.incarnationId != 0;
    if (b.incarnationId != r.incarnationId() && (!b.fenced || kraftRestart)) {
      fence(ctx, r.broker(), "registered again with a new incarnation (restarted)");
    }
    b.incarnationId = r.incarnationId();
    b.shuttingDown = false;
    b.lastHeartbeatNanos = ctx.localTimeNanos();
    if (decisionLog != null) {
      // KRaft: the RegisterBrokerRecord keeps it fenced; a heartbeat unfences it once it has replayed that record.
      metadataVersion++;
      send(ctx, r.broker(), new KafkaMessage.KraftBrokerHeartbeatResponse(r.incarnationId(), true, false, b.fenced));
      return;
    }
    unfence(ctx, r.broker());
    metadataVersion++; // the registration itself is a decision: the new incarnation is recorded
    send(ctx, r.broker(), new BrokerHeartbeatResponse(r.incarnationId(), true, false));
    send(ctx, r.broker(), leaderAndIsr(b));
  }

  private void onHeartbeat(NodeContext ctx, BrokerHeartbeat h) {
    BrokerInfo b = brokers.get(h.broker());
    if (b == null || b.incarnationId != h.incarnationId()) {
      send(ctx, h.broker(), new BrokerHeartbeatResponse(h.incarnationId(), false, true));
      return;
    }
    b.lastHeartbeatNanos = ctx.localTimeNanos();
    if (b.fenced && !b.shuttingDown) unfence(ctx, h.broker());
    send(ctx, h.broker(), new BrokerHeartbeatResponse(h.incarnationId(), true, b.fenced));
    if (h.metadataVersion() < metadataVersion) send(ctx, h.broker(), leaderAndIsr(b));
  }

  /**
   * A KRaft broker's heartbeat (BrokerHeartbeatManager.calculateNextBrokerState): a fenced broker is unfenced only once it
   * no longer wants to be fenced and its currentMetadataOffset has reached the offset of its RegisterBrokerRecord, so
   * it acts on metadata at least as new as its own registration. Nothing is pushed: brokers read the log.
   */
  private void onKraftHeartbeat(NodeContext ctx, KafkaMessage.KraftBrokerHeartbeat h) {
    BrokerInfo b = brokers.get(h.broker());
    if (b == null || b.incarnationId != h.incarnationId()) {
      send(ctx, h.broker(), new KafkaMessage.KraftBrokerHeartbeatResponse(h.incarnationId(), false, false, true));
      return;
    }
    b.lastHeartbeatNanos = ctx.localTimeNanos();
    long registration = decisionLog.registerBrokerRecordOffset(h.broker(), h.incarnationId());
    boolean caughtUp = registration >= 0 && h.currentMetadataOffset() >= registration;
    if (b.fenced && !b.shuttingDown && caughtUp && !h.wantFence()) {
      ctx.note("controller unfences " + h.broker() + ": its metadata offset " + h.currentMetadataOffset() + " reached its RegisterBrokerRecord at " + registration);
      unfence(ctx, h.broker());
    }
    send(ctx, h.broker(), new KafkaMessage.KraftBrokerHeartbeatResponse(h.incarnationId(), true, caughtUp, b.fenced));
  }

  private boolean eligible(NodeId broker) {
    BrokerInfo b = brokers.get(broker);
    return b != null && !b.fenced && !b.shuttingDown;
  }

  /** The broker is gone: out of every ISR (never emptying one); partitions it led elect anew. */
  private void fence(NodeContext ctx, NodeId broker, String why) {
    BrokerInfo info = brokers.get(broker);
    info.fenced = true;
    ctx.note("controller fences " + broker + ": " + why);
    for (PartitionState s : List.copyOf(partitions.values())) {
      List<NodeId> isr = LeaderElection.without(s.isr(), broker);
      if (broker.equals(s.leader())) {
        elect(ctx, new PartitionState(s.tp(), s.replicas(), s.leader(), s.leaderEpoch(), isr, s.partitionEpoch()), "leader " + broker + " fenced");
      } else if (!isr.equals(s.isr())) {
        change(ctx, s.withIsr(isr));
      }
    }
    publish(ctx);
  }

  /** The broker is back: offline partitions it can lead get a leader again. */
  private void unfence(NodeContext ctx, NodeId broker) {
    brokers.get(broker).fenced = false;
    for (PartitionState s : List.copyOf(partitions.values())) {
      if (s.leaderEpoch() < 0) continue; // not created yet: see electNewPartitions
      if (s.leader() == null && s.replicas().contains(broker)) elect(ctx, s, "offline partition, " + broker + " is back");
    }
    electNewPartitions(ctx, false);
    publish(ctx);
  }

  /**
   * A new topic gets its first leaders once all its replicas registered (or after a grace period), so the
   * first replica in assignment order, Kafka's preferred leader, leads from the start.
   */
  private boolean electNewPartitions(NodeContext ctx, boolean graceOver) {
    boolean any = false;
    for (PartitionState s : List.copyOf(partitions.values())) {
      if (s.leaderEpoch() >= 0) continue;
      if (graceOver || s.replicas().stream().allMatch(this::eligible)) {
        elect(ctx, s, "topic created");
        any = true;
      }
    }
    return any;
  }

  private void elect(NodeContext ctx, PartitionState s, String why) {
    LeaderElection.Choice c = breaks.electOutOfSyncReplica() ? LeaderElection.chooseOutOfSyncFirst(s, this::eligible)
        : LeaderElection.choose(s, this::eligible, config.uncleanLeaderElectionEnable());
    if (c.leader() == null && s.leader() == null) return;
    PartitionState next = s.withLeader(c.leader(), c.isr());
    change(ctx, next);
    String what = c.unclean() ? " UNCLEAN (out-of-sync replica; " + (breaks.electOutOfSyncReplica() ? "rule broken" : "unclean.leader.election.enable=true") + ")"
        : c.leader() == null ? " OFFLINE: no live in-sync replica" : "";
    if (c.unclean()) uncleanElections++;
    ctx.point("kafka.leader.elected", next + what + ": " + why, "partition", next.tp().toString(),
        "leader", c.leader() == null ? "none" : c.leader().name(), "leaderEpoch", next.leaderEpoch(), "isr", next.isr().toString(),
        "unclean", c.unclean());
  }

  private void change(NodeContext ctx, PartitionState next) {
    partitions.put(next.tp(), next);
    metadataVersion++;
  }

  /** Pushes the decisions to live brokers (single controller only: KRaft brokers replay the committed metadata log). */
  private void publish(NodeContext ctx) {
    if (decisionLog != null) return;
    for (Map.Entry<NodeId, BrokerInfo> e : brokers.entrySet()) {
      if (!e.getValue().fenced || e.getValue().shuttingDown) send(ctx, e.getKey(), leaderAndIsr(e.getValue()));
    }
  }

  private LeaderAndIsr leaderAndIsr(BrokerInfo to) {
    return new LeaderAndIsr(metadataVersion, to.incarnationId, List.copyOf(partitions.values()));
  }

  // ---- requests from leaders ----

  private void onAlterPartition(NodeContext ctx, NodeId from, AlterPartition a) {
    PartitionState cur = partitions.get(a.proposed().tp());
    PartitionState p = a.proposed();
    Errors error = Errors.NONE;
    BrokerInfo leader = brokers.get(a.leader());
    if (leader == null || leader.incarnationId != a.leaderIncarnation()) error = Errors.STALE_BROKER_EPOCH;
    else if (cur == null || !a.leader().equals(cur.leader()) || p.leaderEpoch() != cur.leaderEpoch()) error = Errors.FENCED_LEADER_EPOCH;
    else if (p.partitionEpoch() != cur.partitionEpoch()) error = Errors.INVALID_UPDATE_VERSION;
    else if (p.isr().stream().anyMatch(r -> !cur.isr().contains(r) && !eligible(r))) error = Errors.INVALID_UPDATE_VERSION;
    if (error == Errors.NONE) {
      change(ctx, cur.withIsr(p.isr()));
      publish(ctx);
    }
    send(ctx, from, new AlterPartitionResponse(a.requestId(), p.tp(), error, partitions.get(p.tp())));
  }

  private void onControlledShutdown(NodeContext ctx, NodeId from, ControlledShutdownRequest r) {
    BrokerInfo b = brokers.get(r.broker());
    if (b == null) return;
    b.shuttingDown = true;
    int remaining = 0;
    for (PartitionState s : List.copyOf(partitions.values())) {
      List<NodeId> isr = LeaderElection.without(s.isr(), r.broker());
      if (r.broker().equals(s.leader())) {
        LeaderElection.Choice c = LeaderElection.choose(s.withIsr(isr), this::eligible, false);
        if (c.leader() == null) {
          remaining++;
          continue;
        }
        PartitionState next = s.withLeader(c.leader(), isr);
        change(ctx, next);
        ctx.point("kafka.leader.elected", next + ": controlled shutdown of " + r.broker(), "partition", next.tp().toString(),
            "leader", c.leader().name(), "leaderEpoch", next.leaderEpoch(), "isr", next.isr().toString(), "unclean", false);
      } else if (!isr.equals(s.isr())) {
        change(ctx, s.withIsr(isr));
      }
    }
    metadataVersion++; // shutting down is recorded too
    publish(ctx);
    send(ctx, from, new ControlledShutdownResponse(remaining));
  }

  private void onInitProducerId(NodeContext ctx, NodeId from, InitProducerIdRequest r) {
    if (r.producerId() >= 0 && r.producerEpoch() < Short.MAX_VALUE) {
      send(ctx, from, new InitProducerIdResponse(r.correlationId(), r.producerId(), (short) (r.producerEpoch() + 1)));
      return;
    }
    long id = nextProducerId++;
    metadataVersion++; // the id block is handed out only once it is durable
    send(ctx, from, new InitProducerIdResponse(r.correlationId(), id, (short) 0));
  }

  /** The break: AllocateProducerIds is answered before the ProducerIdsRecord that moves nextProducerId past the block is committed. */
  public static final String PRODUCER_ID_BLOCK_NOT_COMMITTED = "kafka.producer-id-block-not-committed";

  /**
   * AllocateProducerIds (ProducerIdControlManager.generateNextProducerId): the block [next, next + 1000) for the broker, and
   * nextProducerId moved past it. The answer waits for that to be committed: answered earlier, a controller failover
   * could lose the record and hand the same block to another broker.
   */
  private void onAllocateProducerIds(NodeContext ctx, NodeId from, KafkaMessage.AllocateProducerIdsRequest r) {
    long start = nextProducerId;
    nextProducerId += ProducerIdManager.PRODUCER_ID_BLOCK_SIZE;
    metadataVersion++;
    ctx.point("kafka.controller.producer-ids", "producer id block [" + start + ", " + nextProducerId + ") for " + r.broker(),
        "broker", r.broker().name(), "start", start);
    KafkaMessage.AllocateProducerIdsResponse answer = new KafkaMessage.AllocateProducerIdsResponse(Errors.NONE, start, ProducerIdManager.PRODUCER_ID_BLOCK_SIZE);
    if (ctx.isBroken(PRODUCER_ID_BLOCK_NOT_COMMITTED)) ctx.send(from, answer);
    else send(ctx, from, answer);
  }

  // ---- durability of decisions ----

  private final TreeMap<TopicPartition, PartitionState> persistedPartitions = new TreeMap<>();

  /** Writes the state to a temp file and asks the durability door; the rename follows the fsync. */
  private void persist(NodeContext ctx) {
    persistingVersion = metadataVersion;
    persistedPartitions.clear();
    persistedPartitions.putAll(partitions);
    if (decisionLog != null) {
      decisionLog.write(ctx, metadataVersion, image());
      return;
    }
    String tmp = STATE_FILE + ".tmp";
    ctx.disk().delete(tmp);
    ctx.disk().write(tmp, 0, ControllerStateFile.encode(image()));
    ctx.fsyncThen(tmp, new StatePersisted(metadataVersion));
  }

  /** Everything the controller persists, as a value: what the KRaft metadata log's records describe. */
  MetadataImage image() {
    TreeMap<NodeId, MetadataImage.BrokerEntry> bs = new TreeMap<>();
    brokers.forEach((id, info) -> bs.put(id, new MetadataImage.BrokerEntry(info.incarnationId, info.fenced)));
    return new MetadataImage(metadataVersion, nextProducerId, uncleanElections, bs, new TreeMap<>(partitions));
  }

  private void restore(MetadataImage image) {
    metadataVersion = image.version();
    nextProducerId = image.nextProducerId();
    uncleanElections = image.uncleanElections();
    image.brokers().forEach((id, e) -> {
      BrokerInfo info = new BrokerInfo();
      info.incarnationId = e.incarnationId();
      info.fenced = e.fenced();
      brokers.put(id, info);
    });
    partitions.putAll(image.partitions());
  }

  // ---- views for checks and the stepper ----

  /** The controller's current decision for {@code tp}, durable or not yet. */
  public PartitionState partition(TopicPartition tp) {
    return partitions.get(tp);
  }

  public List<PartitionState> partitions() {
    return new ArrayList<>(partitions.values());
  }

  /** What the controller may have told anyone: the decisions its state file holds. */
  public java.util.Collection<PartitionState> durablePartitions() {
    return java.util.Collections.unmodifiableCollection(durable.values());
  }

  /** The version of the decisions in memory and of those on disk: they differ while an fsync is pending. */
  public long metadataVersion() {
    return metadataVersion;
  }

  public long durableVersion() {
    return durableVersion;
  }

  public int uncleanElections() {
    return uncleanElections;
  }

  /** The incarnation the controller last registered for {@code broker}; a restarted broker differs until it registers. */
  public long incarnationOf(NodeId broker) {
    BrokerInfo b = brokers.get(broker);
    return b == null ? 0 : b.incarnationId;
  }

  public boolean isFenced(NodeId broker) {
    BrokerInfo b = brokers.get(broker);
    return b == null || b.fenced;
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder("controller metadata v" + metadataVersion + "\n");
    brokers.forEach((id, info) -> b.append("  broker ").append(id).append(info.fenced ? " FENCED" : " live").append(info.shuttingDown ? " (shutting down)" : "").append('\n'));
    for (PartitionState s : partitions.values()) b.append("  ").append(s).append('\n');
    if (uncleanElections > 0) b.append("  unclean elections: ").append(uncleanElections).append('\n');
    return b.toString();
  }
}
