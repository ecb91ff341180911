package sim.kafka.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.FindCoordinatorRequest;
import sim.kafka.broker.KafkaMessage.FindCoordinatorResponse;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.KafkaMessage.OffsetCommitRequest;
import sim.kafka.broker.KafkaMessage.OffsetFetchRequest;
import sim.kafka.broker.KafkaMessage.OffsetFetchResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;

/**
 * An exactly-once stream processor (the consume-transform-produce loop of Kafka's transactional examples, Kafka
 * Streams' {@code processing.guarantee=exactly_once_v2} in miniature): it {@code assign()}s every partition of the input
 * topic, reads with {@code isolation.level=read_committed}, and turns each batch of records it polled into one
 * transaction of its {@link TransactionalProducer}: the transformed records to the output topic and, with
 * {@code sendOffsetsToTransaction}, the input positions as group {@code groupId}'s offsets — so the output and the
 * progress commit or abort together. It starts (and restarts, after a crash, an abort or being fenced) from the group's
 * committed offsets, fetched with {@code requireStable} so that an offset a transaction is still settling is waited for
 * ({@code UNSTABLE_OFFSET_COMMIT}) instead of read stale; its InitProducerId fences a previous instance (a zombie).
 *
 * <p>{@code autoCommitBreak}: the rule broken — offsets left to the consumer's auto-commit ({@code enable.auto.commit},
 * every {@code auto.commit.interval.ms}) outside the transaction, so a crash between the two repeats or skips output.
 */
public final class ConsumeTransformProduce implements Node, TxnSource {
  /** The application's settings: topics, group, records per transaction ({@code max.poll.records}), the auto-commit break. */
  public record Config(String inputTopic, int inputPartitions, String groupId, int outputPartitions, int maxRecordsPerTxn,
      boolean autoCommitBreak, long autoCommitIntervalMs) {
    public Config withAutoCommitBreak(boolean on) {
      return new Config(inputTopic, inputPartitions, groupId, outputPartitions, maxRecordsPerTxn, on, autoCommitIntervalMs);
    }
  }

  private record Poll() implements Timer {}

  private record FetchOffsets(long attempt) implements Timer {}

  private record AutoCommit() implements Timer {}

  private record Polled(int partition, long offset, String value) {}

  private static final long POLL_MS = 100;
  private static final long RETRY_BACKOFF_MS = 100;

  private final Config config;
  private final List<NodeId> bootstrap;
  private final PartitionPoller input;
  private final TransactionalProducer producer;
  /** Records polled and not yet handed to a transaction, in poll order. */
  private final ArrayDeque<Polled> buffer = new ArrayDeque<>();
  /** Positions after what was handed to transactions: what auto-commit would commit. */
  private final TreeMap<TopicPartition, Long> consumed = new TreeMap<>();
  private NodeId groupCoordinator;
  private boolean positionsKnown;
  private long offsetsRequest = -1;
  private long attempt;
  private long nextCorrelationId = 1L << 40;
  private int bootstrapIndex;

  public ConsumeTransformProduce(Config config, TransactionalProducerConfig producer, List<NodeId> bootstrap, TxnLedger ledger) {
    this.config = config;
    this.bootstrap = List.copyOf(bootstrap);
    this.input = new PartitionPoller(config.inputTopic(), config.inputPartitions(), bootstrap);
    this.producer = new TransactionalProducer(producer, bootstrap, ledger, this);
  }

  @Override
  public void start(NodeContext ctx) {
    producer.start(ctx);
    input.start();
    fetchCommittedOffsets(ctx);
    ctx.setTimer(new Poll(), Durations.millis(POLL_MS));
    if (config.autoCommitBreak()) ctx.setTimer(new AutoCommit(), Durations.millis(config.autoCommitIntervalMs()));
  }

  // ---- where to start: the group's committed offsets ----

