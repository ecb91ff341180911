package sim.kafka.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.PartitionAssignor;
import sim.kafka.group.Subscription;

/**
 * A consumer in a group (kafka-clients' {@code ConsumerCoordinator}; its positions and fetcher are {@link PartitionPositions}): find the coordinator,
 * join (JoinGroup, MEMBER_ID_REQUIRED first for a dynamic member), the leader runs the assignor, sync,
 * heartbeat every {@code heartbeat.interval.ms}, fetch what it owns from the committed offsets (or per
 * {@code auto.offset.reset}), process, commit. Eager assignors revoke everything before rejoining; the
 * cooperative one keeps what it owns and gives up only what moves, in a second rebalance.
 */
public final class GroupConsumer implements Node {
  private sealed interface GroupConsumerTimer extends Timer {}

  private record Poll() implements GroupConsumerTimer {}

  private record HeartbeatTick(long session) implements GroupConsumerTimer {}

  private record RequestTimeout(long correlationId) implements GroupConsumerTimer {}

  private enum Phase { UNJOINED, JOINING, SYNCING, STABLE }

  private final GroupConsumerConfig config;
  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final GroupLedger ledger;
  private final PartitionAssignor assignor;
  private final PartitionPositions partitions;
  private final Map<Long, String> inFlight = new HashMap<>();
  private Phase phase = Phase.UNJOINED;
  private NodeId coordinator;
  private boolean finding;
  private long heartbeatSentMs = -1;
  private String memberId = "";
  private int generation = -1;
  private List<TopicPartition> lastAssignment = List.of();
  private int lastAssignedGeneration = -1;
  private long session;
  private long nextCorrelationId;
  private int bootstrapIndex;

  public GroupConsumer(GroupConsumerConfig config, String topic, int numPartitions, List<NodeId> bootstrap, GroupLedger ledger) {
    this.config = config;
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
    this.ledger = ledger;
    this.assignor = PartitionAssignor.named(config.assignor());
    this.partitions = new PartitionPositions(config, ledger, () -> memberId, "generation", () -> generation, new PartitionPositions.Requests() {
      @Override
      public long listOffsets() {
        return nextCorrelationId++;
      }

      @Override
      public long offsetFetch(NodeContext ctx) {
        return request(ctx, "offsets", 30_000);
      }

      @Override
      public long fetch() {
        return nextCorrelationId++;
      }

      @Override
      public void commit(NodeContext ctx, Map<TopicPartition, Long> offsets, long fetchCorrelationId) {
        GroupConsumer.this.commit(ctx, offsets);
      }
    }, true);
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Poll(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    partitions.reachable(from);
    if (m instanceof KafkaMessage.MetadataResponse r) partitions.onMetadata(topic, r.partitions());
    else if (m instanceof KafkaMessage.FindCoordinatorResponse r) onFindCoordinator(ctx, r);
    else if (m instanceof KafkaMessage.JoinGroupResponse r) onJoin(ctx, r);
    else if (m instanceof KafkaMessage.SyncGroupResponse r) onSync(ctx, r);
    else if (m instanceof KafkaMessage.HeartbeatResponse r) onHeartbeat(ctx, r);
    else if (m instanceof KafkaMessage.OffsetFetchResponse r) onOffsetFetch(ctx, r);
    else if (m instanceof KafkaMessage.ListOffsetsResponse r) partitions.onListOffsets(r);
    else if (m instanceof KafkaMessage.OffsetCommitResponse r) onCommit(ctx, r);
    else if (m instanceof FetchResponse r) partitions.onFetch(ctx, r);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Poll) poll(ctx);
    else if (t instanceof HeartbeatTick h && h.session() == session) heartbeat(ctx);
    else if (t instanceof RequestTimeout r) onRequestTimeout(ctx, r.correlationId());
  }

