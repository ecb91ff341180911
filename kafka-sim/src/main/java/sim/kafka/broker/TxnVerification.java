package sim.kafka.broker;

import java.util.Set;
import java.util.function.Function;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.log.Log;
import sim.kafka.log.ProducerStateManager.VerificationGuard;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.RecordBatches;

/**
 * KIP-890 part 1 at the partition leader ({@code ReplicaManager.maybeStartTransactionVerificationForPartition}): before
 * the first transactional batch of a producer's transaction is appended — the producer has no transaction open in the
 * log — the leader creates the producer's verification entry and asks the transaction coordinator (AddPartitionsToTxn
 * v4, {@code verifyOnly=true}, through {@link AddPartitionsToTxnManager}) whether the partition is in the producer's
 * ongoing transaction. Only a verified append goes on, and only with the entry's guard: a marker or another
 * transactional batch in between clears the entry, and the append is refused INVALID_TXN_STATE. Used by produce
 * requests ({@link LeaderReplication}) and by the group coordinator's TxnOffsetCommit writes.
 */
final class TxnVerification {
  interface Verified {
    void run(NodeContext ctx, VerificationGuard guard);
  }

  interface Failed {
    void run(NodeContext ctx, Errors error);
  }

  private final KafkaConfig config;
  private final RuleBreaks breaks;
  private final Function<String, NodeId> coordinatorOf;
  final AddPartitionsToTxnManager manager = new AddPartitionsToTxnManager();

  /** {@code coordinatorOf}: the leader of the transactional id's __transaction_state partition in this broker's metadata. */
  TxnVerification(KafkaConfig config, RuleBreaks breaks, Function<String, NodeId> coordinatorOf) {
    this.config = config;
    this.breaks = breaks;
    this.coordinatorOf = coordinatorOf;
  }

  /** {@code transaction.partition.verification.enable}, unless the rule is broken. */
  boolean enabled() {
    return config.transactionPartitionVerificationEnable() && !breaks.skipTxnVerification();
  }

  /**
   * Starts a verification if one is needed; true if it did (the caller waits: {@code ok} or {@code failed} is called
   * later, with the coordinator's error as {@link AddPartitionsToTxnManager} maps it).
   */
  boolean maybeStart(NodeContext ctx, Log log, TopicPartition tp, String transactionalId, long producerId, short producerEpoch,
      int baseSequence, Verified ok, Failed failed) {
    if (transactionalId == null || !enabled()) return false;
    VerificationGuard guard = log.producers().maybeStartTransactionVerification(producerId, baseSequence, producerEpoch, ctx.localTimeMs());
    if (guard == null) return false;
    ctx.note(tp + ": producer " + producerId + " epoch " + producerEpoch + " has no transaction open here; verifying with "
        + transactionalId + "'s coordinator (guard " + guard.id() + ")");
    manager.verifyTransaction(ctx, coordinatorOf.apply(transactionalId), transactionalId, producerId, producerEpoch, Set.of(tp),
        (c, unverified) -> {
          Errors e = unverified.get(tp);
          if (e == null) ok.run(c, guard);
          else failed.run(c, e);
        });
    return true;
  }

  /**
   * The append's check ({@code batchMissingRequiredVerification}): a transactional batch of a producer with no
   * transaction open must carry the producer's current guard.
   */
  boolean missingVerification(Log log, sim.kafka.record.BatchHeader h, VerificationGuard guard) {
    return enabled() && log.producers().missingRequiredVerification(h, guard);
  }

  /**
   * A TxnOffsetCommit's records as one transactional batch of the producer on the offsets partition the broker leads
   * ({@code CoordinatorRuntime.scheduleTransactionalWriteOperation}: verify, then append with the guard).
   */
  void appendTxnOffsets(NodeContext ctx, LeaderReplication leader, java.util.function.Supplier<Partition> partition, TopicPartition tp,
      String transactionalId, long producerId, short producerEpoch, java.util.List<sim.kafka.record.LogRecord> records,
      java.util.function.Consumer<Errors> done) {
    Partition p = partition.get();
    if (maybeStart(ctx, p.log, tp, transactionalId, producerId, producerEpoch, RecordBatches.NO_SEQUENCE,
        (c, g) -> appendOffsets(c, leader, partition.get(), producerId, producerEpoch, records, done, g), (c, e) -> done.accept(e))) {
      return;
    }
    appendOffsets(ctx, leader, p, producerId, producerEpoch, records, done, null);
  }

  /**
   * The epoch-only check of a coordinator's append ({@code checkCoordinatorAppend}): an older epoch is refused
   * INVALID_PRODUCER_EPOCH as a zombie's data would be; then the guard, as for a produce request.
   */
  private void appendOffsets(NodeContext ctx, LeaderReplication leader, Partition p, long producerId, short producerEpoch,
      java.util.List<sim.kafka.record.LogRecord> records, java.util.function.Consumer<Errors> done, VerificationGuard guard) {
    if (p == null || p.role != Partition.Role.LEADER) {
      done.accept(Errors.NOT_LEADER_OR_FOLLOWER);
      return;
    }
    if (p.log.producers().checkCoordinatorAppend(producerId, producerEpoch) != sim.kafka.log.ProducerStateManager.Verdict.APPEND) {
      done.accept(Errors.INVALID_PRODUCER_EPOCH);
      return;
    }
    if (enabled() && p.log.producers().missingRequiredVerification(producerId, guard)) {
      ctx.point("kafka.leader.txn-unverified", p.tp + ": TxnOffsetCommit batch of producer " + producerId + " refused INVALID_TXN_STATE: "
          + "not verified as part of an ongoing transaction", "partition", p.tp.toString(), "producerId", producerId, "error", "INVALID_TXN_STATE");
      done.accept(Errors.INVALID_TXN_STATE);
      return;
    }
    leader.appendInternal(ctx, p, ControlBatches.transactional(0, RecordBatches.NO_PARTITION_LEADER_EPOCH,
        new RecordBatches.ProducerFields(producerId, producerEpoch, 0), records), done);
  }

  /**
   * {@code handleProduceAppend}'s translation for the producer: retriable coordinator errors older clients might not
   * retry become NOT_ENOUGH_REPLICAS (no metadata refresh); the rest is returned as is.
   */
  static Errors produceError(Errors e) {
    return switch (e) {
      case CONCURRENT_TRANSACTIONS, NETWORK_EXCEPTION, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR ->
          Errors.NOT_ENOUGH_REPLICAS;
      default -> e;
    };
  }
}
