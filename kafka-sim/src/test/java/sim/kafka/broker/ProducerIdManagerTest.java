package sim.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Timer;
import sim.core.TimerHandle;
import sim.core.disk.SimDisk;
import sim.kafka.broker.KafkaMessage.AllocateProducerIdsRequest;
import sim.kafka.broker.KafkaMessage.AllocateProducerIdsResponse;
import sim.kafka.broker.KafkaMessage.InitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.InitProducerIdResponse;

/** The broker's producer-id blocks (Kafka's RPCProducerIdManager): hand-out, prefetch at 90 %, resend after a second. */
class ProducerIdManagerTest {
  static final NodeId BROKER = NodeId.of("b1");
  static final NodeId CONTROLLER = NodeId.of("controller");
  static final NodeId CONTROLLER_2 = NodeId.of("controller-2");
  static final NodeId PRODUCER = NodeId.of("producer");

  /** Records what the manager sends and the timers it sets; nothing else is used. */
  static final class Recorder implements NodeContext {
    final List<NodeId> to = new ArrayList<>();
    final List<Message> sent = new ArrayList<>();
    final List<Timer> timers = new ArrayList<>();
    final List<Long> delays = new ArrayList<>();

    @Override public NodeId self() { return BROKER; }
    @Override public long localTimeNanos() { return 0; }
    @Override public void send(NodeId dest, Message m) { to.add(dest); sent.add(m); }
    @Override public TimerHandle setTimer(Timer t, long delayNanos) { timers.add(t); delays.add(delayNanos); return null; }
    @Override public void fsyncThen(List<String> files, Timer done) { throw new UnsupportedOperationException(); }
    @Override public void fsyncBlocking(List<String> files, Timer done) { throw new UnsupportedOperationException(); }
    @Override public SimRandom random(String stream) { throw new UnsupportedOperationException(); }
    @Override public SimDisk disk() { throw new UnsupportedOperationException(); }
    @Override public void point(String name, String detail) {}
    @Override public void point(String name, String detail, Object... attributes) {}
    @Override public void panic(String reason) { throw new AssertionError(reason); }
    @Override public void note(String detail) {}
    @Override public boolean isBroken(String rule) { return false; }

    <T extends Message> List<T> sentOf(Class<T> type) {
      return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private final Recorder ctx = new Recorder();
  private final ControllerTarget target = new ControllerTarget(List.of(CONTROLLER, CONTROLLER_2));
  private final ProducerIdManager ids = new ProducerIdManager(target);
  private int correlation;

  private void init() {
    ids.onInitProducerId(ctx, PRODUCER, new InitProducerIdRequest(correlation++, -1, (short) -1), 7);
  }

  private List<Long> handedOut() {
    return ctx.sentOf(InitProducerIdResponse.class).stream().map(InitProducerIdResponse::producerId).toList();
  }

  @Test
  void firstRequestAsksForABlockAndIsNotAnswered() {
    init();
    assertEquals(List.of(), handedOut(), "no block yet: the producer must ask again");
    List<AllocateProducerIdsRequest> asked = ctx.sentOf(AllocateProducerIdsRequest.class);
    assertEquals(1, asked.size());
    assertEquals(BROKER, asked.get(0).broker());
    assertEquals(7, asked.get(0).brokerEpoch());
    init();
    assertEquals(1, ctx.sentOf(AllocateProducerIdsRequest.class).size(), "one request in flight at a time");
  }

  @Test
  void idsComeOneByOneFromTheBlock() {
    init();
    ids.onAllocateResponse(ctx, new AllocateProducerIdsResponse(Errors.NONE, 5000, ProducerIdManager.PRODUCER_ID_BLOCK_SIZE));
    for (int i = 0; i < 3; i++) init();
    assertEquals(List.of(5000L, 5001L, 5002L), handedOut());
  }

  @Test
  void theNextBlockIsFetchedOnceNinetyPercentIsUsedAndTakenWhenTheBlockRunsOut() {
    int size = ProducerIdManager.PRODUCER_ID_BLOCK_SIZE;
    int threshold = (int) Math.ceil(ProducerIdManager.PID_PREFETCH_THRESHOLD * size);
    init();
    ids.onAllocateResponse(ctx, new AllocateProducerIdsResponse(Errors.NONE, 0, size));
    for (int i = 0; i < threshold - 1; i++) init();
    assertEquals(1, ctx.sentOf(AllocateProducerIdsRequest.class).size(), "below 90 % used: no prefetch yet");
    init();
    assertEquals(2, ctx.sentOf(AllocateProducerIdsRequest.class).size(), "the id that reaches 90 % triggers the prefetch");
    ids.onAllocateResponse(ctx, new AllocateProducerIdsResponse(Errors.NONE, 3000, size));
    for (int i = threshold; i < size; i++) init();
    assertEquals((long) size - 1, handedOut().get(handedOut().size() - 1), "the current block is used up first");
    init();
    assertEquals(3000L, handedOut().get(handedOut().size() - 1), "then the prefetched block");
    assertEquals(size + 1, handedOut().stream().distinct().count(), "no id twice");
  }

  @Test
  void anUnansweredRequestIsSentAgainAfterASecondToTheControllerThenKnown() {
    init();
    assertEquals(1, ctx.timers.size());
    assertEquals(sim.core.Durations.millis(ProducerIdManager.ALLOCATE_RETRY_MS), ctx.delays.get(0));
    target.onAnswer(ctx, CONTROLLER, new KafkaMessage.NotController(CONTROLLER_2));
    ids.onRetry(ctx, (ProducerIdManager.AllocateRetry) ctx.timers.get(0), 7);
    List<AllocateProducerIdsRequest> asked = ctx.sentOf(AllocateProducerIdsRequest.class);
    assertEquals(2, asked.size(), "resent once the retry timer fires");
    int second = ctx.sent.lastIndexOf(asked.get(1));
    assertEquals(CONTROLLER_2, ctx.to.get(second), "to the controller NOT_CONTROLLER pointed at");
  }

  @Test
  void anAnsweredRequestIsNotResentAndALateRetryTimerIsIgnored() {
    init();
    ids.onAllocateResponse(ctx, new AllocateProducerIdsResponse(Errors.NONE, 0, 10));
    ids.onRetry(ctx, (ProducerIdManager.AllocateRetry) ctx.timers.get(0), 7);
    assertEquals(1, ctx.sentOf(AllocateProducerIdsRequest.class).size());
  }

  @Test
  void aNotControllerAnswerLeavesTheRequestToTheRetry() {
    init();
    ids.onAllocateResponse(ctx, new AllocateProducerIdsResponse(Errors.NOT_CONTROLLER, -1, 0));
    init();
    assertTrue(handedOut().isEmpty());
    assertEquals(1, ctx.sentOf(AllocateProducerIdsRequest.class).size(), "still in flight until the retry timer");
    ids.onRetry(ctx, (ProducerIdManager.AllocateRetry) ctx.timers.get(0), 7);
    assertEquals(2, ctx.sentOf(AllocateProducerIdsRequest.class).size());
  }

  @Test
  void anEpochBumpOfAKnownIdNeedsNoBlock() {
    ids.onInitProducerId(ctx, PRODUCER, new InitProducerIdRequest(0, 42, (short) 3), 7);
    InitProducerIdResponse r = ctx.sentOf(InitProducerIdResponse.class).get(0);
    assertEquals(42, r.producerId());
    assertEquals(4, r.producerEpoch());
    assertTrue(ctx.sentOf(AllocateProducerIdsRequest.class).isEmpty());
  }
}
