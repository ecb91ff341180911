package sim.kafka.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatRequest;
import sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.assignor.ConsumerGroupPartitionAssignor;
import sim.kafka.record.LogRecord;

/**
 * The consumer protocol's side of the group coordinator (KIP-848; Kafka's {@code GroupMetadataManager.consumerGroupHeartbeat}
 * and the session and rebalance timeouts): every heartbeat may (1) update the member and bump the group epoch when
 * membership or a subscription changed, (2) compute a new target assignment with the server-side assignor when the group
 * epoch passed the target assignment epoch, and (3) move this member one step towards its target
 * ({@link CurrentAssignmentBuilder}). The resulting records go to the group's {@code __consumer_offsets} partition and
 * the answer leaves once they are committed; a group has one write in flight, later heartbeats wait for it.
 */
final class ConsumerGroupHeartbeats {
  static final int LEAVE_GROUP_MEMBER_EPOCH = -1;
  static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

  /** The consumer protocol's timers; a stale one (its member heartbeated since, or moved on) does nothing. */
  record MemberSessionTimeout(String groupId, String memberId, long deadlineId) implements GroupCoordinator.GroupTimer {}

  record RebalanceTimeout(String groupId, String memberId, int memberEpoch) implements GroupCoordinator.GroupTimer {}

  /** The group's write finished: run the heartbeats that waited for it, as the next event (not inside the write's completion). */
  record DrainWaiting(String groupId) implements GroupCoordinator.GroupTimer {}

  /** One heartbeat's outcome before it is written: the group's and the member's new state, and the records saying so. */
  private record Change(int groupEpoch, int targetEpoch, TreeMap<String, SortedSet<TopicPartition>> target, ConsumerGroupMember member,
      List<LogRecord> records) {}

  private final GroupCoordinator coordinator;
  private final GroupCoordinator.OffsetsLog log;
  private final ConsumerGroupConfig config;
  final TreeMap<String, ConsumerGroup> groups = new TreeMap<>();
  private final TreeMap<String, Long> sessionDeadlines = new TreeMap<>();
  private long nextDeadlineId;

  ConsumerGroupHeartbeats(GroupCoordinator coordinator, GroupCoordinator.OffsetsLog log, ConsumerGroupConfig config) {
    this.coordinator = coordinator;
    this.log = log;
    this.config = config;
  }

  void onHeartbeat(NodeContext ctx, NodeId from, ConsumerGroupHeartbeatRequest r) {
    if (!coordinator.owns(r.groupId())) {
      ctx.send(from, error(r, Errors.NOT_COORDINATOR, "this broker does not lead the group's __consumer_offsets partition"));
      return;
    }
    ConsumerGroup g = groups.get(r.groupId());
    if (g != null && g.writing) {
      g.waiting.add(() -> onHeartbeat(ctx, from, r)); // in order, after the write in flight
      return;
    }
    if (r.memberEpoch() == LEAVE_GROUP_MEMBER_EPOCH || r.memberEpoch() == LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
      leave(ctx, from, g, r);
      return;
    }
    boolean createIfNotExists = r.memberEpoch() == 0;
    if (g == null && !createIfNotExists) {
      ctx.send(from, error(r, Errors.GROUP_ID_NOT_FOUND, "group " + r.groupId() + " not found"));
      return;
    }
    if (g == null) {
      g = new ConsumerGroup(r.groupId());
      groups.put(r.groupId(), g);
    }
    ConsumerGroupMember member = g.members.get(r.memberId());
    if (member == null && !createIfNotExists) {
      ctx.send(from, error(r, Errors.UNKNOWN_MEMBER_ID, "member " + r.memberId() + " is not a member of group " + r.groupId()));
      return;
    }
    if (member == null) member = ConsumerGroupMember.joining(r.memberId());
    String fenced = epochError(member, r);
    if (fenced != null) {
      ctx.send(from, error(r, Errors.FENCED_MEMBER_EPOCH, fenced));
      return;
    }
    String assignor = r.serverAssignor();
    if (assignor != null && !config.assignors().contains(assignor)) {
      ctx.send(from, error(r, Errors.UNSUPPORTED_ASSIGNOR, "assignor " + assignor + " is not in group.consumer.assignors " + config.assignors()));
      return;
    }
    Change c = heartbeat(ctx, g, member, from, r);
    write(ctx, g, c, () -> respond(ctx, from, r, c));
  }

