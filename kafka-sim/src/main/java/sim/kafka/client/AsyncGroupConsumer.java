package sim.kafka.client;

import java.util.ArrayList;
import java.util.Base64;
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
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatRequest;
import sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;

/**
 * A consumer with {@code group.protocol=consumer} (KIP-848; kafka-clients' {@code AsyncKafkaConsumer} with its
 * {@code ConsumerMembershipManager} and heartbeat manager): no JoinGroup or SyncGroup, no group leader, no assignor on
 * the client. It picks its own member id (a random UUID), joins with member epoch 0 in a ConsumerGroupHeartbeat, and
 * from then on every heartbeat (each {@code group.consumer.heartbeat.interval.ms} the coordinator answers with) may bring
 * a new assignment. Reconciling one: revoke what is no longer assigned (commit its position first), take what is new,
 * and acknowledge at once with a heartbeat that lists what it owns now. Fencing (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID)
 * loses every partition without a commit and rejoins with epoch 0.
 */
public final class AsyncGroupConsumer implements Node {
  private sealed interface AsyncConsumerTimer extends Timer {}

  private record Poll() implements AsyncConsumerTimer {}

  private record HeartbeatTick(long session) implements AsyncConsumerTimer {}

  /** Kafka's {@code MemberState}, the client's side. */
  private enum MemberState { UNSUBSCRIBED, JOINING, RECONCILING, ACKNOWLEDGING, STABLE, FENCED }

  static final int REQUEST_TIMEOUT_MS = 30_000;
  static final int RETRY_BACKOFF_MAX_MS = 1000;

  private final GroupConsumerConfig config;
  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final GroupLedger ledger;
  private final PartitionPositions partitions;
  private MemberState state = MemberState.UNSUBSCRIBED;
  private NodeId coordinator;
  private long findInFlight = -1;
  private long findSentMs;
  private String memberId;
  private int memberEpoch;
  private int heartbeatIntervalMs;
  private long heartbeatInFlight = -1;
  private long heartbeatSentMs;
  /** The heartbeat tick in force; a new schedule makes the older ones stale. */
  private long session;
  /** The commit of revoked partitions the acknowledgement waits for (kafka-clients commits before onPartitionsRevoked). */
  private long revocationCommit = -1;
  private long revocationCommitSentMs;
  private long nextCorrelationId;
  private int bootstrapIndex;

  public AsyncGroupConsumer(GroupConsumerConfig config, String topic, int numPartitions, List<NodeId> bootstrap, GroupLedger ledger) {
    this.config = config;
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
    this.ledger = ledger;
    this.partitions = new PartitionPositions(config, ledger, () -> memberId, "memberEpoch", () -> memberEpoch, new PartitionPositions.Requests() {
      @Override
      public long listOffsets() {
        return 0;
      }

      @Override
      public long offsetFetch(NodeContext ctx) {
        return nextId();
      }

      @Override
      public long fetch() {
        return nextId();
      }

      @Override
      public void commit(NodeContext ctx, Map<TopicPartition, Long> offsets, long fetchCorrelationId) {
        commitAfterFetch(ctx, offsets, fetchCorrelationId);
      }
    }, false);
  }

  /** The auto-commit after processing a fetch, with the member epoch (none before the member has one). */
  private void commitAfterFetch(NodeContext ctx, Map<TopicPartition, Long> offsets, long fetchCorrelationId) {
    if (coordinator == null || memberEpoch <= 0) return;
    ctx.send(coordinator, new KafkaMessage.OffsetCommitRequest(fetchCorrelationId + 1_000_000_000L, config.groupId(), memberEpoch, memberId,
        config.groupInstanceId(), offsets));
  }

  @Override
  public void start(NodeContext ctx) {
    // KIP-1082: the client makes its member id, a random UUID (from this node's seeded stream), printed as Kafka's Uuid is.
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) b[i] = (byte) ctx.random("member-id").nextInt(256);
    memberId = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    heartbeatIntervalMs = config.heartbeatIntervalMs();
    ctx.setTimer(new Poll(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    partitions.reachable(from);
    if (m instanceof KafkaMessage.MetadataResponse r) partitions.onMetadata(topic, r.partitions());
    else if (m instanceof KafkaMessage.FindCoordinatorResponse r) onFindCoordinator(ctx, r);
    else if (m instanceof ConsumerGroupHeartbeatResponse r) onHeartbeat(ctx, r);
    else if (m instanceof KafkaMessage.OffsetFetchResponse r) partitions.onOffsetFetch(ctx, r);
    else if (m instanceof KafkaMessage.ListOffsetsResponse r) partitions.onListOffsets(r);
    else if (m instanceof KafkaMessage.OffsetCommitResponse r) onCommit(ctx, r);
    else if (m instanceof KafkaMessage.FetchResponse r) partitions.onFetch(ctx, r);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Poll) poll(ctx);
    else if (t instanceof HeartbeatTick h && h.session() == session) heartbeat(ctx);
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    partitions.disconnected(peer);
    if (peer.equals(coordinator)) coordinatorLost(ctx, "connection to coordinator " + peer + " reset");
  }

