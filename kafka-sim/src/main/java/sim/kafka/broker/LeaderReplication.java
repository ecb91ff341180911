package sim.kafka.broker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.disk.SimIOException;
import sim.kafka.broker.BrokerTimer.AlterPartitionTimeout;
import sim.kafka.broker.BrokerTimer.ParkedFetchExpired;
import sim.kafka.broker.BrokerTimer.ProduceTimeout;
import sim.kafka.broker.KafkaMessage.AlterPartition;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochRequest;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochResponse;
import sim.kafka.broker.KafkaMessage.ProduceRequest;
import sim.kafka.broker.KafkaMessage.ProduceResponse;
import sim.kafka.log.LeaderEpochCache;
import sim.kafka.log.ProducerStateManager;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.RecordBatches;

/**
 * The leader side of a broker's partitions (Kafka's {@code ReplicaManager} with {@code Partition}'s leader
 * half): validate and append produce requests, answer follower and consumer fetches, move the high watermark,
 * shrink and expand the ISR through the controller, and complete the delayed produces and fetches waiting in
 * purgatory.
 */
final class LeaderReplication {
  private final KafkaConfig config;
  private final RuleBreaks breaks;
  private final ControllerTarget controller;
  private final long incarnationId;
  private long nextId;

  /** {@code incarnationId} goes with every AlterPartition, like Kafka's broker epoch. */
  LeaderReplication(KafkaConfig config, RuleBreaks breaks, ControllerTarget controller, long incarnationId) {
    this.config = config;
    this.breaks = breaks;
    this.controller = controller;
    this.incarnationId = incarnationId;
  }

  void becomeLeader(NodeContext ctx, Partition p) {
    p.role = Partition.Role.LEADER;
    p.generation++;
    p.phase = Partition.FollowerPhase.IDLE;
    p.awaitingFlush = false;
    p.fetchCorrelationId = -1;
    p.leaderEpochStartOffset = p.logEndOffset();
    p.log.epochs().assign(p.leaderEpoch(), p.logEndOffset());
    p.clampHighWatermark();
    p.maximalIsr = p.state.isr();
    p.alterInFlight = false;
    p.followers.clear();
    long now = ctx.localTimeMs();
    for (NodeId r : p.state.replicas()) {
      if (r.equals(ctx.self())) continue;
      Partition.FollowerState f = new Partition.FollowerState();
      if (p.state.isr().contains(r)) f.lastCaughtUpTimeMs = now;
      p.followers.put(r, f);
    }
    ctx.note(p.tp + ": becomes leader in epoch " + p.leaderEpoch() + " at LEO " + p.logEndOffset() + ", HW " + p.highWatermark + ", ISR " + p.state.isr());
    maybeIncrementHighWatermark(ctx, p);
  }

  // ---- produce ----

  /** KIP-890's verification before a transaction's first batch; set by the broker. */
  TxnVerification verification;

  void onProduce(NodeContext ctx, Partition p, NodeId from, ProduceRequest r) {
    onProduce(ctx, p, from, r, null);
  }