  /**
   * {@code throwIfConsumerGroupMemberEpochIsInvalid}: an epoch ahead of the coordinator's is fenced; one behind is fenced
   * too, unless it is the previous epoch and the member owns only partitions it still has (the answer with the bump
   * was lost).
   */
  private static String epochError(ConsumerGroupMember m, ConsumerGroupHeartbeatRequest r) {
    if (r.memberEpoch() > m.memberEpoch()) {
      return "member epoch " + r.memberEpoch() + " is ahead of the coordinator's " + m.memberEpoch() + "; abandon all partitions and rejoin";
    }
    if (r.memberEpoch() < m.memberEpoch() && (r.memberEpoch() != m.previousMemberEpoch() || !m.assignedPartitions().containsAll(r.ownedTopicPartitions()))) {
      return "member epoch " + r.memberEpoch() + " is behind the coordinator's " + m.memberEpoch() + "; abandon all partitions and rejoin";
    }
    return null;
  }

  private Change heartbeat(NodeContext ctx, ConsumerGroup g, ConsumerGroupMember member, NodeId from, ConsumerGroupHeartbeatRequest r) {
    List<LogRecord> records = new ArrayList<>();
    long now = ctx.localTimeMs();
    boolean joining = !g.members.containsKey(member.memberId());
    ConsumerGroupMember updated = member.withSubscription(r.instanceId(), from.name(), r.rebalanceTimeoutMs(), r.subscribedTopicNames(), r.serverAssignor());
    // 1. The member: a new one or a new subscription bumps the group epoch.
    int groupEpoch = g.groupEpoch;
    if (joining || updated.subscriptionDiffers(member) || updated.rebalanceTimeoutMs() != member.rebalanceTimeoutMs()) {
      records.add(record(now, ConsumerGroupRecords.MEMBER_METADATA, g.groupId, updated.memberId(), ConsumerGroupRecords.memberMetadata(
          new ConsumerGroupRecords.MemberMetadata(updated.instanceId(), updated.clientId(), "/" + updated.clientId(), updated.subscribedTopicNames(),
              updated.rebalanceTimeoutMs(), updated.serverAssignor()))));
    }
    if (joining || updated.subscriptionDiffers(member)) {
      groupEpoch++;
      records.add(record(now, ConsumerGroupRecords.METADATA, g.groupId, null, ConsumerGroupRecords.groupEpoch(groupEpoch)));
      ctx.point("kafka.group.epoch", g.groupId + " group epoch " + groupEpoch + ": " + updated.memberId() + (joining ? " joins, subscribing to "
          + updated.subscribedTopicNames() : " changed its subscription"), "group", g.groupId, "groupEpoch", groupEpoch, "member", updated.memberId());
    }
    // 2. The target assignment, when the group epoch moved past it.
    int targetEpoch = g.targetAssignmentEpoch;
    TreeMap<String, SortedSet<TopicPartition>> target = new TreeMap<>(g.targetAssignment);
    if (groupEpoch > g.targetAssignmentEpoch) {
      TreeMap<String, ConsumerGroupMember> members = new TreeMap<>(g.members);
      members.put(updated.memberId(), updated);
      target = computeTarget(ctx, g, members, groupEpoch, records);
      targetEpoch = groupEpoch;
    }
    // 3. One reconciliation step for this member.
    SortedSet<TopicPartition> mine = target.getOrDefault(updated.memberId(), new TreeSet<>());
    ConsumerGroupMember reconciled = updated.isReconciledTo(targetEpoch) ? updated : new CurrentAssignmentBuilder(updated)
        .withTargetAssignment(targetEpoch, mine)
        .withCurrentPartitionEpoch(tp -> g.currentPartitionEpoch(tp, updated.memberId()))
        .withOwnedTopicPartitions(r.ownedTopicPartitions())
        .withAssignBeforeRevocation(config.assignBeforeRevocation())
        .build();
    if (joining || !sameAssignmentState(reconciled, member)) records.add(currentAssignmentRecord(ctx, g, reconciled));
    return new Change(groupEpoch, targetEpoch, target, reconciled, records);
  }

  private static LogRecord currentAssignmentRecord(NodeContext ctx, ConsumerGroup g, ConsumerGroupMember m) {
    return record(ctx.localTimeMs(), ConsumerGroupRecords.CURRENT_MEMBER_ASSIGNMENT, g.groupId, m.memberId(), ConsumerGroupRecords.currentAssignment(
        new ConsumerGroupRecords.CurrentAssignment(m.memberEpoch(), m.previousMemberEpoch(), m.state().code, m.assignedPartitions(),
            m.partitionsPendingRevocation())));
  }

