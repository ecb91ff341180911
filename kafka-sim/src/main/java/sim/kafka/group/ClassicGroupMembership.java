package sim.kafka.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.HeartbeatRequest;
import sim.kafka.broker.KafkaMessage.HeartbeatResponse;
import sim.kafka.broker.KafkaMessage.JoinGroupRequest;
import sim.kafka.broker.KafkaMessage.JoinGroupResponse;
import sim.kafka.broker.KafkaMessage.JoinedMember;
import sim.kafka.broker.KafkaMessage.LeaveGroupRequest;
import sim.kafka.broker.KafkaMessage.LeaveGroupResponse;
import sim.kafka.broker.KafkaMessage.SyncGroupRequest;
import sim.kafka.broker.KafkaMessage.SyncGroupResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.GroupCoordinator.JoinDeadline;
import sim.kafka.group.GroupCoordinator.SessionExpiry;
import sim.kafka.record.LogRecord;

/**
 * The classic protocol's side of the group coordinator (Kafka's {@code GroupMetadataManager.classicGroupJoin},
 * {@code classicGroupSync}, {@code classicGroupHeartbeat}, {@code classicGroupLeave}): the join barrier, the new
 * generation, the leader's assignment handed out by SyncGroup once the group's metadata record is committed, heartbeats
 * and session expiry. The consumer protocol's side is {@link ConsumerGroupHeartbeats}.
 */
final class ClassicGroupMembership {
  private final GroupCoordinator coordinator;
  private final GroupCoordinator.Config config;
  private final GroupCoordinator.OffsetsLog log;
  private final TreeMap<String, ClassicGroup> groups;
  private long nextMemberNumber;

  ClassicGroupMembership(GroupCoordinator coordinator, GroupCoordinator.Config config, GroupCoordinator.OffsetsLog log, TreeMap<String, ClassicGroup> groups) {
    this.coordinator = coordinator;
    this.config = config;
    this.log = log;
    this.groups = groups;
  }

  private boolean owns(String groupId) {
    return coordinator.owns(groupId);
  }

  private TopicPartition partitionOf(String groupId) {
    return coordinator.partitionOf(groupId);
  }

  void onJoin(NodeContext ctx, NodeId from, JoinGroupRequest r) {
    if (!owns(r.groupId())) {
      ctx.send(from, joinError(r.correlationId(), Errors.NOT_COORDINATOR, r.memberId()));
      return;
    }
    ClassicGroup g = groups.computeIfAbsent(r.groupId(), ClassicGroup::new);
    if (!g.supportsAny(r.protocols())) {
      ctx.send(from, joinError(r.correlationId(), Errors.INCONSISTENT_GROUP_PROTOCOL, r.memberId()));
      return;
    }
    if (r.memberId().isEmpty()) joinUnknown(ctx, from, g, r);
    else joinKnown(ctx, from, g, r);
  }

  private void joinUnknown(NodeContext ctx, NodeId from, ClassicGroup g, JoinGroupRequest r) {
    String memberId = from.name() + "-" + String.format("%08x", ctx.random("member-id").nextLong() & 0xffffffffL) + "-" + nextMemberNumber++;
    if (r.groupInstanceId() != null && g.staticMembers.containsKey(r.groupInstanceId())) {
      replaceStaticMember(ctx, from, g, r, memberId);
      return;
    }
    if (r.groupInstanceId() == null) {
      // KIP-394: a new dynamic member gets its id first and must come back with it.
      g.pendingMembers.add(memberId);
      ctx.send(from, joinError(r.correlationId(), Errors.MEMBER_ID_REQUIRED, memberId));
      return;
    }
    addMemberAndRebalance(ctx, from, g, r, memberId);
  }