  /**
   * {@code guard}: null on arrival; the verification entry's guard when the transaction coordinator verified the
   * partition ({@code handleProduceAppend}'s postVerificationCallback runs the append path again with it).
   */
  void onProduce(NodeContext ctx, Partition p, NodeId from, ProduceRequest r, ProducerStateManager.VerificationGuard guard) {
    if (p == null || p.role != Partition.Role.LEADER) {
      reply(ctx, from, r, Errors.NOT_LEADER_OR_FOLLOWER, -1, p == null ? -1 : p.leaderEpoch());
      return;
    }
    if (r.acks() == -1 && p.state.isr().size() < config.minInsyncReplicas() && !breaks.ignoreMinInsync()) {
      ctx.note(r.tp() + ": NOT_ENOUGH_REPLICAS: ISR " + p.state.isr() + " smaller than min.insync.replicas=" + config.minInsyncReplicas());
      reply(ctx, from, r, Errors.NOT_ENOUGH_REPLICAS, -1, p.leaderEpoch());
      return;
    }
    byte[] batch = r.records().bytes();
    BatchHeader h;
    try {
      h = RecordBatches.validate(batch, 0, batch.length);
    } catch (CorruptRecordException e) {
      reply(ctx, from, r, Errors.CORRUPT_MESSAGE, -1, p.leaderEpoch());
      return;
    }
    if (guard == null && h.isTransactional() && verification.maybeStart(ctx, p.log, r.tp(), r.transactionalId(), h.producerId(),
        h.producerEpoch(), h.baseSequence(), (c, g) -> onProduce(c, p, from, r, g), (c, e) -> refuseUnverified(c, p, from, r, e))) {
      return;
    }
    ProducerStateManager.Check verdict = p.log.producers().check(h);
    if (verdict.verdict() == ProducerStateManager.Verdict.DUPLICATE) {
      ctx.note(r.tp() + ": duplicate batch from producer " + h.producerId() + " seq " + h.baseSequence() + ", already at offset " + verdict.duplicateOffset());
      awaitAcks(ctx, p, from, r, verdict.duplicateOffset(), verdict.duplicateOffset() + h.lastOffsetDelta() + 1);
      return;
    }
    if (verdict.verdict() != ProducerStateManager.Verdict.APPEND) {
      reply(ctx, from, r, Errors.valueOf(verdict.verdict().name()), -1, p.leaderEpoch());
      return;
    }
    if (verification.missingVerification(p.log, h, guard)) {
      refuseUnverified(ctx, p, from, r, Errors.INVALID_TXN_STATE);
      return;
    }
    long baseOffset = p.logEndOffset();
    if (!append(ctx, p, from, r, batch, baseOffset)) return;
    long required = baseOffset + h.lastOffsetDelta() + 1;
    ctx.point("kafka.leader.append", r.tp() + " offsets " + baseOffset + ".." + (required - 1) + " in epoch " + p.leaderEpoch()
            + ", LEO now " + p.logEndOffset() + ", acks=" + (r.acks() == -1 ? "all" : r.acks()),
        "partition", r.tp().toString(), "baseOffset", baseOffset, "lastOffset", required - 1, "leaderEpoch", p.leaderEpoch(),
        "logEndOffset", p.logEndOffset(), "acks", (int) r.acks());
    completeParkedFetches(ctx, p);
    maybeIncrementHighWatermark(ctx, p);
    awaitAcks(ctx, p, from, r, baseOffset, required);
  }

  /** The verification failed, or its guard is stale: the batch is not appended (kafka.leader.txn-unverified). */
  private void refuseUnverified(NodeContext ctx, Partition p, NodeId from, ProduceRequest r, Errors coordinatorError) {
    Errors e = TxnVerification.produceError(coordinatorError);
    ctx.point("kafka.leader.txn-unverified", r.tp() + ": transactional batch of " + r.transactionalId() + " refused " + e
            + (e != coordinatorError ? " (" + coordinatorError + ")" : "") + ": not verified as part of an ongoing transaction",
        "partition", r.tp().toString(), "transactionalId", String.valueOf(r.transactionalId()), "error", e.name());
    reply(ctx, from, r, e, -1, p.leaderEpoch());
  }

  /** Stamps the leader's offset and epoch into the fields the CRC does not cover and appends. */
  private boolean append(NodeContext ctx, Partition p, NodeId from, ProduceRequest r, byte[] batch, long baseOffset) {
    byte[] stamped = batch.clone();
    RecordBatches.stamp(stamped, 0, baseOffset, p.leaderEpoch());
    try {
      p.log.appendValidated(stamped, RecordBatches.header(stamped, 0));
      return true;
    } catch (SimIOException e) {
      ctx.note(r.tp() + ": append failed: " + e.getMessage());
      reply(ctx, from, r, Errors.KAFKA_STORAGE_ERROR, -1, p.leaderEpoch());
      return false;
    }
  }

  /**
   * acks=0: no answer; acks=1: answer now, or once the flush a set {@code flush.messages} asked for returned;
   * acks=all: once the high watermark passes the batch.
   */
  private void awaitAcks(NodeContext ctx, Partition p, NodeId from, ProduceRequest r, long baseOffset, long required) {
    if (r.acks() == 0) return;
    if (r.acks() == 1 && !p.log.awaitsFlush(required)) {
      reply(ctx, from, r, Errors.NONE, baseOffset, p.leaderEpoch());
      return;
    }
    Partition.DelayedProduce d = new Partition.DelayedProduce(nextId++, from, r.correlationId(), r.acks(), baseOffset, required);
    p.delayedProduces.add(d);
    if (r.acks() == -1) ctx.setTimer(new ProduceTimeout(r.tp(), d.id()), Durations.millis(r.timeoutMs()));
    completeDelayedProduces(ctx, p);
  }