  private static boolean sameAssignmentState(ConsumerGroupMember a, ConsumerGroupMember b) {
    return a.memberEpoch() == b.memberEpoch() && a.previousMemberEpoch() == b.previousMemberEpoch() && a.state() == b.state()
        && a.assignedPartitions().equals(b.assignedPartitions()) && a.partitionsPendingRevocation().equals(b.partitionsPendingRevocation());
  }

  /**
   * Kafka's {@code TargetAssignmentBuilder}: the assignor over every member's subscription and previous target; records
   * for each member whose target changed, then the target assignment epoch.
   */
  private TreeMap<String, SortedSet<TopicPartition>> computeTarget(NodeContext ctx, ConsumerGroup g, TreeMap<String, ConsumerGroupMember> members,
      int groupEpoch, List<LogRecord> records) {
    ConsumerGroupPartitionAssignor assignor = ConsumerGroupPartitionAssignor.named(preferredAssignor(members));
    TreeMap<String, ConsumerGroupPartitionAssignor.MemberSpec> specs = new TreeMap<>();
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (ConsumerGroupMember m : members.values()) {
      TreeMap<String, SortedSet<Integer>> previous = new TreeMap<>();
      for (TopicPartition tp : g.targetOf(m.memberId())) previous.computeIfAbsent(tp.topic(), k -> new TreeSet<>()).add(tp.partition());
      specs.put(m.memberId(), new ConsumerGroupPartitionAssignor.MemberSpec(java.util.Optional.ofNullable(m.instanceId()), new TreeSet<>(m.subscribedTopicNames()), previous));
      for (String t : m.subscribedTopicNames()) {
        int n = log.partitionCount(t);
        if (n > 0) counts.put(t, n);
      }
    }
    TreeMap<String, TreeMap<String, TreeSet<Integer>>> result = assignor.assign(new ConsumerGroupPartitionAssignor.GroupSpec(specs, counts));
    TreeMap<String, SortedSet<TopicPartition>> target = new TreeMap<>();
    long now = ctx.localTimeMs();
    for (Map.Entry<String, TreeMap<String, TreeSet<Integer>>> e : result.entrySet()) {
      TreeSet<TopicPartition> tps = new TreeSet<>();
      e.getValue().forEach((t, ps) -> ps.forEach(p -> tps.add(new TopicPartition(t, p))));
      target.put(e.getKey(), tps);
      if (!tps.equals(g.targetOf(e.getKey())) || !g.targetAssignment.containsKey(e.getKey())) {
        records.add(record(now, ConsumerGroupRecords.TARGET_ASSIGNMENT_MEMBER, g.groupId, e.getKey(), ConsumerGroupRecords.targetAssignmentMember(tps)));
      }
    }
    records.add(record(now, ConsumerGroupRecords.TARGET_ASSIGNMENT_METADATA, g.groupId, null, ConsumerGroupRecords.targetAssignmentEpoch(groupEpoch)));
    ctx.point("kafka.group.target", g.groupId + " target assignment epoch " + groupEpoch + " (" + assignor.name() + "): " + target,
        "group", g.groupId, "targetEpoch", groupEpoch, "assignor", assignor.name(), "assignment", target.toString());
    return target;
  }

  /** The assignor most members ask for ({@code group.remote.assignor}), else the first of {@code group.consumer.assignors}. */
  private String preferredAssignor(TreeMap<String, ConsumerGroupMember> members) {
    TreeMap<String, Integer> votes = new TreeMap<>();
    for (ConsumerGroupMember m : members.values()) if (m.serverAssignor() != null) votes.merge(m.serverAssignor(), 1, Integer::sum);
    String best = config.assignors().get(0);
    int most = 0;
    for (Map.Entry<String, Integer> e : votes.entrySet()) {
      if (e.getValue() > most) {
        best = e.getKey();
        most = e.getValue();
      }
    }
    return best;
  }

