package sim.kafka.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.OffsetCommitRequest;
import sim.kafka.broker.KafkaMessage.OffsetCommitResponse;
import sim.kafka.broker.KafkaMessage.OffsetFetchRequest;
import sim.kafka.broker.KafkaMessage.OffsetFetchResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.LogRecord;

/**
 * The group coordinator's plain OffsetCommit and OffsetFetch: a commit is written to the group's offsets partition
 * (acks=all) and becomes the committed offset once committed; a fetch answers the committed offsets, and with
 * {@code requireStable} refuses a partition whose transactional commit is still pending ({@link PendingTxnOffsets}).
 */
final class OffsetRequests {
  private final GroupCoordinator coordinator;
  private final GroupCoordinator.OffsetsLog log;
  private final PendingTxnOffsets pending;

  OffsetRequests(GroupCoordinator coordinator, GroupCoordinator.OffsetsLog log, PendingTxnOffsets pending) {
    this.coordinator = coordinator;
    this.log = log;
    this.pending = pending;
  }

  void onCommit(NodeContext ctx, NodeId from, OffsetCommitRequest r) {
    if (!coordinator.owns(r.groupId())) {
      ctx.send(from, new OffsetCommitResponse(r.correlationId(), Errors.NOT_COORDINATOR, r.offsets()));
      return;
    }
    ClassicGroup g;
    Errors error;
    if (coordinator.consumerGroups.has(r.groupId())) {
      // A consumer-protocol group: the generation field carries the member epoch; offsets live next to the classic ones.
      g = coordinator.group(r.groupId(), true);
      error = coordinator.consumerGroups.validateOffsetCommit(r.groupId(), r.memberId(), r.generationId());
    } else {
      ClassicGroup simple = simpleGroup(r.groupId(), r.generationId(), r.memberId());
      g = simple != null ? simple : coordinator.group(r.groupId(), false);
      error = g != null && g.is(ClassicGroup.State.EMPTY) && r.generationId() < 0 ? Errors.NONE
          : coordinator.memberError(g, r.memberId(), r.generationId(), r.groupInstanceId());
      if (error == Errors.NONE && g.is(ClassicGroup.State.COMPLETING_REBALANCE)) error = Errors.REBALANCE_IN_PROGRESS;
    }
    if (error != Errors.NONE) {
      ctx.send(from, new OffsetCommitResponse(r.correlationId(), error, r.offsets()));
      return;
    }
    List<LogRecord> records = new ArrayList<>();
    long now = ctx.localTimeMs();
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      records.add(new LogRecord(0, now, GroupRecords.offsetKey(g.groupId, e.getKey()),
          GroupRecords.offsetValue(new GroupRecords.OffsetValue(e.getValue(), -1, "", now)), List.of()));
    }
    boolean started = log.append(ctx, coordinator.partitionOf(g.groupId), records, written -> {
      if (written == Errors.NONE) {
        g.offsets.putAll(r.offsets());
        ctx.point("kafka.group.commit", g.groupId + " committed " + r.offsets() + " for " + r.memberId() + " (generation " + r.generationId() + ")",
            "group", g.groupId, "member", r.memberId(), "generation", r.generationId(), "offsets", r.offsets().toString());
      }
      ctx.send(from, new OffsetCommitResponse(r.correlationId(), written == Errors.NONE ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE, r.offsets()));
    });
    if (!started) ctx.send(from, new OffsetCommitResponse(r.correlationId(), Errors.NOT_COORDINATOR, r.offsets()));
  }

  /**
   * A commit from outside group management (generation -1, no member id: a consumer that assign()s its partitions)
   * creates the group if it does not exist, as Kafka's "simple group"; null when the request is a member's.
   */
  private ClassicGroup simpleGroup(String groupId, int generationId, String memberId) {
    if (generationId >= 0 || !memberId.isEmpty()) return null;
    return coordinator.group(groupId, true);
  }

  /** OffsetFetch; with requireStable, a partition with a transactional commit pending is UNSTABLE_OFFSET_COMMIT. */
  void onFetch(NodeContext ctx, NodeId from, OffsetFetchRequest r) {
    if (!coordinator.owns(r.groupId())) {
      ctx.send(from, new OffsetFetchResponse(r.correlationId(), Errors.NOT_COORDINATOR, Map.of()));
      return;
    }
    ClassicGroup g = coordinator.group(r.groupId(), false);
    Map<TopicPartition, Long> out = new TreeMap<>();
    Map<TopicPartition, Errors> unstable = new TreeMap<>();
    for (TopicPartition tp : r.partitions()) {
      if (r.requireStable() && pending.hasPending(r.groupId(), tp)) unstable.put(tp, Errors.UNSTABLE_OFFSET_COMMIT);
      out.put(tp, g == null || unstable.containsKey(tp) ? -1L : g.offsets.getOrDefault(tp, -1L));
    }
    ctx.send(from, new OffsetFetchResponse(r.correlationId(), Errors.NONE, out, unstable));
  }
}