  /**
   * A write of the broker's own (the group coordinator's) to a partition it leads: appended as a producer's
   * batch would be, {@code done} told once the high watermark passes it (acks=all) or it fails; it times out
   * after {@code offsets.commit.timeout.ms} (5000).
   */
  void appendInternal(NodeContext ctx, Partition p, byte[] batch, java.util.function.Consumer<Errors> done) {
    if (p.state.isr().size() < config.minInsyncReplicas() && !breaks.ignoreMinInsync()) {
      done.accept(Errors.NOT_ENOUGH_REPLICAS);
      return;
    }
    long baseOffset = p.logEndOffset();
    byte[] stamped = batch.clone();
    RecordBatches.stamp(stamped, 0, baseOffset, p.leaderEpoch());
    BatchHeader h = RecordBatches.header(stamped, 0);
    try {
      p.log.appendValidated(stamped, h);
    } catch (SimIOException e) {
      done.accept(Errors.KAFKA_STORAGE_ERROR);
      return;
    }
    long required = h.nextOffset();
    ctx.point("kafka.leader.append", p.tp + " offsets " + baseOffset + ".." + (required - 1) + " in epoch " + p.leaderEpoch()
            + ", LEO now " + p.logEndOffset() + ", the coordinator's own write",
        "partition", p.tp.toString(), "baseOffset", baseOffset, "lastOffset", required - 1, "leaderEpoch", p.leaderEpoch(),
        "logEndOffset", p.logEndOffset(), "acks", -1);
    Partition.DelayedProduce d = new Partition.DelayedProduce(nextId++, ctx.self(), -1, (short) -1, baseOffset, required, done);
    p.delayedProduces.add(d);
    ctx.setTimer(new ProduceTimeout(p.tp, d.id()), Durations.millis(5000));
    completeParkedFetches(ctx, p);
    maybeIncrementHighWatermark(ctx, p);
    completeDelayedProduces(ctx, p);
  }

  private static void reply(NodeContext ctx, NodeId to, ProduceRequest r, Errors error, long baseOffset, int leaderEpoch) {
    if (r.acks() == 0) return; // acks=0: Kafka sends no response at all
    ctx.send(to, new ProduceResponse(r.correlationId(), r.tp(), error, baseOffset, leaderEpoch));
  }

  /**
   * acks=all: done when the HW passes the batch; then min.insync.replicas is checked against the ISR. Either
   * kind waits for a flush its append asked for ({@code flush.messages}).
   */
  void completeDelayedProduces(NodeContext ctx, Partition p) {
    for (Iterator<Partition.DelayedProduce> it = p.delayedProduces.iterator(); it.hasNext(); ) {
      Partition.DelayedProduce d = it.next();
      Errors error;
      if (d.acks() == 1) {
        if (p.log.awaitsFlush(d.requiredOffset())) continue;
        error = Errors.NONE; // the append itself succeeded; only its flush was awaited
      } else if (p.role != Partition.Role.LEADER) {
        error = Errors.NOT_LEADER_OR_FOLLOWER;
      } else if (p.highWatermark < d.requiredOffset() || p.log.awaitsFlush(d.requiredOffset())) {
        continue;
      } else if (p.state.isr().size() < config.minInsyncReplicas() && !breaks.ignoreMinInsync()) {
        error = Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
      } else {
        error = Errors.NONE;
      }
      it.remove();
      if (d.internal() != null) d.internal().accept(error);
      else ctx.send(d.client(), new ProduceResponse(d.correlationId(), p.tp, error, error == Errors.NONE ? d.baseOffset() : -1, p.leaderEpoch()));
    }
  }

  void expireProduce(NodeContext ctx, Partition p, ProduceTimeout t) {
    for (Iterator<Partition.DelayedProduce> it = p.delayedProduces.iterator(); it.hasNext(); ) {
      Partition.DelayedProduce d = it.next();
      if (d.id() != t.id()) continue;
      it.remove();
      ctx.note(t.tp() + ": acks=all produce at offset " + d.baseOffset() + " timed out waiting for the ISR (HW " + p.highWatermark + ")");
      if (d.internal() != null) d.internal().accept(Errors.REQUEST_TIMED_OUT);
      else ctx.send(d.client(), new ProduceResponse(d.correlationId(), p.tp, Errors.REQUEST_TIMED_OUT, -1, p.leaderEpoch()));
    }
  }

  // ---- fetch ----