  /**
   * Makes the change the group's state and writes its records, answering once they are committed (Kafka's coordinator
   * runtime replays records into memory as it appends them). A write that fails may still have left its records in this
   * leader's log, so the group is then reloaded from the log, as a new coordinator would load it.
   */
  private void write(NodeContext ctx, ConsumerGroup g, Change c, Runnable answer) {
    if (c.records().isEmpty() && !g.uncommitted) {
      apply(ctx, g, c);
      answer.run();
      return;
    }
    // After a failed write the group holds records that may not be committed yet: an answer must wait until they are,
    // as Kafka's runtime waits for its last written offset; the member's current assignment, written again, is that wait.
    List<LogRecord> records = c.records().isEmpty() ? List.of(currentAssignmentRecord(ctx, g, c.member())) : c.records();
    ConsumerGroup before = copy(g);
    apply(ctx, g, c);
    g.writing = true;
    boolean started = log.append(ctx, coordinator.partitionOf(g.groupId), records, written -> {
      g.writing = false;
      if (written == Errors.NONE) g.uncommitted = false;
      if (written != Errors.NONE && groups.get(g.groupId) == g) reload(ctx, g);
      answer.run(); // after a failure the member is no longer c.member(): it hears NOT_COORDINATOR and retries
      drainLater(ctx, groups.getOrDefault(g.groupId, g));
    });
    if (!started) {
      restore(g, before);
      g.writing = false;
      answer.run();
    }
  }

  /** The group as its partition's log holds it now (its appended records included), its waiting heartbeats kept. */
  private void reload(NodeContext ctx, ConsumerGroup g) {
    sim.kafka.log.Log partitionLog = log.logOf(coordinator.partitionOf(g.groupId));
    ConsumerGroup loaded = partitionLog == null ? null : OffsetsLoader.load(partitionLog).consumerGroups.groups().get(g.groupId);
    if (loaded == null) loaded = new ConsumerGroup(g.groupId);
    loaded.waiting.addAll(g.waiting);
    loaded.uncommitted = true;
    g.waiting.clear();
    groups.put(g.groupId, loaded);
    // Sessions run on from the members' last accepted heartbeats: a reload is not a heartbeat (re-arming here would keep
    // a member that only hears FENCED_MEMBER_EPOCH in the group for as long as writes keep failing).
    ConsumerGroup reloaded = loaded;
    sessionDeadlines.keySet().removeIf(k -> k.startsWith(g.groupId + "/") && !reloaded.members.containsKey(k.substring(g.groupId.length() + 1)));
    for (String m : loaded.members.keySet()) if (!sessionDeadlines.containsKey(g.groupId + "/" + m)) armSession(ctx, g.groupId, m);
    ctx.note(g.groupId + ": a write of its records failed; reloaded from the log: group epoch " + loaded.groupEpoch + ", " + loaded.members.size() + " members");
  }

  private static ConsumerGroup copy(ConsumerGroup g) {
    ConsumerGroup c = new ConsumerGroup(g.groupId);
    restore(c, g);
    return c;
  }

  private static void restore(ConsumerGroup g, ConsumerGroup from) {
    g.groupEpoch = from.groupEpoch;
    g.targetAssignmentEpoch = from.targetAssignmentEpoch;
    g.members.clear();
    g.members.putAll(from.members);
    g.targetAssignment.clear();
    g.targetAssignment.putAll(from.targetAssignment);
  }

  private static void drainLater(NodeContext ctx, ConsumerGroup g) {
    if (!g.waiting.isEmpty()) ctx.setTimer(new DrainWaiting(g.groupId), 0);
  }

  private void drain(ConsumerGroup g) {
    while (!g.writing && !g.waiting.isEmpty()) g.waiting.poll().run();
  }

  private void apply(NodeContext ctx, ConsumerGroup g, Change c) {
    ConsumerGroupMember before = g.members.get(c.member().memberId());
    g.groupEpoch = c.groupEpoch();
    g.targetAssignmentEpoch = c.targetEpoch();
    g.targetAssignment.clear();
    g.targetAssignment.putAll(c.target());
    g.members.put(c.member().memberId(), c.member());
    armSession(ctx, g.groupId, c.member().memberId());
    ConsumerGroupMember m = c.member();
    if (before == null || !sameAssignmentState(m, before)) {
      ctx.point("kafka.group.reconcile", g.groupId + " " + m.memberId() + " epoch " + m.memberEpoch() + " " + m.state() + ": assigned " + m.assignedPartitions()
              + (m.partitionsPendingRevocation().isEmpty() ? "" : ", must revoke " + m.partitionsPendingRevocation())
              + (m.state() == ConsumerGroupMember.State.UNRELEASED_PARTITIONS ? ", waiting for " + unreleased(g, m) + " to be released" : ""),
          "group", g.groupId, "member", m.memberId(), "memberEpoch", m.memberEpoch(), "state", m.state().name(),
          "assigned", m.assignedPartitions().toString(), "revoking", m.partitionsPendingRevocation().toString());
      if (m.state() == ConsumerGroupMember.State.UNREVOKED_PARTITIONS) {
        ctx.setTimer(new RebalanceTimeout(g.groupId, m.memberId(), m.memberEpoch()), Durations.millis(Math.max(1, m.rebalanceTimeoutMs())));
      }
    }
  }

