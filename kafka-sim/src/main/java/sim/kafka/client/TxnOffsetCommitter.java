package sim.kafka.client;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import sim.core.Durations;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.FindCoordinatorRequest;
import sim.kafka.broker.KafkaMessage.FindCoordinatorResponse;
import sim.kafka.broker.KafkaMessage.TxnOffsetCommitRequest;
import sim.kafka.broker.KafkaMessage.TxnOffsetCommitResponse;
import sim.kafka.broker.TopicPartition;

/**
 * The TxnOffsetCommit half of {@code sendOffsetsToTransaction} (kafka-clients' {@code TxnOffsetCommitHandler}), sent
 * once AddOffsetsToTxn succeeded: to the group's coordinator (FindCoordinator, key type GROUP), retried on retriable
 * errors, the coordinator looked up again on COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR or REQUEST_TIMED_OUT;
 * INVALID_PRODUCER_EPOCH or PRODUCER_FENCED is fatal for the producer (ProducerFencedException).
 */
final class TxnOffsetCommitter {
  record Retry(long attempt) implements Timer {}

  record Timeout(long correlationId) implements Timer {}

  private final List<NodeId> bootstrap;
  private final LongSupplier correlationIds;
  private final long retryBackoffMs;
  private final long requestTimeoutMs;
  private NodeId coordinator;
  private TxnOffsetCommitRequest pending;
  private Consumer<Errors> done;
  private long inFlight = -1;
  private long attempt;
  private int bootstrapIndex;

  TxnOffsetCommitter(List<NodeId> bootstrap, LongSupplier correlationIds, long retryBackoffMs, long requestTimeoutMs) {
    this.bootstrap = List.copyOf(bootstrap);
    this.correlationIds = correlationIds;
    this.retryBackoffMs = retryBackoffMs;
    this.requestTimeoutMs = requestTimeoutMs;
  }

  /** Commits {@code offsets} of {@code groupId} in the producer's transaction; {@code then} gets NONE or the fatal error. */
  void commit(NodeContext ctx, String transactionalId, long producerId, short producerEpoch, String groupId,
      Map<TopicPartition, Long> offsets, Consumer<Errors> then) {
    pending = new TxnOffsetCommitRequest(-1, transactionalId, groupId, producerId, producerEpoch, -1, "", offsets);
    done = then;
    send(ctx);
  }

  /** Forgets what is in flight (the transaction ended some other way). */
  void cancel() {
    pending = null;
    inFlight = -1;
    attempt++;
  }

  private void send(NodeContext ctx) {
    if (pending == null) return;
    long id = correlationIds.getAsLong();
    inFlight = id;
    if (coordinator == null) {
      ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new FindCoordinatorRequest(id, pending.groupId()));
    } else {
      TxnOffsetCommitRequest p = pending;
      ctx.send(coordinator, new TxnOffsetCommitRequest(id, p.transactionalId(), p.groupId(), p.producerId(), p.producerEpoch(),
          p.generationId(), p.memberId(), p.offsets()));
    }
    ctx.setTimer(new Timeout(id), Durations.millis(requestTimeoutMs));
  }

  private void retry(NodeContext ctx, boolean lookup) {
    inFlight = -1;
    if (lookup) coordinator = null;
    ctx.setTimer(new Retry(++attempt), Durations.millis(retryBackoffMs));
  }

  /** Whether {@code m} was this committer's (a response to its request, or one of its timers). */
  boolean onMessage(NodeContext ctx, Message m) {
    if (m instanceof FindCoordinatorResponse r && r.correlationId() == inFlight) {
      if (r.error() == Errors.NONE && r.coordinator() != null) {
        coordinator = r.coordinator();
        send(ctx);
      } else {
        retry(ctx, true);
      }
      return true;
    }
    if (!(m instanceof TxnOffsetCommitResponse r) || r.correlationId() != inFlight) return m instanceof TxnOffsetCommitResponse;
    switch (r.error()) {
      case NONE, INVALID_PRODUCER_EPOCH, PRODUCER_FENCED -> finish(r.error());
      case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, REQUEST_TIMED_OUT -> retry(ctx, true);
      default -> {
        if (r.error().retriable) retry(ctx, false);
        else finish(r.error()); // abortable (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID): the transaction must abort
      }
    }
    return true;
  }

  private void finish(Errors e) {
    Consumer<Errors> then = done;
    cancel();
    then.accept(e);
  }

  boolean onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Retry r) {
      if (r.attempt() == attempt) send(ctx);
      return true;
    }
    if (t instanceof Timeout to) {
      if (to.correlationId() == inFlight) retry(ctx, true);
      return true;
    }
    return false;
  }

  void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (peer.equals(coordinator) && inFlight >= 0) retry(ctx, true);
    else if (peer.equals(coordinator)) coordinator = null;
  }
}