  void onFetch(NodeContext ctx, Partition p, NodeId from, FetchRequest r) {
    Errors error = fetchError(p, r);
    if (error != Errors.NONE) {
      ctx.send(from, new FetchResponse(r.correlationId(), r.tp(), error, -1, p == null ? -1 : p.leaderEpoch(), Records.EMPTY,
          p == null ? -1 : p.log.logStartOffset()));
      return;
    }
    if (r.replica() == null) {
      serveConsumer(ctx, p, from, r);
      return;
    }
    Partition.FollowerState f = p.followers.get(r.replica());
    f.onFetch(r.fetchOffset(), p.logEndOffset(), ctx.localTimeMs());
    maybeExpandIsr(ctx, p, r.replica(), f);
    maybeIncrementHighWatermark(ctx, p);
    if (r.fetchOffset() < p.logEndOffset()) {
      sendFollowerData(ctx, p, from, r);
    } else {
      Partition.ParkedFetch parked = new Partition.ParkedFetch(nextId++, from, r);
      p.parkedFetches.add(parked);
      ctx.setTimer(new ParkedFetchExpired(r.tp(), parked.id()), Durations.millis(config.replicaFetchWaitMaxMs()));
    }
  }

  /**
   * A consumer (no replica id) only gets whole batches below the high watermark; a read_committed one only below the
   * last stable offset, with the aborted transactions its batches overlap ({@code .txnindex}), as Kafka's
   * {@code UnifiedLog.read} with {@code FetchIsolation.TXN_COMMITTED}.
   */
  private void serveConsumer(NodeContext ctx, Partition p, NodeId from, FetchRequest r) {
    if (r.isolationLevel() == KafkaMessage.READ_COMMITTED) {
      serveReadCommitted(ctx, p, from, r);
      return;
    }
    byte[] data = p.log.read(r.fetchOffset(), p.highWatermark, r.maxBytes());
    Records records = new Records(data);
    if (!records.isEmpty()) {
      long last = records.lastOffset();
      ctx.point("kafka.consumer.fetch", r.tp() + " offsets " + r.fetchOffset() + ".." + last + " to " + from + ", below HW " + p.highWatermark,
          "partition", r.tp().toString(), "fetchOffset", r.fetchOffset(), "lastOffset", last, "highWatermark", p.highWatermark,
          "leaderEpoch", p.leaderEpoch());
    }
    ctx.send(from, new FetchResponse(r.correlationId(), r.tp(), Errors.NONE, p.highWatermark, p.leaderEpoch(), records, p.log.logStartOffset()));
  }

  private void serveReadCommitted(NodeContext ctx, Partition p, NodeId from, FetchRequest r) {
    long lso = p.log.lastStableOffset(p.highWatermark);
    // The rule break reads up to the high watermark: records of transactions still open are handed out.
    long bound = breaks.readCommittedIgnoresLso() ? p.highWatermark : lso;
    Records records = new Records(p.log.read(r.fetchOffset(), bound, r.maxBytes()));
    List<sim.kafka.log.TransactionIndex.FetchAborted> aborted = records.isEmpty() ? List.of()
        : p.log.transactionIndex().collectAbortedTxns(r.fetchOffset(), records.lastOffset() + 1);
    if (!records.isEmpty()) {
      long last = records.lastOffset();
      ctx.point("kafka.consumer.fetch", r.tp() + " offsets " + r.fetchOffset() + ".." + last + " to " + from + " (read_committed), below LSO " + lso
              + " (HW " + p.highWatermark + ")" + (aborted.isEmpty() ? "" : ", aborted transactions " + aborted),
          "partition", r.tp().toString(), "fetchOffset", r.fetchOffset(), "lastOffset", last, "highWatermark", p.highWatermark,
          "lastStableOffset", lso, "leaderEpoch", p.leaderEpoch(), "aborted", aborted.size());
    }
    ctx.send(from, new FetchResponse(r.correlationId(), r.tp(), Errors.NONE, p.highWatermark, p.leaderEpoch(), records, p.log.logStartOffset(),
        lso, aborted));
  }