  private static SortedSet<TopicPartition> unreleased(ConsumerGroup g, ConsumerGroupMember m) {
    TreeSet<TopicPartition> out = new TreeSet<>(g.targetOf(m.memberId()));
    out.removeAll(m.assignedPartitions());
    return out;
  }

  private void respond(NodeContext ctx, NodeId from, ConsumerGroupHeartbeatRequest r, Change c) {
    ConsumerGroup g = groups.get(r.groupId());
    ConsumerGroupMember m = g == null ? null : g.members.get(r.memberId());
    if (m != c.member()) {
      ctx.send(from, error(r, Errors.NOT_COORDINATOR, "the group's records could not be written"));
      return;
    }
    // Every request here is full, so the assignment always goes back (Kafka: on a full request or when it changed).
    ctx.send(from, new ConsumerGroupHeartbeatResponse(r.correlationId(), Errors.NONE, null, m.memberId(), m.memberEpoch(), config.heartbeatIntervalMs(),
        List.copyOf(m.assignedPartitions())));
  }

  // ---- leaving and fencing ----

  private void leave(NodeContext ctx, NodeId from, ConsumerGroup g, ConsumerGroupHeartbeatRequest r) {
    if (g == null || !g.members.containsKey(r.memberId())) {
      ctx.send(from, error(r, Errors.UNKNOWN_MEMBER_ID, "member " + r.memberId() + " is not a member of group " + r.groupId()));
      return;
    }
    fence(ctx, g, r.memberId(), "left the group (member epoch " + r.memberEpoch() + ")", () -> ctx.send(from,
        new ConsumerGroupHeartbeatResponse(r.correlationId(), Errors.NONE, null, r.memberId(), r.memberEpoch(), config.heartbeatIntervalMs(), null)));
  }

  /**
   * {@code consumerGroupFenceMember}: the member is removed (tombstones for its current assignment, target and metadata)
   * and the group epoch moves, so the next heartbeat computes a target without it; its partitions are free at once.
   */
  private void fence(NodeContext ctx, ConsumerGroup g, String memberId, String why, Runnable done) {
    if (groups.get(g.groupId) != g || !g.members.containsKey(memberId)) return; // gone already (left, fenced, reloaded without it)
    if (g.writing) {
      // Run later on the group as it is then: a reload may have replaced this object.
      g.waiting.add(() -> {
        ConsumerGroup live = groups.get(g.groupId);
        if (live != null) fence(ctx, live, memberId, why, done);
      });
      return;
    }
    long now = ctx.localTimeMs();
    int epoch = g.groupEpoch + 1;
    List<LogRecord> records = List.of(
        tombstone(now, ConsumerGroupRecords.CURRENT_MEMBER_ASSIGNMENT, g.groupId, memberId),
        tombstone(now, ConsumerGroupRecords.TARGET_ASSIGNMENT_MEMBER, g.groupId, memberId),
        tombstone(now, ConsumerGroupRecords.MEMBER_METADATA, g.groupId, memberId),
        record(now, ConsumerGroupRecords.METADATA, g.groupId, null, ConsumerGroupRecords.groupEpoch(epoch)));
    ConsumerGroup before = copy(g);
    ConsumerGroupMember m = g.members.remove(memberId);
    g.targetAssignment.remove(memberId);
    g.groupEpoch = epoch;
    sessionDeadlines.remove(g.groupId + "/" + memberId);
    ctx.point("kafka.group.member.fenced", g.groupId + " " + memberId + " " + why + ": out of the group, its " + m.assignedPartitions()
        + " free; group epoch " + epoch, "group", g.groupId, "member", memberId, "groupEpoch", epoch);
    g.writing = true;
    boolean started = log.append(ctx, coordinator.partitionOf(g.groupId), records, written -> {
      g.writing = false;
      if (written != Errors.NONE && groups.get(g.groupId) == g) reload(ctx, g);
      else if (written == Errors.NONE) {
        g.uncommitted = false;
        done.run();
      }
      drainLater(ctx, groups.getOrDefault(g.groupId, g));
    });
    if (!started) {
      restore(g, before);
      g.writing = false;
    }
  }

