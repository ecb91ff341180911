package sim.kafka.group;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.HeartbeatRequest;
import sim.kafka.broker.KafkaMessage.JoinGroupRequest;
import sim.kafka.broker.KafkaMessage.LeaveGroupRequest;
import sim.kafka.broker.KafkaMessage.OffsetCommitRequest;
import sim.kafka.broker.KafkaMessage.OffsetFetchRequest;
import sim.kafka.broker.KafkaMessage.SyncGroupRequest;
import sim.kafka.broker.KafkaMessage.SyncGroupResponse;
import sim.kafka.broker.KafkaMessage.TxnOffsetCommitRequest;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;

/**
 * The group coordinator of one broker: it coordinates the groups whose {@code __consumer_offsets} partition
 * ({@code abs(groupId.hashCode()) % offsets.topic.num.partitions}) this broker leads. Becoming that partition's
 * leader it loads the groups and committed offsets from the partition's log; resigning it forgets them.
 * Group changes and commits are written to that partition (acks=all) and answered only once committed.
 */
public final class GroupCoordinator {
  public static final String OFFSETS_TOPIC = "__consumer_offsets";

  /** Group settings with Kafka's names and defaults. */
  public record Config(int offsetsTopicNumPartitions, long groupInitialRebalanceDelayMs, int groupMinSessionTimeoutMs, int groupMaxSessionTimeoutMs,
      ConsumerGroupConfig consumer) {
    public static Config defaults() {
      return new Config(50, 3000, 6000, 1_800_000, ConsumerGroupConfig.defaults());
    }

    public Config withOffsetsTopicNumPartitions(int n) {
      return new Config(n, groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, consumer);
    }

    public Config withConsumer(ConsumerGroupConfig c) {
      return new Config(offsetsTopicNumPartitions, groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, c);
    }
  }

  /** How the coordinator writes: records to the offsets partition this broker leads; {@code done} once committed or failed. */
  public interface OffsetsLog {
    boolean append(NodeContext ctx, TopicPartition tp, List<LogRecord> records, Consumer<Errors> done);

    /** The same as one transactional batch of the producer (a TxnOffsetCommit), its epoch checked by the partition. */
    boolean appendTransactional(NodeContext ctx, TopicPartition tp, String transactionalId, long producerId, short producerEpoch, List<LogRecord> records,
        Consumer<Errors> done);

    /** The topic's partition count in this broker's metadata, -1 if it has no such topic (for the server-side assignors). */
    default int partitionCount(String topic) {
      return -1;
    }

    /** The log of an offsets partition this broker leads, null otherwise (a consumer group reloads from it after a failed write). */
    default Log logOf(TopicPartition tp) {
      return null;
    }
  }

  /** The coordinator's timers; a stale one (its member rejoined, its rebalance completed) does nothing. */
  public sealed interface GroupTimer extends Timer
      permits SessionExpiry, JoinDeadline, ConsumerGroupHeartbeats.MemberSessionTimeout, ConsumerGroupHeartbeats.RebalanceTimeout,
      ConsumerGroupHeartbeats.DrainWaiting {}

  record SessionExpiry(String groupId, String memberId, long deadlineId) implements GroupTimer {}

  record JoinDeadline(String groupId, long rebalanceId) implements GroupTimer {}

  private final Config config;
  private final OffsetsLog log;
  private final TreeSet<Integer> ownedPartitions = new TreeSet<>();
  private final TreeMap<String, ClassicGroup> groups = new TreeMap<>();
  private final PendingTxnOffsets pending = new PendingTxnOffsets();
  private final TxnOffsetCommits txnCommits;
  private final OffsetRequests offsetRequests;
  /** The classic protocol's JoinGroup, SyncGroup, Heartbeat and LeaveGroup. */
  private final ClassicGroupMembership classic;
  /** The consumer protocol's groups (KIP-848), next to the classic ones. */
  final ConsumerGroupHeartbeats consumerGroups;

  public GroupCoordinator(Config config, OffsetsLog log) {
    this.config = config;
    this.log = log;
    this.txnCommits = new TxnOffsetCommits(this, log, pending);
    this.offsetRequests = new OffsetRequests(this, log, pending);
    this.consumerGroups = new ConsumerGroupHeartbeats(this, log, config.consumer());
    this.classic = new ClassicGroupMembership(this, config, log, groups);
  }