  private Errors fetchError(Partition p, FetchRequest r) {
    if (p == null || p.role != Partition.Role.LEADER) return Errors.NOT_LEADER_OR_FOLLOWER;
    if (r.currentLeaderEpoch() >= 0 && r.currentLeaderEpoch() < p.leaderEpoch()) return Errors.FENCED_LEADER_EPOCH;
    if (r.currentLeaderEpoch() > p.leaderEpoch()) return Errors.UNKNOWN_LEADER_EPOCH;
    if (r.replica() != null && !p.followers.containsKey(r.replica())) return Errors.NOT_LEADER_OR_FOLLOWER;
    // Below the log start offset (retention or DeleteRecords removed it) or past the end: Kafka's OffsetOutOfRange.
    if (r.fetchOffset() > p.logEndOffset() || r.fetchOffset() < p.log.logStartOffset()) return Errors.OFFSET_OUT_OF_RANGE;
    return Errors.NONE;
  }

  private static void sendFollowerData(NodeContext ctx, Partition p, NodeId to, FetchRequest r) {
    byte[] data = p.log.read(r.fetchOffset(), p.logEndOffset(), r.maxBytes());
    ctx.send(to, new FetchResponse(r.correlationId(), r.tp(), Errors.NONE, p.highWatermark, p.leaderEpoch(), new Records(data),
        p.log.logStartOffset()));
  }

  private static void completeParkedFetches(NodeContext ctx, Partition p) {
    List<Partition.ParkedFetch> ready = new ArrayList<>(p.parkedFetches);
    p.parkedFetches.clear();
    for (Partition.ParkedFetch f : ready) {
      if (p.role == Partition.Role.LEADER) sendFollowerData(ctx, p, f.replica(), f.request());
    }
  }

  void expireParkedFetch(NodeContext ctx, Partition p, ParkedFetchExpired t) {
    for (Iterator<Partition.ParkedFetch> it = p.parkedFetches.iterator(); it.hasNext(); ) {
      Partition.ParkedFetch f = it.next();
      if (f.id() != t.id()) continue;
      it.remove();
      if (p.role == Partition.Role.LEADER) sendFollowerData(ctx, p, f.replica(), f.request());
    }
  }

  /** ListOffsets for a consumer: the log start offset (earliest, -2) or the high watermark (latest, -1). */
  void onListOffsets(NodeContext ctx, Partition p, NodeId from, KafkaMessage.ListOffsetsRequest r) {
    if (p == null || p.role != Partition.Role.LEADER) {
      ctx.send(from, new KafkaMessage.ListOffsetsResponse(r.correlationId(), r.tp(), Errors.NOT_LEADER_OR_FOLLOWER, -1));
      return;
    }
    long offset = r.timestamp() == -2 ? p.log.logStartOffset() : p.highWatermark;
    ctx.send(from, new KafkaMessage.ListOffsetsResponse(r.correlationId(), r.tp(), Errors.NONE, offset));
  }

  /**
   * DeleteRecords on the leader (Kafka's {@code ReplicaManager.deleteRecords}): the log start offset moves to the
   * requested offset (-1: the high watermark), never past the high watermark (OFFSET_OUT_OF_RANGE); followers
   * learn it from the next fetch response, and retention deletes the segments below it at its next check.
   */
  void onDeleteRecords(NodeContext ctx, Partition p, NodeId from, KafkaMessage.DeleteRecordsRequest r) {
    if (p == null || p.role != Partition.Role.LEADER) {
      ctx.send(from, new KafkaMessage.DeleteRecordsResponse(r.correlationId(), r.tp(), Errors.NOT_LEADER_OR_FOLLOWER, -1));
      return;
    }
    long offset = r.offset() == -1 ? p.highWatermark : r.offset();
    if (offset < 0 || offset > p.highWatermark) {
      ctx.send(from, new KafkaMessage.DeleteRecordsResponse(r.correlationId(), r.tp(), Errors.OFFSET_OUT_OF_RANGE, p.log.logStartOffset()));
      return;
    }
    long before = p.log.logStartOffset();
    p.log.maybeIncrementLogStartOffset(offset);
    ctx.point("kafka.delete-records", r.tp() + " log start offset " + before + " -> " + p.log.logStartOffset() + " (DeleteRecords to "
            + offset + ", HW " + p.highWatermark + ")",
        "partition", r.tp().toString(), "fromLogStartOffset", before, "logStartOffset", p.log.logStartOffset(), "highWatermark", p.highWatermark);
    ctx.send(from, new KafkaMessage.DeleteRecordsResponse(r.correlationId(), r.tp(), Errors.NONE, p.log.logStartOffset()));
  }

