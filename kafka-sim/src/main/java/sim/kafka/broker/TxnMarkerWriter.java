package sim.kafka.broker;

import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.KafkaMessage.WriteTxnMarkersRequest;
import sim.kafka.broker.KafkaMessage.WriteTxnMarkersResponse;
import sim.kafka.log.ProducerStateManager;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.RecordBatches;

/**
 * The partition leader's half of {@code WriteTxnMarkers} (Kafka's {@code ReplicaManager.appendRecords} with
 * {@code AppendOrigin.COORDINATOR}): the coordinator's COMMIT or ABORT marker is checked against the producer state
 * ({@code appendEndTxnMarker}: an older producer epoch, or an older coordinator epoch than the last marker's, is
 * refused), appended as a control batch and answered once the high watermark passes it (acks=all), so the marker
 * is committed before the coordinator counts it.
 */
final class TxnMarkerWriter {
  private TxnMarkerWriter() {}

  static void onWriteTxnMarkers(NodeContext ctx, LeaderReplication leader, Partition p, NodeId from, WriteTxnMarkersRequest r,
      sim.kafka.group.GroupCoordinator groups) {
    if (p == null || p.role != Partition.Role.LEADER) {
      reply(ctx, from, r, Errors.NOT_LEADER_OR_FOLLOWER);
      return;
    }
    ProducerStateManager.Verdict v = p.log.producers().checkMarker(r.producerId(), r.producerEpoch(), r.coordinatorEpoch());
    if (v != ProducerStateManager.Verdict.APPEND) {
      ctx.note(r.tp() + ": " + r.result() + " marker of producer " + r.producerId() + "/" + r.producerEpoch() + " (coordinator epoch "
          + r.coordinatorEpoch() + ") refused with " + v);
      reply(ctx, from, r, Errors.valueOf(v.name()));
      return;
    }
    byte[] batch = ControlBatches.endTransactionMarker(0, ctx.localTimeMs(), RecordBatches.NO_PARTITION_LEADER_EPOCH, r.producerId(),
        r.producerEpoch(), new ControlBatches.EndTransactionMarker(r.result(), r.coordinatorEpoch()));
    long offset = p.logEndOffset();
    ctx.point("kafka.txn.marker", r.tp() + " " + r.result() + " marker for producer " + r.producerId() + "/" + r.producerEpoch() + " at offset "
            + offset + " (coordinator epoch " + r.coordinatorEpoch() + ")",
        "partition", r.tp().toString(), "offset", offset, "producerId", r.producerId(), "producerEpoch", (int) r.producerEpoch(),
        "result", r.result().toString(), "coordinatorEpoch", r.coordinatorEpoch());
    leader.appendInternal(ctx, p, batch, error -> {
      // On an offsets partition the committed marker settles the transaction's offsets (KafkaApis' onTxnCompletion).
      if (error == Errors.NONE && r.tp().topic().equals(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC)) {
        groups.onTxnMarker(ctx, r.tp(), r.producerId(), r.result());
      }
      reply(ctx, from, r, error);
    });
  }

  private static void reply(NodeContext ctx, NodeId to, WriteTxnMarkersRequest r, Errors error) {
    ctx.send(to, new WriteTxnMarkersResponse(r.correlationId(), r.producerId(), r.tp(), error));
  }
}
