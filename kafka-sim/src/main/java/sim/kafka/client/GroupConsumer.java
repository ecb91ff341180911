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
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.PartitionAssignor;
import sim.kafka.group.Subscription;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * A consumer in a group (kafka-clients' {@code ConsumerCoordinator} with its fetcher): find the coordinator,
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

  /** What the member knows of one partition it owns. */
  private static final class Owned {
    long position = -1;
    boolean resolving;
    long fetchInFlight = -1;
    long fetchSinceMs;
    final List<LogRecord> awaitingCommit = new ArrayList<>();
  }

  private final GroupConsumerConfig config;
  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final GroupLedger ledger;
  private final PartitionAssignor assignor;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<TopicPartition, Owned> owned = new TreeMap<>();
  private final Map<Long, String> inFlight = new HashMap<>();
  private Phase phase = Phase.UNJOINED;
  private NodeId coordinator;
  private boolean finding;
  /** Brokers whose connection was reset: connection refused until they answer again. */
  private final TreeSet<NodeId> unreachable = new TreeSet<>();
  private long heartbeatSentMs = -1;
  /** At most once: records whose commit was sent before their partition was revoked; processed when it is acknowledged. */
  private final Map<TopicPartition, List<LogRecord>> revokedAwaitingCommit = new TreeMap<>();
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
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Poll(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    unreachable.remove(from);
    if (m instanceof KafkaMessage.MetadataResponse r) onMetadata(r.partitions());
    else if (m instanceof KafkaMessage.FindCoordinatorResponse r) onFindCoordinator(ctx, r);
    else if (m instanceof KafkaMessage.JoinGroupResponse r) onJoin(ctx, r);
    else if (m instanceof KafkaMessage.SyncGroupResponse r) onSync(ctx, r);
    else if (m instanceof KafkaMessage.HeartbeatResponse r) onHeartbeat(ctx, r);
    else if (m instanceof KafkaMessage.OffsetFetchResponse r) onOffsetFetch(ctx, r);
    else if (m instanceof KafkaMessage.ListOffsetsResponse r) onListOffsets(r);
    else if (m instanceof KafkaMessage.OffsetCommitResponse r) onCommit(ctx, r);
    else if (m instanceof FetchResponse r) onFetch(ctx, r);
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
    unreachable.add(peer);
    if (peer.equals(coordinator)) coordinatorLost(ctx, "connection to coordinator " + peer + " reset");
    for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
      if (e.getValue().fetchInFlight >= 0 && peer.equals(leaders.get(e.getKey().partition()))) {
        e.getValue().fetchInFlight = -1;
        leaders.remove(e.getKey().partition());
      }
    }
  }

  // ---- the poll loop ----

  private void poll(NodeContext ctx) {
    if (leaders.size() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new KafkaMessage.MetadataRequest(nextCorrelationId++));
    if (coordinator == null && !finding) findCoordinator(ctx);
    else if (coordinator != null && phase == Phase.UNJOINED) join(ctx);
    if (phase == Phase.STABLE) fetchOwned(ctx);
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  private void onMetadata(List<PartitionState> partitions) {
    for (PartitionState s : partitions) {
      if (!s.tp().topic().equals(topic)) continue;
      if (s.leader() == null) leaders.remove(s.tp().partition()); else leaders.put(s.tp().partition(), s.leader());
    }
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
    if (unreachable.contains(r.coordinator())) {
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
    if (!config.cooperative() && !owned.isEmpty()) revoke(ctx, new ArrayList<>(owned.keySet()), "eager rebalance: revoke everything before rejoining");
    phase = Phase.JOINING;
    session++;
    List<TopicPartition> mine = config.cooperative() ? new ArrayList<>(owned.keySet()) : List.of();
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
    for (TopicPartition tp : owned.keySet()) if (!assigned.contains(tp)) revoked.add(tp);
    if (!revoked.isEmpty()) revoke(ctx, revoked, "cooperative rebalance: give up what moves, then rejoin");
    TreeSet<TopicPartition> added = new TreeSet<>();
    for (TopicPartition tp : assigned) if (!owned.containsKey(tp)) added.add(tp);
    for (TopicPartition tp : added) owned.put(tp, new Owned());
    phase = Phase.STABLE;
    ctx.point("kafka.consumer.assigned", config.groupId() + " " + memberId + " generation " + generation + " owns " + owned.keySet()
            + (added.isEmpty() ? "" : ", new " + added) + (revoked.isEmpty() ? "" : ", revoked " + revoked),
        "group", config.groupId(), "member", memberId, "generation", generation, "partitions", owned.keySet().toString());
    if (!added.isEmpty()) {
      long id = request(ctx, "offsets", 30_000);
      ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(id, config.groupId(), List.copyOf(added)));
      for (TopicPartition tp : added) owned.get(tp).resolving = true;
    }
    if (!revoked.isEmpty() && config.cooperative()) join(ctx); // the second rebalance hands the revoked partitions over
  }

  /** onPartitionsRevoked: commit what was processed, then stop consuming those partitions. */
  private void revoke(NodeContext ctx, List<TopicPartition> partitions, String why) {
    Map<TopicPartition, Long> positions = new TreeMap<>();
    for (TopicPartition tp : partitions) {
      Owned o = owned.remove(tp);
      if (o != null && o.position >= 0 && config.commitMode() == GroupConsumerConfig.CommitMode.AFTER_PROCESSING) positions.put(tp, o.position);
      if (o != null && !o.awaitingCommit.isEmpty()) revokedAwaitingCommit.put(tp, List.copyOf(o.awaitingCommit));
    }
    ctx.point("kafka.consumer.revoke", config.groupId() + " " + memberId + " revokes " + partitions + " (" + why + ")",
        "group", config.groupId(), "member", memberId, "generation", generation, "partitions", partitions.toString());
    if (!positions.isEmpty()) commit(ctx, positions);
  }

  /** The member lost its identity (fenced, expired): its partitions are gone, no commit (onPartitionsLost). */
  private void resetMembership(NodeContext ctx, String why) {
    if (!owned.isEmpty()) ctx.note(config.groupId() + " " + memberId + " lost " + owned.keySet() + " (" + why + ")");
    owned.clear();
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
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      Owned o = owned.get(e.getKey());
      if (o == null) continue;
      if (e.getValue() >= 0) {
        o.position = e.getValue();
        o.resolving = false;
        ctx.note(config.groupId() + " " + e.getKey() + " resumes at committed offset " + e.getValue());
      } else {
        NodeId leader = leaders.get(e.getKey().partition());
        if (leader == null) continue;
        ctx.send(leader, new KafkaMessage.ListOffsetsRequest(nextCorrelationId++, e.getKey(), config.autoOffsetReset().equals("earliest") ? -2 : -1));
      }
    }
  }

  private void onListOffsets(KafkaMessage.ListOffsetsResponse r) {
    Owned o = owned.get(r.tp());
    if (r.error() != Errors.NONE) leaders.remove(r.tp().partition()); // stale metadata: ask again, the next OffsetFetch retries
    if (o == null || r.error() != Errors.NONE || !o.resolving) return;
    o.position = r.offset();
    o.resolving = false;
  }

  private void fetchOwned(NodeContext ctx) {
    long now = ctx.localTimeMs();
    for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
      Owned o = e.getValue();
      if (o.resolving && o.position < 0) {
        NodeId leader = leaders.get(e.getKey().partition());
        if (leader != null && coordinator != null && now - o.fetchSinceMs > 2000) {
          o.fetchSinceMs = now;
          long id = request(ctx, "offsets", 30_000);
          ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(id, config.groupId(), List.of(e.getKey())));
        }
        continue;
      }
      if (o.position < 0 || !o.awaitingCommit.isEmpty() || (o.fetchInFlight >= 0 && now - o.fetchSinceMs < 2000)) continue;
      NodeId leader = leaders.get(e.getKey().partition());
      if (leader == null) continue;
      o.fetchInFlight = nextCorrelationId++;
      o.fetchSinceMs = now;
      ctx.send(leader, new FetchRequest(o.fetchInFlight, null, e.getKey(), o.position, -1, 1 << 20));
    }
  }

  private void onFetch(NodeContext ctx, FetchResponse r) {
    Owned o = owned.get(r.tp());
    if (o == null || r.correlationId() != o.fetchInFlight) return;
    o.fetchInFlight = -1;
    if (r.error() != Errors.NONE) {
      leaders.remove(r.tp().partition());
      return;
    }
    List<LogRecord> records;
    try {
      records = RecordBatches.recordsFrom(r.records().bytes(), o.position);
    } catch (CorruptRecordException e) {
      return;
    }
    if (records.isEmpty()) return;
    long next = records.get(records.size() - 1).offset() + 1;
    if (config.commitMode() == GroupConsumerConfig.CommitMode.AFTER_PROCESSING) {
      process(ctx, r.tp(), records);
      o.position = next;
      commit(ctx, Map.of(r.tp(), next));
    } else {
      // At most once: the offset is committed first; the records are processed only once that commit is acknowledged.
      o.awaitingCommit.addAll(records);
      o.position = next;
      commit(ctx, Map.of(r.tp(), next));
    }
  }

  private void process(NodeContext ctx, TopicPartition tp, List<LogRecord> records) {
    for (LogRecord rec : records) {
      ledger.processed(new GroupLedger.Processed(ctx.self().name(), memberId, generation, tp, rec.offset(), rec.valueText(), ctx.localTimeNanos()));
    }
    ctx.point("kafka.consumer.process", config.groupId() + " " + memberId + " processes " + tp + " offsets " + records.get(0).offset() + ".."
            + records.get(records.size() - 1).offset(), "group", config.groupId(), "member", memberId, "generation", generation,
        "partition", tp.toString(), "fromOffset", records.get(0).offset(), "lastOffset", records.get(records.size() - 1).offset());
  }

  private void commit(NodeContext ctx, Map<TopicPartition, Long> offsets) {
    if (coordinator == null || generation < 0) return;
    long id = nextCorrelationId++;
    ctx.send(coordinator, new KafkaMessage.OffsetCommitRequest(id, config.groupId(), generation, memberId, config.groupInstanceId(), offsets));
  }

  private void onCommit(NodeContext ctx, KafkaMessage.OffsetCommitResponse r) {
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      Owned o = owned.get(e.getKey());
      List<LogRecord> revoked = revokedAwaitingCommit.remove(e.getKey());
      if (revoked != null && r.error() == Errors.NONE) process(ctx, e.getKey(), revoked);
      if (r.error() == Errors.NONE) {
        ledger.committed(new GroupLedger.Commit(ctx.self().name(), memberId, generation, e.getKey(), e.getValue(), ctx.localTimeNanos()));
        if (o != null && !o.awaitingCommit.isEmpty()) {
          process(ctx, e.getKey(), List.copyOf(o.awaitingCommit));
          o.awaitingCommit.clear();
        }
      } else if (o != null && !o.awaitingCommit.isEmpty()) {
        // The commit failed: those records are not ours to process; fetch them again from the last position we know.
        o.position = o.awaitingCommit.get(0).offset();
        o.awaitingCommit.clear();
      }
    }
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
    return List.copyOf(owned.keySet());
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder(config.groupId() + " " + phase + " member " + (memberId.isEmpty() ? "(none)" : memberId) + " generation "
        + generation + ", coordinator " + coordinator + ", " + config.assignor() + "\n");
    owned.forEach((tp, o) -> b.append("  ").append(tp).append(" at ").append(o.position < 0 ? "?" : o.position).append('\n'));
    return b.toString();
  }
}