  private void armSession(NodeContext ctx, String groupId, String memberId) {
    long id = ++nextDeadlineId;
    sessionDeadlines.put(groupId + "/" + memberId, id);
    ctx.setTimer(new MemberSessionTimeout(groupId, memberId, id), Durations.millis(config.sessionTimeoutMs()));
  }

  void onTimer(NodeContext ctx, GroupCoordinator.GroupTimer t) {
    if (t instanceof DrainWaiting d) {
      ConsumerGroup g = groups.get(d.groupId());
      if (g != null) drain(g);
    } else if (t instanceof MemberSessionTimeout s) {
      ConsumerGroup g = groups.get(s.groupId());
      Long current = sessionDeadlines.get(s.groupId() + "/" + s.memberId());
      if (g == null || current == null || current != s.deadlineId() || !coordinator.owns(s.groupId())) return;
      fence(ctx, g, s.memberId(), "sent no heartbeat for group.consumer.session.timeout.ms=" + config.sessionTimeoutMs(), () -> {});
    } else if (t instanceof RebalanceTimeout rt) {
      ConsumerGroup g = groups.get(rt.groupId());
      ConsumerGroupMember m = g == null ? null : g.members.get(rt.memberId());
      if (m == null || m.memberEpoch() != rt.memberEpoch() || m.state() != ConsumerGroupMember.State.UNREVOKED_PARTITIONS || !coordinator.owns(rt.groupId())) return;
      fence(ctx, g, rt.memberId(), "did not revoke " + m.partitionsPendingRevocation() + " within its rebalance timeout (" + m.rebalanceTimeoutMs() + " ms)", () -> {});
    }
  }

  // ---- loading ----

  /** The groups {@code tp}'s log holds, replayed: every member gets a full session to find this coordinator. */
  void load(NodeContext ctx, TreeMap<String, ConsumerGroup> loaded) {
    for (ConsumerGroup g : loaded.values()) {
      groups.put(g.groupId, g);
      for (String m : g.members.keySet()) armSession(ctx, g.groupId, m);
    }
  }

  void unload(java.util.function.Predicate<String> onPartition) {
    groups.keySet().removeIf(onPartition);
    sessionDeadlines.keySet().removeIf(k -> onPartition.test(k.substring(0, k.lastIndexOf('/'))));
  }

  // ---- offset commits ----

  /** Whether {@code groupId} is a consumer-protocol group here. */
  boolean has(String groupId) {
    return groups.containsKey(groupId);
  }

  /**
   * An OffsetCommit from a consumer-protocol member ({@code ConsumerGroup.validateOffsetCommit}): epoch -1 commits only to
   * an empty group; an unknown member is UNKNOWN_MEMBER_ID, any other epoch than the member's STALE_MEMBER_EPOCH.
   */
  Errors validateOffsetCommit(String groupId, String memberId, int memberEpoch) {
    ConsumerGroup g = groups.get(groupId);
    if (memberEpoch < 0 && g.members.isEmpty()) return Errors.NONE;
    ConsumerGroupMember m = g.members.get(memberId);
    if (m == null) return Errors.UNKNOWN_MEMBER_ID;
    return memberEpoch != m.memberEpoch() ? Errors.STALE_MEMBER_EPOCH : Errors.NONE;
  }

  private static ConsumerGroupHeartbeatResponse error(ConsumerGroupHeartbeatRequest r, Errors e, String message) {
    return new ConsumerGroupHeartbeatResponse(r.correlationId(), e, message, r.memberId(), -1, 0, null);
  }

  private static LogRecord record(long now, short type, String group, String memberId, byte[] value) {
    return new LogRecord(0, now, ConsumerGroupRecords.key(type, group, memberId), value, List.of());
  }

  private static LogRecord tombstone(long now, short type, String group, String memberId) {
    return new LogRecord(0, now, ConsumerGroupRecords.key(type, group, memberId), null, List.of());
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    for (ConsumerGroup g : groups.values()) b.append("    ").append(g.describe());
    return b.toString();
  }
}