  // ---- the poll loop ----

  private void poll(NodeContext ctx) {
    long now = ctx.localTimeMs();
    if (partitions.leadersKnown() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new KafkaMessage.MetadataRequest(nextCorrelationId++));
    if (coordinator == null && (findInFlight < 0 || now - findSentMs > 3000)) findCoordinator(ctx);
    if (state == MemberState.UNSUBSCRIBED && coordinator != null) join(ctx);
    if (revocationCommit >= 0 && now - revocationCommitSentMs > REQUEST_TIMEOUT_MS) {
      revocationCommit = -1; // the commit got no answer: acknowledge anyway, as kafka-clients does when its deadline passes
      acknowledge(ctx);
    }
    if (heartbeatInFlight >= 0 && now - heartbeatSentMs > REQUEST_TIMEOUT_MS) {
      heartbeatInFlight = -1;
      coordinatorLost(ctx, "no heartbeat answer for request.timeout.ms=" + REQUEST_TIMEOUT_MS);
    }
    if (coordinator != null) partitions.fetchOwned(ctx, coordinator);
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  private long nextId() {
    return nextCorrelationId++;
  }

  private void coordinatorLost(NodeContext ctx, String why) {
    if (coordinator != null) ctx.note(config.groupId() + ": " + why + "; finding the coordinator again");
    coordinator = null;
    heartbeatInFlight = -1;
  }

  private void findCoordinator(NodeContext ctx) {
    findInFlight = nextCorrelationId++;
    findSentMs = ctx.localTimeMs();
    ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new KafkaMessage.FindCoordinatorRequest(findInFlight, config.groupId()));
  }

  private void onFindCoordinator(NodeContext ctx, KafkaMessage.FindCoordinatorResponse r) {
    if (r.correlationId() != findInFlight) return;
    findInFlight = -1;
    if (r.error() != Errors.NONE) return;
    if (!partitions.isReachable(r.coordinator())) {
      ctx.send(r.coordinator(), new KafkaMessage.MetadataRequest(nextCorrelationId++)); // refused until it answers again
      return;
    }
    coordinator = r.coordinator();
    if (state == MemberState.UNSUBSCRIBED) join(ctx);
    else scheduleHeartbeat(ctx, 0);
  }

  // ---- membership: heartbeats ----

  private void join(NodeContext ctx) {
    state = MemberState.JOINING;
    memberEpoch = 0;
    ctx.point("kafka.consumer.join", config.groupId() + " " + memberId + " joins with ConsumerGroupHeartbeat (member epoch 0, subscribes ["
        + topic + "])", "group", config.groupId(), "member", memberId, "memberEpoch", 0);
    scheduleHeartbeat(ctx, 0);
  }

  private void scheduleHeartbeat(NodeContext ctx, long delayMs) {
    session++;
    ctx.setTimer(new HeartbeatTick(session), Durations.millis(delayMs));
  }

  private void heartbeat(NodeContext ctx) {
    if (state == MemberState.UNSUBSCRIBED || revocationCommit >= 0) return;
    if (coordinator == null || heartbeatInFlight >= 0) {
      scheduleHeartbeat(ctx, heartbeatIntervalMs); // one in flight at a time; the answer schedules the next
      return;
    }
    heartbeatInFlight = nextCorrelationId++;
    heartbeatSentMs = ctx.localTimeMs();
    ctx.send(coordinator, new ConsumerGroupHeartbeatRequest(heartbeatInFlight, config.groupId(), memberId, memberEpoch, config.groupInstanceId(),
        config.maxPollIntervalMs(), List.of(topic), config.assignor(), partitions.owned()));
    scheduleHeartbeat(ctx, heartbeatIntervalMs);
  }

  private void onHeartbeat(NodeContext ctx, ConsumerGroupHeartbeatResponse r) {
    if (r.correlationId() != heartbeatInFlight) return;
    heartbeatInFlight = -1;
    switch (r.error()) {
      case NONE -> {}
      case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS -> {
        coordinatorLost(ctx, "heartbeat answered " + r.error());
        return;
      }
      case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, GROUP_ID_NOT_FOUND -> {
        fenced(ctx, r.error() + ": " + r.errorMessage());
        return;
      }
      default -> {
        scheduleHeartbeat(ctx, RETRY_BACKOFF_MAX_MS);
        return;
      }
    }
    heartbeatIntervalMs = r.heartbeatIntervalMs();
    boolean newEpoch = r.memberEpoch() != memberEpoch;
    memberEpoch = r.memberEpoch();
    if (state == MemberState.ACKNOWLEDGING || state == MemberState.JOINING) state = MemberState.STABLE;
    if (r.assignment() != null) reconcile(ctx, new TreeSet<>(r.assignment()), newEpoch);
  }