  /**
   * A static member came back under a new member id (its process restarted within the session): the old id
   * is fenced, the new one takes its place and assignment, and a stable group does not rebalance.
   */
  private void replaceStaticMember(NodeContext ctx, NodeId from, ClassicGroup g, JoinGroupRequest r, String memberId) {
    String oldId = g.staticMembers.get(r.groupInstanceId());
    ClassicGroup.Member old = g.members.remove(oldId);
    ClassicGroup.Member m = new ClassicGroup.Member(memberId, r.groupInstanceId(), from, r.sessionTimeoutMs(), r.rebalanceTimeoutMs(), r.protocols());
    m.assignment = old == null ? List.of() : old.assignment;
    g.members.put(memberId, m);
    g.staticMembers.put(r.groupInstanceId(), memberId);
    if (oldId.equals(g.leaderId)) g.leaderId = memberId;
    ctx.point("kafka.group.join", g.groupId + " static member " + r.groupInstanceId() + " rejoined as " + memberId + " (was " + oldId
        + "): keeps " + m.assignment + (g.is(ClassicGroup.State.STABLE) ? ", no rebalance" : ""), "group", g.groupId, "member", memberId,
        "instance", r.groupInstanceId(), "generation", g.generationId);
    armSession(ctx, g, m);
    if (g.is(ClassicGroup.State.STABLE) || g.is(ClassicGroup.State.COMPLETING_REBALANCE)) {
      ctx.send(from, new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, memberId,
          memberId.equals(g.leaderId) ? joinedMembers(g) : List.of()));
      return;
    }
    m.awaitingJoin = r.correlationId();
    maybeCompleteJoin(ctx, g);
  }

  private void joinKnown(NodeContext ctx, NodeId from, ClassicGroup g, JoinGroupRequest r) {
    if (g.pendingMembers.remove(r.memberId())) {
      addMemberAndRebalance(ctx, from, g, r, r.memberId());
      return;
    }
    ClassicGroup.Member m = g.members.get(r.memberId());
    if (m == null) {
      ctx.send(from, joinError(r.correlationId(), Errors.UNKNOWN_MEMBER_ID, r.memberId()));
      return;
    }
    m.client = from;
    boolean changed = !m.protocols.equals(r.protocols());
    m.protocols = List.copyOf(r.protocols());
    m.awaitingJoin = r.correlationId();
    armSession(ctx, g, m);
    switch (g.state) {
      case PREPARING_REBALANCE -> maybeCompleteJoin(ctx, g);
      case COMPLETING_REBALANCE, STABLE -> {
        // A member that rejoins with what it had (a retried JoinGroup) gets this generation again; a new
        // subscription (for the cooperative protocol: different owned partitions) or a rejoining leader rebalances.
        if (changed || (g.is(ClassicGroup.State.STABLE) && r.memberId().equals(g.leaderId))) {
          prepareRebalance(ctx, g, r.memberId() + " rejoined" + (changed ? " with a new subscription" : ""));
        } else {
          m.awaitingJoin = -1;
          ctx.send(from, new JoinGroupResponse(r.correlationId(), Errors.NONE, g.generationId, g.protocolName, g.leaderId, m.memberId,
              m.memberId.equals(g.leaderId) ? joinedMembers(g) : List.of()));
        }
      }
      default -> prepareRebalance(ctx, g, r.memberId() + " joined");
    }
  }

  private void addMemberAndRebalance(NodeContext ctx, NodeId from, ClassicGroup g, JoinGroupRequest r, String memberId) {
    ClassicGroup.Member m = new ClassicGroup.Member(memberId, r.groupInstanceId(), from, r.sessionTimeoutMs(), r.rebalanceTimeoutMs(), r.protocols());
    m.awaitingJoin = r.correlationId();
    g.members.put(memberId, m);
    if (r.groupInstanceId() != null) g.staticMembers.put(r.groupInstanceId(), memberId);
    if (g.leaderId == null) g.leaderId = memberId;
    ctx.point("kafka.group.join", g.groupId + " " + memberId + " joins (" + r.protocols().stream().map(p -> p.name()).toList() + ", subscribes "
        + r.protocols().get(0).subscription().topics() + ")", "group", g.groupId, "member", memberId, "generation", g.generationId);
    armSession(ctx, g, m);
    if (g.is(ClassicGroup.State.PREPARING_REBALANCE)) maybeCompleteJoin(ctx, g);
    else prepareRebalance(ctx, g, memberId + " joined");
  }

  /** Every member must rejoin; the join completes when all did, or at the rebalance timeout without the rest. */
  private void prepareRebalance(NodeContext ctx, ClassicGroup g, String why) {
    boolean wasEmpty = g.is(ClassicGroup.State.EMPTY);
    for (ClassicGroup.Member m : g.members.values()) {
      if (m.awaitingSync >= 0) {
        ctx.send(m.client, new SyncGroupResponse(m.awaitingSync, Errors.REBALANCE_IN_PROGRESS, List.of()));
        m.awaitingSync = -1;
      }
    }
    g.state = ClassicGroup.State.PREPARING_REBALANCE;
    g.rebalanceId++;
    ctx.point("kafka.group.rebalance", g.groupId + " prepares a rebalance after generation " + g.generationId + ": " + why,
        "group", g.groupId, "generation", g.generationId, "members", g.members.size());
    long delay = wasEmpty ? Math.min(config.groupInitialRebalanceDelayMs(), g.rebalanceTimeoutMs()) : g.rebalanceTimeoutMs();
    g.initialDelayPending = wasEmpty;
    ctx.setTimer(new JoinDeadline(g.groupId, g.rebalanceId), Durations.millis(delay));
  }

  private void maybeCompleteJoin(NodeContext ctx, ClassicGroup g) {
    if (g.is(ClassicGroup.State.PREPARING_REBALANCE) && !g.initialDelayPending && g.allMembersRejoined() && g.pendingMembers.isEmpty()) {
      completeJoin(ctx, g);
    }
  }

  void onJoinDeadline(NodeContext ctx, JoinDeadline t) {
    ClassicGroup g = groups.get(t.groupId());
    if (g == null || g.rebalanceId != t.rebalanceId() || !g.is(ClassicGroup.State.PREPARING_REBALANCE)) return;
    g.initialDelayPending = false;
    completeJoin(ctx, g);
  }

  /** The new generation: members that did not rejoin are out; the leader gets everyone's subscription. */
  private void completeJoin(NodeContext ctx, ClassicGroup g) {
    List<String> missing = new ArrayList<>();
    for (ClassicGroup.Member m : List.copyOf(g.members.values())) {
      if (m.awaitingJoin < 0) {
        missing.add(m.memberId);
        g.remove(m.memberId);
      }
    }
    g.pendingMembers.clear();
    g.generationId++;
    if (g.members.isEmpty()) {
      g.state = ClassicGroup.State.EMPTY;
      g.protocolName = null;
      g.leaderId = null;
      ctx.point("kafka.group.generation", g.groupId + " generation " + g.generationId + " is empty" + (missing.isEmpty() ? "" : ": " + missing + " did not rejoin"),
          "group", g.groupId, "generation", g.generationId, "members", 0);
      writeGroup(ctx, g, e -> {});
      return;
    }
    g.protocolName = g.selectProtocol();
    if (g.leaderId == null || !g.members.containsKey(g.leaderId)) g.leaderId = g.members.keySet().iterator().next();
    g.state = ClassicGroup.State.COMPLETING_REBALANCE;
    ctx.point("kafka.group.generation", g.groupId + " generation " + g.generationId + ": " + g.members.size() + " members, leader " + g.leaderId
        + ", protocol " + g.protocolName + (missing.isEmpty() ? "" : "; " + missing + " did not rejoin in time and are out"),
        "group", g.groupId, "generation", g.generationId, "members", g.members.size(), "leader", g.leaderId, "protocol", g.protocolName);
    List<JoinedMember> all = joinedMembers(g);
    for (ClassicGroup.Member m : g.members.values()) {
      ctx.send(m.client, new JoinGroupResponse(m.awaitingJoin, Errors.NONE, g.generationId, g.protocolName, g.leaderId, m.memberId,
          m.memberId.equals(g.leaderId) ? all : List.of()));
      m.awaitingJoin = -1;
      armSession(ctx, g, m);
    }
  }

  private List<JoinedMember> joinedMembers(ClassicGroup g) {
    List<JoinedMember> out = new ArrayList<>();
    for (ClassicGroup.Member m : g.members.values()) out.add(new JoinedMember(m.memberId, m.instanceId, m.subscription(g.protocolName)));
    return out;
  }

  static JoinGroupResponse joinError(long correlationId, Errors error, String memberId) {
    return new JoinGroupResponse(correlationId, error, -1, null, null, memberId, List.of());
  }

  static Errors memberError(ClassicGroup g, String memberId, int generation, String instanceId) {
    if (g == null) return Errors.UNKNOWN_MEMBER_ID;
    ClassicGroup.Member m = g.members.get(memberId);
    if (m == null) {
      return instanceId != null && g.staticMembers.containsKey(instanceId) ? Errors.FENCED_INSTANCE_ID : Errors.UNKNOWN_MEMBER_ID;
    }
    return generation != g.generationId ? Errors.ILLEGAL_GENERATION : Errors.NONE;
  }

  void onSync(NodeContext ctx, NodeId from, SyncGroupRequest r) {
    if (!owns(r.groupId())) {
      ctx.send(from, new SyncGroupResponse(r.correlationId(), Errors.NOT_COORDINATOR, List.of()));
      return;
    }
    ClassicGroup g = groups.get(r.groupId());
    Errors error = memberError(g, r.memberId(), r.generationId(), r.groupInstanceId());
    if (error == Errors.NONE && g.is(ClassicGroup.State.PREPARING_REBALANCE)) error = Errors.REBALANCE_IN_PROGRESS;
    if (error != Errors.NONE) {
      ctx.send(from, new SyncGroupResponse(r.correlationId(), error, List.of()));
      return;
    }
    ClassicGroup.Member m = g.members.get(r.memberId());
    m.client = from;
    if (g.is(ClassicGroup.State.STABLE)) {
      ctx.send(from, new SyncGroupResponse(r.correlationId(), Errors.NONE, m.assignment));
      return;
    }
    m.awaitingSync = r.correlationId();
    if (!r.memberId().equals(g.leaderId)) return;
    Map<String, List<TopicPartition>> assignment = new TreeMap<>(r.assignments());
    for (ClassicGroup.Member member : g.members.values()) member.assignment = List.copyOf(assignment.getOrDefault(member.memberId, List.of()));
    int generation = g.generationId;
    writeGroup(ctx, g, written -> {
      if (g.generationId != generation || !g.is(ClassicGroup.State.COMPLETING_REBALANCE)) return;
      if (written != Errors.NONE) {
        for (ClassicGroup.Member member : g.members.values()) member.assignment = List.of();
        prepareRebalance(ctx, g, "its group metadata could not be written (" + written + ")");
        return;
      }
      g.state = ClassicGroup.State.STABLE;
      ctx.point("kafka.group.sync", g.groupId + " generation " + generation + " is stable: " + assignmentText(g),
          "group", g.groupId, "generation", generation, "assignment", assignmentText(g));
      for (ClassicGroup.Member member : g.members.values()) {
        if (member.awaitingSync < 0) continue;
        ctx.send(member.client, new SyncGroupResponse(member.awaitingSync, Errors.NONE, member.assignment));
        member.awaitingSync = -1;
      }
    });
  }

  private static String assignmentText(ClassicGroup g) {
    StringBuilder b = new StringBuilder();
    for (ClassicGroup.Member m : g.members.values()) b.append(b.length() == 0 ? "" : ", ").append(m.memberId).append(" ").append(m.assignment);
    return b.toString();
  }

  void onHeartbeat(NodeContext ctx, NodeId from, HeartbeatRequest r) {
    if (!owns(r.groupId())) {
      ctx.send(from, new HeartbeatResponse(r.correlationId(), Errors.NOT_COORDINATOR));
      return;
    }
    ClassicGroup g = groups.get(r.groupId());
    Errors error = memberError(g, r.memberId(), r.generationId(), r.groupInstanceId());
    if (error == Errors.NONE) {
      armSession(ctx, g, g.members.get(r.memberId()));
      if (g.is(ClassicGroup.State.PREPARING_REBALANCE)) error = Errors.REBALANCE_IN_PROGRESS;
    }
    ctx.send(from, new HeartbeatResponse(r.correlationId(), error));
  }

  void onLeave(NodeContext ctx, NodeId from, LeaveGroupRequest r) {
    ClassicGroup g = owns(r.groupId()) ? groups.get(r.groupId()) : null;
    if (g == null || !g.members.containsKey(r.memberId())) {
      ctx.send(from, new LeaveGroupResponse(r.correlationId(), g == null ? Errors.NOT_COORDINATOR : Errors.UNKNOWN_MEMBER_ID));
      return;
    }
    g.remove(r.memberId());
    ctx.send(from, new LeaveGroupResponse(r.correlationId(), Errors.NONE));
    prepareRebalance(ctx, g, r.memberId() + " left the group");
  }

  /** No heartbeat for session.timeout.ms: the member is gone and the group rebalances without it. */
  void onSessionExpiry(NodeContext ctx, SessionExpiry t) {
    ClassicGroup g = groups.get(t.groupId());
    ClassicGroup.Member m = g == null ? null : g.members.get(t.memberId());
    if (m == null || m.sessionDeadlineId != t.deadlineId() || !owns(g.groupId)) return;
    g.remove(m.memberId);
    ctx.point("kafka.group.member.expired", g.groupId + " " + m.memberId + " sent no heartbeat for session.timeout.ms=" + m.sessionTimeoutMs
        + ": out of the group", "group", g.groupId, "member", m.memberId, "generation", g.generationId);
    if (g.is(ClassicGroup.State.PREPARING_REBALANCE)) maybeCompleteJoin(ctx, g);
    else prepareRebalance(ctx, g, m.memberId + " expired");
  }

  private void armSession(NodeContext ctx, ClassicGroup g, ClassicGroup.Member m) {
    m.sessionDeadlineId++;
    ctx.setTimer(new SessionExpiry(g.groupId, m.memberId, m.sessionDeadlineId), Durations.millis(m.sessionTimeoutMs));
  }

  void restore(NodeContext ctx, ClassicGroup g, GroupRecords.GroupValue v) {
    g.generationId = v.generation();
    g.protocolName = v.protocol();
    g.leaderId = v.leader();
    for (GroupRecords.MemberMetadata m : v.members()) {
      ClassicGroup.Member member = new ClassicGroup.Member(m.memberId(), m.groupInstanceId(), NodeId.of(m.clientId()), m.sessionTimeoutMs(),
          m.rebalanceTimeoutMs(), List.of(new sim.kafka.broker.KafkaMessage.JoinProtocol(v.protocol(), m.subscription())));
      member.assignment = m.assignment();
      g.members.put(m.memberId(), member);
      if (m.groupInstanceId() != null) g.staticMembers.put(m.groupInstanceId(), m.memberId());
      armSession(ctx, g, member); // a loaded member gets a full session to find the new coordinator
    }
    g.state = g.members.isEmpty() ? ClassicGroup.State.EMPTY : ClassicGroup.State.STABLE;
  }

  /** The group's metadata record: generation, protocol, leader, members with subscriptions and assignments. */
  private void writeGroup(NodeContext ctx, ClassicGroup g, Consumer<Errors> done) {
    List<GroupRecords.MemberMetadata> members = new ArrayList<>();
    for (ClassicGroup.Member m : g.members.values()) {
      members.add(new GroupRecords.MemberMetadata(m.memberId, m.instanceId, m.client.name(), "/" + m.client.name(), m.rebalanceTimeoutMs,
          m.sessionTimeoutMs, m.subscription(g.protocolName), m.assignment));
    }
    GroupRecords.GroupValue v = new GroupRecords.GroupValue("consumer", g.generationId, g.protocolName, g.leaderId, ctx.localTimeMs(), members);
    LogRecord record = new LogRecord(0, ctx.localTimeMs(), GroupRecords.groupKey(g.groupId), GroupRecords.groupValue(v), List.of());
    if (!log.append(ctx, partitionOf(g.groupId), List.of(record), done)) done.accept(Errors.NOT_COORDINATOR);
  }
}