  void onOffsetsForLeaderEpoch(NodeContext ctx, Partition p, NodeId from, OffsetsForLeaderEpochRequest r) {
    Errors error = Errors.NONE;
    if (p == null || p.role != Partition.Role.LEADER) error = Errors.NOT_LEADER_OR_FOLLOWER;
    else if (r.currentLeaderEpoch() < p.leaderEpoch()) error = Errors.FENCED_LEADER_EPOCH;
    else if (r.currentLeaderEpoch() > p.leaderEpoch()) error = Errors.UNKNOWN_LEADER_EPOCH;
    if (error != Errors.NONE) {
      ctx.send(from, new OffsetsForLeaderEpochResponse(r.tp(), error, r.currentLeaderEpoch(), -1, -1));
      return;
    }
    LeaderEpochCache.EpochEnd end = p.log.epochs().endOffsetFor(r.leaderEpoch(), p.logEndOffset());
    ctx.send(from, new OffsetsForLeaderEpochResponse(r.tp(), Errors.NONE, r.currentLeaderEpoch(), end.epoch(), end.endOffset()));
  }

  // ---- high watermark and ISR ----

  void maybeIncrementHighWatermark(NodeContext ctx, Partition p) {
    if (p.role != Partition.Role.LEADER) return;
    long hw = p.computeHighWatermark(ctx.self(), breaks.hwBeforeFollowerFetch());
    if (hw <= p.highWatermark) return;
    long old = p.highWatermark;
    p.highWatermark = hw;
    String why = breaks.hwBeforeFollowerFetch() ? "the leader's own LEO: followers ignored, rule broken" : "min LEO over ISR " + p.maximalIsr;
    ctx.point("kafka.hw.advance", p.tp + " HW " + old + " -> " + hw + " (" + why + ")",
        "partition", p.tp.toString(), "from", old, "to", hw, "isr", p.maximalIsr.toString(), "leaderEpoch", p.leaderEpoch());
    completeDelayedProduces(ctx, p);
  }

  /** A follower that reached the HW and this epoch's start offset rejoins the ISR (through the controller). */
  private void maybeExpandIsr(NodeContext ctx, Partition p, NodeId replica, Partition.FollowerState f) {
    if (p.alterInFlight || p.state.isr().contains(replica)) return;
    if (f.logEndOffset < p.highWatermark || f.logEndOffset < p.leaderEpochStartOffset) return;
    List<NodeId> isr = new ArrayList<>(p.state.isr());
    isr.add(replica);
    isr.sort(null);
    p.maximalIsr = isr;
    ctx.point("kafka.isr.expand", p.tp + " " + replica + " caught up (LEO " + f.logEndOffset + " >= HW " + p.highWatermark + "): propose ISR " + isr,
        "partition", p.tp.toString(), "replica", replica.name(), "isr", isr.toString());
    proposeIsr(ctx, p, isr);
  }

  /** The ISR expiration task: followers not caught up for replica.lag.time.max.ms leave the ISR. */
  void maybeShrinkIsr(NodeContext ctx, Partition p) {
    if (p.role != Partition.Role.LEADER || p.alterInFlight) return;
    long now = ctx.localTimeMs();
    List<NodeId> isr = new ArrayList<>();
    List<NodeId> lagging = new ArrayList<>();
    for (NodeId r : p.state.isr()) {
      Partition.FollowerState f = p.followers.get(r);
      if (f != null && now - f.lastCaughtUpTimeMs > config.replicaLagTimeMaxMs()) lagging.add(r);
      else isr.add(r);
    }
    if (lagging.isEmpty()) return;
    ctx.point("kafka.isr.shrink", p.tp + " " + lagging + " not caught up for replica.lag.time.max.ms=" + config.replicaLagTimeMaxMs()
        + ": propose ISR " + isr, "partition", p.tp.toString(), "lagging", lagging.toString(), "isr", isr.toString());
    proposeIsr(ctx, p, isr);
  }

  private void proposeIsr(NodeContext ctx, Partition p, List<NodeId> isr) {
    p.alterInFlight = true;
    p.alterAttempt++;
    PartitionState s = p.state;
    controller.send(ctx, new AlterPartition(p.alterAttempt, ctx.self(), incarnationId,
        new PartitionState(s.tp(), s.replicas(), s.leader(), s.leaderEpoch(), isr, s.partitionEpoch())));
    ctx.setTimer(new AlterPartitionTimeout(p.tp, p.alterAttempt), Durations.seconds(5));
  }

  void expireAlterPartition(Partition p, AlterPartitionTimeout a) {
    if (p.alterInFlight && p.alterAttempt == a.attempt()) p.alterInFlight = false;
  }
}