  /** Kafka's {@code partitionFor}: {@code Utils.abs(groupId.hashCode()) % partitions}. */
  public static int partitionFor(String groupId, int partitions) {
    int h = groupId.hashCode();
    return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % partitions;
  }

  TopicPartition partitionOf(String groupId) {
    return new TopicPartition(OFFSETS_TOPIC, partitionFor(groupId, config.offsetsTopicNumPartitions()));
  }

  // ---- loading and resigning ----

  /** This broker now leads {@code tp}: replay its log ({@link OffsetsLoader}), transactional commits pending until their marker. */
  public void load(NodeContext ctx, TopicPartition tp, Log partitionLog) {
    ownedPartitions.add(tp.partition());
    groups.values().removeIf(g -> partitionOf(g.groupId).equals(tp));
    pending.removeGroups(id -> partitionOf(id).equals(tp));
    consumerGroups.unload(id -> partitionOf(id).equals(tp));
    OffsetsLoader loaded = OffsetsLoader.load(partitionLog);
    TreeMap<String, ConsumerGroup> consumer = loaded.consumerGroups.groups();
    consumerGroups.load(ctx, consumer);
    Map<String, GroupRecords.GroupValue> metadata = loaded.metadata;
    Map<String, TreeMap<TopicPartition, Long>> offsets = loaded.offsets;
    TreeSet<String> ids = new TreeSet<>(metadata.keySet());
    ids.addAll(offsets.keySet());
    ids.addAll(loaded.pendingGroups());
    for (String id : ids) {
      ClassicGroup g = new ClassicGroup(id);
      GroupRecords.GroupValue v = metadata.get(id);
      if (v != null) classic.restore(ctx, g, v);
      if (offsets.containsKey(id)) g.offsets.putAll(offsets.get(id));
      groups.put(id, g);
      loaded.pending.ofGroup(id).forEach((producerId, o) -> pending.put(producerId, id, o));
    }
    ctx.point("kafka.group.load", tp + " loaded " + ids.size() + " group(s) from " + partitionLog.logEndOffset() + " records: "
        + ids.stream().map(id -> groups.get(id).state + " " + id + " generation " + groups.get(id).generationId + ", " + groups.get(id).offsets.size() + " offsets").toList()
        + (consumer.isEmpty() ? "" : "; consumer groups " + consumer.values().stream().map(c -> c.groupId + " epoch " + c.groupEpoch + ", " + c.members.size() + " members").toList()),
        "partition", tp.toString(), "groups", ids.size(), "logEndOffset", partitionLog.logEndOffset());
  }

  /** This broker no longer leads {@code tp}: its groups are someone else's now. */
  public void unload(NodeContext ctx, TopicPartition tp) {
    if (!ownedPartitions.remove(tp.partition())) return;
    List<String> gone = new ArrayList<>();
    for (ClassicGroup g : List.copyOf(groups.values())) {
      if (!partitionOf(g.groupId).equals(tp)) continue;
      for (ClassicGroup.Member m : g.members.values()) {
        if (m.awaitingJoin >= 0) ctx.send(m.client, ClassicGroupMembership.joinError(m.awaitingJoin, Errors.NOT_COORDINATOR, m.memberId));
        if (m.awaitingSync >= 0) ctx.send(m.client, new SyncGroupResponse(m.awaitingSync, Errors.NOT_COORDINATOR, List.of()));
      }
      groups.remove(g.groupId);
      gone.add(g.groupId);
    }
    pending.removeGroups(id -> partitionOf(id).equals(tp));
    for (String id : consumerGroups.groups.keySet()) if (partitionOf(id).equals(tp)) gone.add(id);
    consumerGroups.unload(id -> partitionOf(id).equals(tp));
    if (!gone.isEmpty()) ctx.note("group coordinator for " + tp + " resigns; " + gone + " move with the partition's leadership");
  }

  // ---- requests ----

