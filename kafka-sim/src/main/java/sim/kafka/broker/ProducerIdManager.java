package sim.kafka.broker;

import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.KafkaMessage.AllocateProducerIdsRequest;
import sim.kafka.broker.KafkaMessage.AllocateProducerIdsResponse;
import sim.kafka.broker.KafkaMessage.InitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.InitProducerIdResponse;

/**
 * A KRaft broker's producer ids, Kafka's {@code RPCProducerIdManager}: ids are handed out one by one from a block
 * ({@code ProducerIdsBlock}, {@link #PRODUCER_ID_BLOCK_SIZE} ids) the active controller allocated with AllocateProducerIds;
 * once 90% of the current block is used the next block is fetched ahead. With no id left the request is not answered
 * (Kafka answers COORDINATOR_LOAD_IN_PROGRESS) and the producer asks again. A restarted broker starts with no block: ids of
 * the old one's block are never reused, which is what keeps them unique across the cluster.
 */
public final class ProducerIdManager {
  /** Kafka's {@code ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE}. */
  public static final int PRODUCER_ID_BLOCK_SIZE = 1000;
  /** Kafka's {@code ProducerIdManager.PidPrefetchThreshold}: the share of a block used before the next is requested. */
  static final double PID_PREFETCH_THRESHOLD = 0.90;
  /** How long an AllocateProducerIds request may go unanswered before it is sent again (to the controller then known). */
  static final long ALLOCATE_RETRY_MS = 1000;

  /** The retry timer of one AllocateProducerIds request. */
  public record AllocateRetry(long attempt) implements Timer {}

  private final ControllerTarget controller;
  private long blockStart = -1;
  private long blockEnd = -1;
  private long nextId = -1;
  private long nextBlockStart = -1;
  private int nextBlockLen;
  private boolean requesting;
  private long attempt;

  ProducerIdManager(ControllerTarget controller) {
    this.controller = controller;
  }

  /** An idempotent producer's InitProducerId; an epoch bump of a known id needs no new id. */
  void onInitProducerId(NodeContext ctx, NodeId from, InitProducerIdRequest r, long incarnationId) {
    if (r.producerId() >= 0 && r.producerEpoch() < Short.MAX_VALUE) {
      ctx.send(from, new InitProducerIdResponse(r.correlationId(), r.producerId(), (short) (r.producerEpoch() + 1)));
      return;
    }
    if (nextId >= blockEnd && nextBlockStart >= 0) useNextBlock(ctx);
    if (nextId < 0 || nextId >= blockEnd) {
      requestBlock(ctx, incarnationId);
      ctx.note("InitProducerId from " + from + ": no producer id block yet (COORDINATOR_LOAD_IN_PROGRESS), asking the controller");
      return;
    }
    long id = nextId++;
    ctx.point("kafka.broker.producer-id", ctx.self() + " hands producer id " + id + " to " + from + " from its block [" + blockStart
        + ", " + blockEnd + ")", "producerId", id, "client", from.name());
    ctx.send(from, new InitProducerIdResponse(r.correlationId(), id, (short) 0));
    if (nextId - blockStart >= PID_PREFETCH_THRESHOLD * (blockEnd - blockStart)) requestBlock(ctx, incarnationId);
  }

  void onAllocateResponse(NodeContext ctx, AllocateProducerIdsResponse r) {
    if (!requesting || r.error() != Errors.NONE) return;
    requesting = false;
    attempt++;
    nextBlockStart = r.producerIdStart();
    nextBlockLen = r.producerIdLen();
    if (nextId < 0 || nextId >= blockEnd) useNextBlock(ctx);
  }

  void onRetry(NodeContext ctx, AllocateRetry t, long incarnationId) {
    if (!requesting || t.attempt() != attempt) return;
    requesting = false;
    attempt++;
    requestBlock(ctx, incarnationId);
  }

  private void requestBlock(NodeContext ctx, long incarnationId) {
    if (requesting || nextBlockStart >= 0) return;
    requesting = true;
    controller.send(ctx, new AllocateProducerIdsRequest(ctx.self(), incarnationId));
    ctx.setTimer(new AllocateRetry(attempt), Durations.millis(ALLOCATE_RETRY_MS));
  }

  private void useNextBlock(NodeContext ctx) {
    blockStart = nextBlockStart;
    blockEnd = nextBlockStart + nextBlockLen;
    nextId = blockStart;
    nextBlockStart = -1;
    ctx.point("kafka.broker.producer-id-block", ctx.self() + " takes producer id block [" + blockStart + ", " + blockEnd + ")",
        "start", blockStart, "end", blockEnd);
  }
}
