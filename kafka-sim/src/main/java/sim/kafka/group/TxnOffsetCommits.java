package sim.kafka.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.TxnOffsetCommitRequest;
import sim.kafka.broker.KafkaMessage.TxnOffsetCommitResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;

/**
 * The group coordinator's half of consume-transform-produce (Kafka 4.1's {@code OffsetMetadataManager}
 * {@code commitTransactionalOffset} and {@code replayEndTransactionMarker}). A TxnOffsetCommit is validated as
 * {@code validateTransactionalOffsetCommit} does, written to the group's offsets partition as a transactional batch of
 * the producer's id and epoch (the partition refuses an older epoch with INVALID_PRODUCER_EPOCH), and once committed
 * kept pending for that producer id: the group's committed offsets stay as they were. The transaction's marker, which
 * AddOffsetsToTxn made the transaction coordinator send to this partition too, settles them.
 */
final class TxnOffsetCommits {
  private final GroupCoordinator coordinator;
  private final GroupCoordinator.OffsetsLog log;
  private final PendingTxnOffsets pending;

  TxnOffsetCommits(GroupCoordinator coordinator, GroupCoordinator.OffsetsLog log, PendingTxnOffsets pending) {
    this.coordinator = coordinator;
    this.log = log;
    this.pending = pending;
  }

  void onTxnOffsetCommit(NodeContext ctx, NodeId from, TxnOffsetCommitRequest r) {
    if (!coordinator.owns(r.groupId())) {
      reply(ctx, from, r, Errors.NOT_COORDINATOR);
      return;
    }
    ClassicGroup g = coordinator.group(r.groupId(), r.generationId() < 0);
    Errors error = g == null ? Errors.ILLEGAL_GENERATION : validate(g, r);
    if (error != Errors.NONE) {
      reply(ctx, from, r, error);
      return;
    }
    List<LogRecord> records = new ArrayList<>();
    long now = ctx.localTimeMs();
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      records.add(new LogRecord(records.size(), now, GroupRecords.offsetKey(r.groupId(), e.getKey()),
          GroupRecords.offsetValue(new GroupRecords.OffsetValue(e.getValue(), -1, "", now)), List.of()));
    }
    boolean started = log.appendTransactional(ctx, coordinator.partitionOf(r.groupId()), r.transactionalId(), r.producerId(), r.producerEpoch(), records, written -> {
      if (written == Errors.NONE) {
        pending.put(r.producerId(), r.groupId(), r.offsets());
        ctx.point("kafka.group.txn-commit", r.groupId() + " TxnOffsetCommit " + r.offsets() + " of " + r.transactionalId() + " (producer "
                + r.producerId() + "/" + r.producerEpoch() + ") written, pending until the transaction's marker",
            "group", r.groupId(), "transactionalId", r.transactionalId(), "producerId", r.producerId(), "offsets", r.offsets().toString());
      }
      reply(ctx, from, r, normalize(written));
    });
    if (!started) reply(ctx, from, r, Errors.NOT_COORDINATOR);
  }

  /** {@code ClassicGroup.validateOffsetCommit} with {@code isTransactional}: no group-state check beyond the member's. */
  private Errors validate(ClassicGroup g, TxnOffsetCommitRequest r) {
    if (r.generationId() < 0 && g.is(ClassicGroup.State.EMPTY)) return Errors.NONE;
    if (r.generationId() >= 0 || !r.memberId().isEmpty()) return coordinator.memberError(g, r.memberId(), r.generationId(), null);
    return Errors.NONE;
  }

  /** {@code GroupCoordinatorService.normalizeException}: what the producer is told of a failed write. */
  private static Errors normalize(Errors e) {
    return switch (e) {
      case NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT -> Errors.COORDINATOR_NOT_AVAILABLE;
      case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
      default -> e;
    };
  }

  /** The producer's marker is committed in the offsets partition: COMMIT makes its offsets the committed ones, ABORT drops them. */
  void onMarker(NodeContext ctx, long producerId, ControlRecordType result) {
    TreeMap<String, TreeMap<TopicPartition, Long>> done = pending.complete(producerId);
    if (done.isEmpty()) return;
    for (Map.Entry<String, TreeMap<TopicPartition, Long>> e : done.entrySet()) {
      ClassicGroup g = coordinator.group(e.getKey(), true);
      if (result == ControlRecordType.COMMIT) g.offsets.putAll(e.getValue());
      ctx.point("kafka.group.txn-offsets", e.getKey() + ": " + result + " marker of producer " + producerId + (result == ControlRecordType.COMMIT
              ? " makes " + e.getValue() + " the committed offsets" : " discards the pending offsets " + e.getValue()),
          "group", e.getKey(), "producerId", producerId, "result", result.toString(), "offsets", e.getValue().toString());
    }
  }

  private static void reply(NodeContext ctx, NodeId to, TxnOffsetCommitRequest r, Errors error) {
    ctx.send(to, new TxnOffsetCommitResponse(r.correlationId(), error, r.offsets()));
  }
}