  /** Positions are forgotten until the group's committed offsets (requireStable) say where to resume. */
  private void fetchCommittedOffsets(NodeContext ctx) {
    positionsKnown = false;
    buffer.clear();
    long id = nextCorrelationId++;
    offsetsRequest = id;
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < config.inputPartitions(); p++) tps.add(new TopicPartition(config.inputTopic(), p));
    if (groupCoordinator == null) {
      ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new FindCoordinatorRequest(id, config.groupId()));
    } else {
      ctx.send(groupCoordinator, new OffsetFetchRequest(id, config.groupId(), tps, true));
    }
    ctx.setTimer(new FetchOffsets(++attempt), Durations.seconds(5)); // unanswered: ask again
  }

  private void retryOffsets(NodeContext ctx, boolean lookup) {
    if (lookup) groupCoordinator = null;
    offsetsRequest = -1;
    ctx.setTimer(new FetchOffsets(++attempt), Durations.millis(RETRY_BACKOFF_MS));
  }

  private void onFindCoordinator(NodeContext ctx, FindCoordinatorResponse r) {
    if (r.error() != Errors.NONE || r.coordinator() == null) {
      retryOffsets(ctx, true);
      return;
    }
    groupCoordinator = r.coordinator();
    fetchCommittedOffsets(ctx);
  }

  private void onOffsetFetch(NodeContext ctx, OffsetFetchResponse r) {
    offsetsRequest = -1;
    if (r.error() != Errors.NONE) {
      retryOffsets(ctx, true);
      return;
    }
    if (!r.partitionErrors().isEmpty()) {
      // UNSTABLE_OFFSET_COMMIT: a transaction's offsets are still settling; kafka-clients retries after retry.backoff.ms.
      ctx.point("kafka.consumer.offsets-unstable", config.groupId() + ": OffsetFetch (requireStable) answers " + r.partitionErrors()
          + ": a transaction's offsets are pending; asking again after retry.backoff.ms", "group", config.groupId(),
          "partitions", r.partitionErrors().keySet().toString());
      retryOffsets(ctx, false);
      return;
    }
    consumed.clear();
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      long offset = Math.max(0, e.getValue()); // none committed: auto.offset.reset=earliest
      input.position(e.getKey().partition(), offset);
      consumed.put(e.getKey(), offset);
    }
    positionsKnown = true;
    ctx.point("kafka.consumer.committed", config.groupId() + " resumes " + config.inputTopic() + " at the committed offsets " + consumed,
        "group", config.groupId(), "offsets", consumed.toString());
  }

  // ---- consuming ----

  private void poll(NodeContext ctx) {
    if (!positionsKnown || buffer.size() >= config.maxRecordsPerTxn()) return;
    input.poll(ctx, () -> 0L, p -> false, (id, tp, position) -> new FetchRequest(id, null, tp, position, -1, 1 << 20, KafkaMessage.READ_COMMITTED));
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    int p = r.tp().partition();
    PartitionPoller.InFlight f = input.answered(p);
    if (r.error() != Errors.NONE) {
      input.forgetLeader(p);
      return;
    }
    // A fetch sent before the positions were reset answers for an old position: drop it.
    if (!positionsKnown || f == null || f.fetchOffset() != input.position(p)) return;
    byte[] bytes = r.records().bytes();
    ReadCommittedFilter.Fetched fetched;
    try {
      fetched = ReadCommittedFilter.fetched(bytes, r.abortedTransactions(), true, input.position(p));
    } catch (CorruptRecordException e) {
      return; // check.crcs: fetch again
    }
    for (LogRecord rec : fetched.records()) buffer.add(new Polled(p, rec.offset(), rec.valueText()));
    input.position(p, fetched.nextOffset());
  }

  // ---- the transactions (TxnSource) ----

  /** The next transaction: up to max.poll.records polled records, transformed, and the positions after them. */
  @Override
  public Txn next(NodeContext ctx) {
    if (!positionsKnown || buffer.isEmpty()) return null;
    List<Out> out = new ArrayList<>();
    TreeMap<TopicPartition, Long> offsets = new TreeMap<>();
    while (!buffer.isEmpty() && out.size() < config.maxRecordsPerTxn()) {
      Polled r = buffer.poll();
      TopicPartition tp = new TopicPartition(config.inputTopic(), r.partition());
      out.add(new Out(r.partition() % config.outputPartitions(), (tp + "@" + r.offset()).getBytes(), transform(r.value())));
      offsets.put(tp, r.offset() + 1);
    }
    consumed.putAll(offsets);
    return new Txn(out, config.groupId(), config.autoCommitBreak() ? Map.of() : offsets);
  }

  /** The transformation: an output value names its input value, so the checks can match them. */
  public static String transform(String value) {
    return value + ">out";
  }

  /** The input value an output value came from, or null. */
  public static String inputOf(String outputValue) {
    return outputValue != null && outputValue.endsWith(">out") ? outputValue.substring(0, outputValue.length() - 4) : null;
  }

  /** Aborted or fenced: what it consumed is not done; start again from the committed offsets (Kafka's examples do so). */
  @Override
  public void ended(NodeContext ctx, String outcome) {
    if (outcome.equals("committed")) return;
    ctx.note(config.groupId() + ": transaction " + outcome + "; rewinding to the committed offsets");
    fetchCommittedOffsets(ctx);
  }

  /** The break: enable.auto.commit's plain OffsetCommit of the consumed positions, outside any transaction. */
  private void autoCommit(NodeContext ctx) {
    if (groupCoordinator == null || !positionsKnown || consumed.isEmpty()) return;
    ctx.send(groupCoordinator, new OffsetCommitRequest(nextCorrelationId++, config.groupId(), -1, "", null, new TreeMap<>(consumed)));
  }

  // ---- the node ----

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof FindCoordinatorResponse r && r.correlationId() == offsetsRequest) onFindCoordinator(ctx, r);
    else if (m instanceof OffsetFetchResponse r && r.correlationId() == offsetsRequest) onOffsetFetch(ctx, r);
    else if (m instanceof FetchResponse r && r.tp().topic().equals(config.inputTopic())) onFetchResponse(ctx, r);
    else if (m instanceof KafkaMessage.OffsetCommitResponse || m instanceof OffsetFetchResponse) return;
    else {
      if (m instanceof MetadataResponse r) input.onMetadata(r);
      producer.onMessage(ctx, from, m);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Poll) {
      poll(ctx);
      ctx.setTimer(new Poll(), Durations.millis(POLL_MS));
    } else if (t instanceof FetchOffsets f) {
      if (f.attempt() == attempt && !positionsKnown) fetchCommittedOffsets(ctx);
    } else if (t instanceof AutoCommit) {
      autoCommit(ctx);
      ctx.setTimer(new AutoCommit(), Durations.millis(config.autoCommitIntervalMs()));
    } else {
      producer.onTimer(ctx, t);
    }
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    input.onDisconnected(peer, p -> {});
    if (peer.equals(groupCoordinator)) {
      groupCoordinator = null;
      if (!positionsKnown) retryOffsets(ctx, true);
    }
    producer.onPeerDisconnected(ctx, peer);
  }

  @Override
  public String describeState() {
    return config.groupId() + (positionsKnown ? " positions " + input.describePositions() : " fetching committed offsets") + ", buffered "
        + buffer.size() + "; " + producer.describeState();
  }
}