  /** Whether {@code m} is a request for the coordinator (FindCoordinator is answered by any broker, not here). */
  public static boolean handles(Message m) {
    return m instanceof JoinGroupRequest || m instanceof SyncGroupRequest || m instanceof HeartbeatRequest || m instanceof LeaveGroupRequest
        || m instanceof OffsetCommitRequest || m instanceof OffsetFetchRequest || m instanceof TxnOffsetCommitRequest
        || m instanceof sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatRequest;
  }

  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof JoinGroupRequest r) classic.onJoin(ctx, from, r);
    else if (m instanceof SyncGroupRequest r) classic.onSync(ctx, from, r);
    else if (m instanceof HeartbeatRequest r) classic.onHeartbeat(ctx, from, r);
    else if (m instanceof LeaveGroupRequest r) classic.onLeave(ctx, from, r);
    else if (m instanceof OffsetCommitRequest r) offsetRequests.onCommit(ctx, from, r);
    else if (m instanceof OffsetFetchRequest r) offsetRequests.onFetch(ctx, from, r);
    else if (m instanceof TxnOffsetCommitRequest r) txnCommits.onTxnOffsetCommit(ctx, from, r);
    else if (m instanceof sim.kafka.broker.KafkaMessage.ConsumerGroupHeartbeatRequest r) consumerGroups.onHeartbeat(ctx, from, r);
  }

  /**
   * A COMMIT or ABORT marker of {@code producerId} is committed in offsets partition {@code tp}
   * ({@code replayEndTransactionMarker}): its pending offsets become the groups' committed offsets, or are dropped.
   */
  public void onTxnMarker(NodeContext ctx, TopicPartition tp, long producerId, sim.kafka.record.ControlRecordType result) {
    if (!ownedPartitions.contains(tp.partition())) return;
    txnCommits.onMarker(ctx, producerId, result);
  }

  boolean owns(String groupId) {
    return ownedPartitions.contains(partitionOf(groupId).partition());
  }

  /** The classic protocol's error for a member's request in a generation (also OffsetCommit's and TxnOffsetCommit's). */
  Errors memberError(ClassicGroup g, String memberId, int generation, String instanceId) {
    return ClassicGroupMembership.memberError(g, memberId, generation, instanceId);
  }

  public void onTimer(NodeContext ctx, GroupTimer t) {
    if (t instanceof SessionExpiry s) classic.onSessionExpiry(ctx, s);
    else if (t instanceof JoinDeadline j) classic.onJoinDeadline(ctx, j);
    else consumerGroups.onTimer(ctx, t);
  }

  // ---- views ----

  /** The committed offsets of {@code groupId} this coordinator holds, or null if it does not coordinate it. */
  public Map<TopicPartition, Long> committedOffsets(String groupId) {
    ClassicGroup g = groups.get(groupId);
    return g == null || !owns(groupId) ? null : java.util.Collections.unmodifiableMap(g.offsets);
  }

  /** The offsets of {@code groupId} pending in open transactions, per producer id (empty if none or not coordinated here). */
  public Map<Long, TreeMap<TopicPartition, Long>> pendingTxnOffsets(String groupId) {
    return owns(groupId) ? pending.ofGroup(groupId) : Map.of();
  }

  ClassicGroup group(String groupId, boolean create) {
    return create ? groups.computeIfAbsent(groupId, ClassicGroup::new) : groups.get(groupId);
  }

  /** Generation and assignment of a stable group, or null. */
  public record GroupView(String state, int generation, String leader, Map<String, List<TopicPartition>> assignment) {}

  public GroupView group(String groupId) {
    ClassicGroup g = groups.get(groupId);
    if (g == null || !owns(groupId)) return null;
    Map<String, List<TopicPartition>> a = new TreeMap<>();
    for (ClassicGroup.Member m : g.members.values()) a.put(m.memberId, m.assignment);
    return new GroupView(g.state.name(), g.generationId, g.leaderId, a);
  }

  public String describe() {
    if (groups.isEmpty() && consumerGroups.groups.isEmpty()) return "";
    StringBuilder b = new StringBuilder("  groups:\n");
    for (ClassicGroup g : groups.values()) b.append("    ").append(g.describe());
    return b.append(consumerGroups.describe()).toString();
  }

  /** For the checks: every partition two members of a consumer-protocol group hold at once, as this coordinator sees it. */
  public Map<TopicPartition, String> consumerGroupDoublyHeld(String groupId) {
    ConsumerGroup g = owns(groupId) ? consumerGroups.groups.get(groupId) : null;
    return g == null ? Map.of() : g.doublyHeld();
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