  /**
   * {@code ConsumerMembershipManager.maybeReconcile}: what the coordinator says this member may own now. Revoke first
   * (commit, stop fetching), then take the new partitions (their committed offsets), then acknowledge.
   */
  private void reconcile(NodeContext ctx, TreeSet<TopicPartition> assignment, boolean newEpoch) {
    TreeSet<TopicPartition> owned = new TreeSet<>(partitions.owned());
    TreeSet<TopicPartition> revoked = new TreeSet<>(owned);
    revoked.removeAll(assignment);
    TreeSet<TopicPartition> added = new TreeSet<>(assignment);
    added.removeAll(owned);
    if (revoked.isEmpty() && added.isEmpty()) {
      if (newEpoch) recordAssignment(ctx, assignment, added, revoked);
      return;
    }
    state = MemberState.RECONCILING;
    if (!revoked.isEmpty()) {
      Map<TopicPartition, Long> positions = partitions.revoke(ctx, revoked);
      ctx.point("kafka.consumer.revoke", config.groupId() + " " + memberId + " epoch " + memberEpoch + " revokes " + revoked
              + " (only what moves; it keeps consuming " + assignment + ")", "group", config.groupId(), "member", memberId,
          "memberEpoch", memberEpoch, "partitions", revoked.toString());
      if (!positions.isEmpty() && coordinator != null) {
        revocationCommit = nextCorrelationId++;
        revocationCommitSentMs = ctx.localTimeMs();
        ctx.send(coordinator, new KafkaMessage.OffsetCommitRequest(revocationCommit, config.groupId(), memberEpoch, memberId, config.groupInstanceId(), positions));
      }
    }
    if (!added.isEmpty()) partitions.assign(ctx, added, coordinator, nextCorrelationId++);
    recordAssignment(ctx, assignment, added, revoked);
    if (revocationCommit < 0) acknowledge(ctx);
  }

  private void recordAssignment(NodeContext ctx, TreeSet<TopicPartition> assignment, TreeSet<TopicPartition> added, TreeSet<TopicPartition> revoked) {
    ledger.assigned(new GroupLedger.Assignment(ctx.self().name(), memberId, memberId, memberEpoch, List.copyOf(assignment), ctx.localTimeNanos()));
    ctx.point("kafka.consumer.assigned", config.groupId() + " " + memberId + " epoch " + memberEpoch + " owns " + assignment
            + (added.isEmpty() ? "" : ", new " + added) + (revoked.isEmpty() ? "" : ", revoked " + revoked),
        "group", config.groupId(), "member", memberId, "memberEpoch", memberEpoch, "partitions", assignment.toString());
  }

  /** The reconciliation is done: tell the coordinator now, not at the next interval (ACKNOWLEDGING). */
  private void acknowledge(NodeContext ctx) {
    state = MemberState.ACKNOWLEDGING;
    if (heartbeatInFlight < 0) scheduleHeartbeat(ctx, 0);
  }

  /** {@code transitionToFenced}: every partition is lost (no commit: another member may own it already); rejoin at epoch 0. */
  private void fenced(NodeContext ctx, String why) {
    List<TopicPartition> lost = partitions.owned();
    partitions.loseAll();
    revocationCommit = -1;
    ctx.note(config.groupId() + " " + memberId + " fenced (" + why + "): loses " + lost + ", rejoins with member epoch 0");
    state = MemberState.FENCED;
    memberEpoch = 0;
    state = MemberState.JOINING;
    scheduleHeartbeat(ctx, RETRY_BACKOFF_MAX_MS);
  }

  private void onCommit(NodeContext ctx, KafkaMessage.OffsetCommitResponse r) {
    partitions.onCommit(ctx, r);
    if (r.correlationId() != revocationCommit) return;
    revocationCommit = -1;
    acknowledge(ctx);
  }

  // ---- views ----

  public String memberId() {
    return memberId;
  }

  public int memberEpoch() {
    return memberEpoch;
  }

  public List<TopicPartition> ownedPartitions() {
    return partitions.owned();
  }

  @Override
  public String describeState() {
    return config.groupId() + " " + state + " member " + memberId + " epoch " + memberEpoch + ", coordinator " + coordinator
        + " (group.protocol=consumer)\n" + partitions.describe();
  }

  static TreeMap<TopicPartition, Long> none() {
    return new TreeMap<>();
  }
}