  /** The coordinator's process died: find it again; fetches from a dead leader fail now. */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (peer.equals(coordinator)) coordinatorLost(ctx, "connection to coordinator " + peer + " reset");
    partitions.disconnected(peer);
  }

  // ---- the poll loop ----

  private void poll(NodeContext ctx) {
    if (partitions.leadersKnown() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new KafkaMessage.MetadataRequest(nextCorrelationId++));
    if (coordinator == null && !finding) findCoordinator(ctx);
    else if (coordinator != null && phase == Phase.UNJOINED) join(ctx);
    if (phase == Phase.STABLE) partitions.fetchOwned(ctx, coordinator);
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  private long request(NodeContext ctx, String what, long timeoutMs) {
    long id = nextCorrelationId++;
    inFlight.put(id, what);
    ctx.setTimer(new RequestTimeout(id), Durations.millis(timeoutMs));
    return id;
  }

  private void onRequestTimeout(NodeContext ctx, long id) {
    String what = inFlight.remove(id);
    if (what == null) return;
    if (what.equals("find")) finding = false;
    else if (what.equals("join") || what.equals("sync")) coordinatorLost(ctx, what + " timed out");
  }

  /**
   * The coordinator moved or died: find it again. A stable member keeps consuming and heartbeats the new
   * coordinator in the same generation (it loaded the group from the log); one mid-join joins again.
   */
  private void coordinatorLost(NodeContext ctx, String why) {
    if (coordinator != null) ctx.note(config.groupId() + ": " + why + "; finding the coordinator again");
    coordinator = null;
    inFlight.values().removeIf(w -> w.equals("join") || w.equals("sync"));
    if (phase == Phase.JOINING || phase == Phase.SYNCING) phase = Phase.UNJOINED;
  }

  // ---- membership ----

  private void findCoordinator(NodeContext ctx) {
    finding = true;
    long id = request(ctx, "find", 3000);
    ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new KafkaMessage.FindCoordinatorRequest(id, config.groupId()));
  }

  private void onFindCoordinator(NodeContext ctx, KafkaMessage.FindCoordinatorResponse r) {
    if (inFlight.remove(r.correlationId()) == null) return;
    finding = false;
    if (r.error() != Errors.NONE) return;
    if (!partitions.isReachable(r.coordinator())) {
      // The metadata still names a broker whose process died: connection refused; ask again until it moves.
      ctx.send(r.coordinator(), new KafkaMessage.MetadataRequest(nextCorrelationId++));
      return;
    }
    coordinator = r.coordinator();
    if (phase == Phase.UNJOINED) join(ctx);
  }

  private void join(NodeContext ctx) {
    if (coordinator == null) {
      phase = Phase.UNJOINED;
      return;
    }
    if (!config.cooperative() && !partitions.owned().isEmpty()) revoke(ctx, partitions.owned(), "eager rebalance: revoke everything before rejoining");
    phase = Phase.JOINING;
    session++;
    List<TopicPartition> mine = config.cooperative() ? partitions.owned() : List.of();
    Optional<Integer> gen = generation >= 0 ? Optional.of(generation) : Optional.empty();
    Optional<Subscription.StickyUserData> sticky = assignor instanceof sim.kafka.group.StickyAssignor && lastAssignedGeneration >= 0
        ? Optional.of(new Subscription.StickyUserData(lastAssignment, Optional.of(lastAssignedGeneration))) : Optional.empty();
    Subscription s = new Subscription(List.of(topic), mine, gen, Optional.ofNullable(config.groupInstanceId()), sticky);
    long id = request(ctx, "join", config.maxPollIntervalMs() + 5000L);
    ctx.point("kafka.consumer.join", config.groupId() + " " + (memberId.isEmpty() ? "new member" : memberId) + " sends JoinGroup"
            + (mine.isEmpty() ? "" : " owning " + mine), "group", config.groupId(), "member", memberId, "generation", generation);
    ctx.send(coordinator, new KafkaMessage.JoinGroupRequest(id, config.groupId(), memberId, config.groupInstanceId(), config.sessionTimeoutMs(),
        config.maxPollIntervalMs(), List.of(new KafkaMessage.JoinProtocol(assignor.name(), s))));
  }

  private void onJoin(NodeContext ctx, KafkaMessage.JoinGroupResponse r) {
    if (inFlight.remove(r.correlationId()) == null || phase != Phase.JOINING) return;
    switch (r.error()) {
      case NONE -> {}
      case MEMBER_ID_REQUIRED -> {
        memberId = r.memberId();
        join(ctx);
        return;
      }
      case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID -> {
        resetMembership(ctx, r.error().name());
        join(ctx);
        return;
      }
      default -> {
        coordinatorLost(ctx, "JoinGroup failed with " + r.error());
        return;
      }
    }
    memberId = r.memberId();
    generation = r.generationId();
    Map<String, List<TopicPartition>> assignments = Map.of();
    if (memberId.equals(r.leader())) assignments = assign(ctx, r.members());
    phase = Phase.SYNCING;
    long id = request(ctx, "sync", 30_000);
    ctx.send(coordinator, new KafkaMessage.SyncGroupRequest(id, config.groupId(), generation, memberId, config.groupInstanceId(), assignments));
    scheduleHeartbeat(ctx);
  }

  /** The leader's job: the assignor over every member's subscription, as a HashMap filled in member order. */
  private Map<String, List<TopicPartition>> assign(NodeContext ctx, List<KafkaMessage.JoinedMember> members) {
    Map<String, Subscription> subscriptions = new HashMap<>();
    for (KafkaMessage.JoinedMember m : members) {
      Subscription s = m.subscription();
      subscriptions.put(m.memberId(), new Subscription(s.topics(), s.ownedPartitions(), s.generationId(), Optional.ofNullable(m.groupInstanceId()),
          s.stickyUserData()));
    }
    Map<String, Integer> counts = new HashMap<>();
    counts.put(topic, numPartitions);
    Map<String, List<TopicPartition>> result = assignor.assign(counts, subscriptions);
    ctx.point("kafka.consumer.assign", config.groupId() + " leader " + memberId + " runs " + assignor.name() + " for generation " + generation
        + ": " + new TreeMap<>(result), "group", config.groupId(), "generation", generation, "assignor", assignor.name());
    return result;
  }

  private void onSync(NodeContext ctx, KafkaMessage.SyncGroupResponse r) {
    if (inFlight.remove(r.correlationId()) == null || phase != Phase.SYNCING) return;
    if (r.error() == Errors.REBALANCE_IN_PROGRESS) {
      join(ctx);
      return;
    }
    if (r.error() != Errors.NONE) {
      if (r.error() == Errors.NOT_COORDINATOR || r.error() == Errors.COORDINATOR_NOT_AVAILABLE) coordinatorLost(ctx, "SyncGroup failed with " + r.error());
      else {
        resetMembership(ctx, r.error().name());
        join(ctx);
      }
      return;
    }
    List<TopicPartition> assigned = new ArrayList<>(r.assignment());
    lastAssignment = assigned;
    lastAssignedGeneration = generation;
    ledger.assigned(new GroupLedger.Assignment(ctx.self().name(), memberId, config.groupInstanceId() == null ? memberId : config.groupInstanceId(),
        generation, List.copyOf(assigned), ctx.localTimeNanos()));
    List<TopicPartition> revoked = new ArrayList<>();
    for (TopicPartition tp : partitions.owned()) if (!assigned.contains(tp)) revoked.add(tp);
    if (!revoked.isEmpty()) revoke(ctx, revoked, "cooperative rebalance: give up what moves, then rejoin");
    TreeSet<TopicPartition> added = new TreeSet<>();
    for (TopicPartition tp : assigned) if (!partitions.owns(tp)) added.add(tp);
    partitions.own(added);
    phase = Phase.STABLE;
    ctx.point("kafka.consumer.assigned", config.groupId() + " " + memberId + " generation " + generation + " owns " + partitions.owned()
            + (added.isEmpty() ? "" : ", new " + added) + (revoked.isEmpty() ? "" : ", revoked " + revoked),
        "group", config.groupId(), "member", memberId, "generation", generation, "partitions", partitions.owned().toString());
    if (!added.isEmpty()) partitions.fetchOffsets(ctx, added, coordinator, request(ctx, "offsets", 30_000));
    if (!revoked.isEmpty() && config.cooperative()) join(ctx); // the second rebalance hands the revoked partitions over
  }

  /** onPartitionsRevoked: commit what was processed, then stop consuming those partitions. */
  private void revoke(NodeContext ctx, List<TopicPartition> revoked, String why) {
    Map<TopicPartition, Long> positions = this.partitions.revoke(ctx, revoked);
    ctx.point("kafka.consumer.revoke", config.groupId() + " " + memberId + " revokes " + revoked + " (" + why + ")",
        "group", config.groupId(), "member", memberId, "generation", generation, "partitions", revoked.toString());
    if (!positions.isEmpty()) commit(ctx, positions);
  }

  /** The member lost its identity (fenced, expired): its partitions are gone, no commit (onPartitionsLost). */
  private void resetMembership(NodeContext ctx, String why) {
    if (!partitions.owned().isEmpty()) ctx.note(config.groupId() + " " + memberId + " lost " + partitions.owned() + " (" + why + ")");
    partitions.loseAll();
    memberId = config.groupInstanceId() == null ? "" : memberId;
    if (why.equals("UNKNOWN_MEMBER_ID") || why.equals("FENCED_INSTANCE_ID")) memberId = "";
    generation = -1;
  }

  private void scheduleHeartbeat(NodeContext ctx) {
    ctx.setTimer(new HeartbeatTick(session), Durations.millis(config.heartbeatIntervalMs()));
  }

  private void heartbeat(NodeContext ctx) {
    if (phase != Phase.STABLE && phase != Phase.SYNCING) return;
    if (coordinator == null) {
      scheduleHeartbeat(ctx);
      return;
    }
    if (heartbeatSentMs >= 0 && ctx.localTimeMs() - heartbeatSentMs > 30_000) {
      heartbeatSentMs = -1;
      coordinatorLost(ctx, "no heartbeat answer for request.timeout.ms=30000");
      scheduleHeartbeat(ctx);
      return;
    }
    if (heartbeatSentMs < 0) heartbeatSentMs = ctx.localTimeMs();
    ctx.send(coordinator, new KafkaMessage.HeartbeatRequest(nextCorrelationId++, config.groupId(), generation, memberId, config.groupInstanceId()));
    scheduleHeartbeat(ctx);
  }

  private void onHeartbeat(NodeContext ctx, KafkaMessage.HeartbeatResponse r) {
    heartbeatSentMs = -1;
    if (phase != Phase.STABLE) return;
    switch (r.error()) {
      case NONE -> {}
      case REBALANCE_IN_PROGRESS -> join(ctx);
      case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> coordinatorLost(ctx, "heartbeat answered " + r.error());
      default -> {
        resetMembership(ctx, r.error().name());
        join(ctx);
      }
    }
  }

  // ---- positions, fetching, processing, committing ----

  private void onOffsetFetch(NodeContext ctx, KafkaMessage.OffsetFetchResponse r) {
    if (inFlight.remove(r.correlationId()) == null) return;
    partitions.onOffsetFetch(ctx, r);
  }

  private void commit(NodeContext ctx, Map<TopicPartition, Long> offsets) {
    if (coordinator == null || generation < 0) return;
    long id = nextCorrelationId++;
    ctx.send(coordinator, new KafkaMessage.OffsetCommitRequest(id, config.groupId(), generation, memberId, config.groupInstanceId(), offsets));
  }

  private void onCommit(NodeContext ctx, KafkaMessage.OffsetCommitResponse r) {
    partitions.onCommit(ctx, r);
    if (r.error() == Errors.NOT_COORDINATOR || r.error() == Errors.COORDINATOR_NOT_AVAILABLE) coordinatorLost(ctx, "OffsetCommit answered " + r.error());
    else if (r.error() == Errors.ILLEGAL_GENERATION || r.error() == Errors.UNKNOWN_MEMBER_ID || r.error() == Errors.REBALANCE_IN_PROGRESS) {
      if (phase == Phase.STABLE) join(ctx);
    }
  }

  // ---- views ----

  public String memberId() {
    return memberId;
  }

  public int generation() {
    return generation;
  }

  public List<TopicPartition> ownedPartitions() {
    return partitions.owned();
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder(config.groupId() + " " + phase + " member " + (memberId.isEmpty() ? "(none)" : memberId) + " generation "
        + generation + ", coordinator " + coordinator + ", " + config.assignor() + "\n");
    return b.append(partitions.describe()).toString();
  }
}
