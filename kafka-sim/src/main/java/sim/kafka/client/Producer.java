package sim.kafka.client;

import java.nio.charset.StandardCharsets;
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
import sim.kafka.broker.KafkaMessage.InitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.InitProducerIdResponse;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.KafkaMessage.ProduceRequest;
import sim.kafka.broker.KafkaMessage.ProduceResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.Records;
import sim.kafka.broker.TopicPartition;
import sim.kafka.history.LogOperation;
import sim.kafka.history.OperationLog;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/**
 * A producer client with Kafka's delivery machinery: partitioner, per-partition batches, up to
 * {@code max.in.flight.requests.per.connection} requests in flight, retries after {@code retry.backoff.ms}
 * until {@code delivery.timeout.ms}, and the idempotent producer's producer id, epoch and per-partition
 * sequence numbers. It keeps a ledger of what was acknowledged, which the scenario checks hold against.
 */
public final class Producer implements Node {
  /**
   * A record acknowledged to the application: where the broker said it went (offset -1 for acks=0), and the
   * leader epoch of the leader that said so.
   */
  public record Acked(int partition, long offset, String key, String value, int leaderEpoch, short acks) {}

  private sealed interface ProducerTimer extends Timer {}

  private record SendTick() implements ProducerTimer {}

  private record MetadataTick() implements ProducerTimer {}

  private record RequestTimeout(long correlationId) implements ProducerTimer {}

  private record RetryReady(int partition) implements ProducerTimer {}

  private static final class Batch {
    final int partition;
    final List<LogRecord> records;
    final long createdMs;
    int baseSequence = RecordBatches.NO_SEQUENCE;
    int producerGeneration = -1;
    byte[] bytes;
    int attempts;
    NodeId sentTo;

    Batch(int partition, List<LogRecord> records, long createdMs) {
      this.partition = partition;
      this.records = records;
      this.createdMs = createdMs;
    }
  }

  private static final class PartitionQueue {
    final List<LogRecord> accumulating = new ArrayList<>();
    final TreeMap<Long, Batch> inFlight = new TreeMap<>();
    final List<Batch> retries = new ArrayList<>();
    int nextSequence;
    boolean backingOff;
  }

  private final ProducerConfig config;
  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final NodeId controller;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<Integer, PartitionQueue> queues = new TreeMap<>();
  private final List<Acked> acked = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();
  private final Map<String, Integer> sends = new TreeMap<>();
  private final Map<String, Integer> generationsSentUnder = new TreeMap<>();
  private final Map<String, Integer> operationIds = new TreeMap<>();
  private final java.util.TreeSet<NodeId> unreachable = new java.util.TreeSet<>();
  private final OperationLog history;
  private Partitioner partitioner;
  private long producerId = RecordBatches.NO_PRODUCER_ID;
  private short producerEpoch = RecordBatches.NO_PRODUCER_EPOCH;
  private long nextCorrelationId;
  private int produced;
  private int bootstrapIndex;
  /** KRaft mode: the broker InitProducerId is sent to, and since when. */
  private NodeId initTarget;
  private long initSinceMs;
  private int retriesSent;
  private int producerGeneration;
  private int producerIdResets;
  private boolean bumpingEpoch;

  public Producer(ProducerConfig config, String topic, int numPartitions, List<NodeId> bootstrap, NodeId controller) {
    this(config, topic, numPartitions, bootstrap, controller, OperationLog.NONE);
  }

  public Producer(ProducerConfig config, String topic, int numPartitions, List<NodeId> bootstrap, NodeId controller,
      OperationLog history) {
    this.history = history;
    this.config = config;
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
    this.controller = controller;
    for (int p = 0; p < numPartitions; p++) queues.put(p, new PartitionQueue());
  }

  @Override
  public void start(NodeContext ctx) {
    partitioner = new Partitioner(numPartitions, config.batchSizeBytes(), ctx.random("partitioner"));
    ctx.setTimer(new MetadataTick(), 0);
    ctx.setTimer(new SendTick(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (unreachable.remove(from)) ctx.note("connected to " + from + " again");
    if (m instanceof MetadataResponse r) onMetadata(ctx, r.partitions());
    else if (m instanceof InitProducerIdResponse r) onProducerId(ctx, r);
    else if (m instanceof ProduceResponse r) onProduceResponse(ctx, r);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof SendTick) sendTick(ctx);
    else if (t instanceof MetadataTick) metadataTick(ctx);
    else if (t instanceof RequestTimeout rt) onRequestTimeout(ctx, rt.correlationId());
    else if (t instanceof RetryReady r) {
      queues.get(r.partition()).backingOff = false;
      drain(ctx, r.partition());
    }
  }

  // ---- metadata and producer id ----

  private void metadataTick(NodeContext ctx) {
    boolean missing = leaders.size() < numPartitions || leaders.containsValue(null)
        || leaders.values().stream().anyMatch(unreachable::contains);
    if (missing) ctx.send(nextBootstrap(), new MetadataRequest(nextCorrelationId++));
    // A connection attempt to a broker whose connection was reset: it answers once its process is back.
    for (NodeId b : unreachable) ctx.send(b, new MetadataRequest(nextCorrelationId++));
    if (config.enableIdempotence() && awaitingProducerId()) requestProducerId(ctx);
    ctx.setTimer(new MetadataTick(), Durations.millis(missing || awaitingProducerId() ? 500 : 2000));
  }

  private void refreshMetadata(NodeContext ctx) {
    leaders.clear();
    ctx.send(nextBootstrap(), new MetadataRequest(nextCorrelationId++));
  }

  /** The next bootstrap broker to ask for metadata, skipping those whose connection was reset. */
  private NodeId nextBootstrap() {
    for (int i = 0; i < bootstrap.size(); i++) {
      NodeId b = bootstrap.get(bootstrapIndex++ % bootstrap.size());
      if (!unreachable.contains(b)) return b;
    }
    return bootstrap.get(bootstrapIndex++ % bootstrap.size());
  }

  private void onMetadata(NodeContext ctx, List<PartitionState> partitions) {
    for (PartitionState s : partitions) {
      if (!s.tp().topic().equals(topic)) continue;
      if (s.leader() == null) leaders.remove(s.tp().partition());
      else leaders.put(s.tp().partition(), s.leader());
    }
    for (int p = 0; p < numPartitions; p++) drain(ctx, p);
  }

  private boolean awaitingProducerId() {
    return producerId < 0 || bumpingEpoch;
  }

  /**
   * With a controller named (the single-controller mode) InitProducerId goes there; in KRaft mode to a broker, as
   * kafka-clients sends it to the least loaded node: here the first bootstrap broker whose connection was not reset,
   * moving on to the next once one left it unanswered for request.timeout.ms.
   */
  private void requestProducerId(NodeContext ctx) {
    InitProducerIdRequest r = new InitProducerIdRequest(nextCorrelationId++, producerId, producerEpoch);
    if (controller != null) {
      ctx.send(controller, r);
      return;
    }
    if (initTarget == null || unreachable.contains(initTarget) || ctx.localTimeMs() - initSinceMs > config.requestTimeoutMs()) {
      initTarget = nextInitBroker();
      initSinceMs = ctx.localTimeMs();
    }
    ctx.send(initTarget, r);
  }

  private NodeId nextInitBroker() {
    int from = initTarget == null ? 0 : bootstrap.indexOf(initTarget) + 1;
    for (int i = 0; i < bootstrap.size(); i++) {
      NodeId b = bootstrap.get((from + i) % bootstrap.size());
      if (!unreachable.contains(b)) return b;
    }
    return bootstrap.get(from % bootstrap.size());
  }

  private void onProducerId(NodeContext ctx, InitProducerIdResponse r) {
    if (!awaitingProducerId()) return;
    if (bumpingEpoch && (r.producerId() != producerId || r.producerEpoch() <= producerEpoch)) return;
    bumpingEpoch = false;
    initTarget = null;
    producerId = r.producerId();
    producerEpoch = r.producerEpoch();
    ctx.note("producer id " + producerId + " epoch " + producerEpoch);
    for (int p = 0; p < numPartitions; p++) drain(ctx, p);
  }

  // ---- the application sends ----

  private void sendTick(NodeContext ctx) {
    if (produced >= config.records()) return;
    int n = produced++;
    String value = "v" + n;
    String key = config.keyed() ? "key-" + (n % 16 + (config.keysRetiredEvery() > 0 ? 16 * (n / config.keysRetiredEvery()) : 0)) : null;
    byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    int partition = partitioner.partition(keyBytes, value.length() + 16);
    operationIds.put(value, history.invoke(ctx.self().name(), new LogOperation.Produce(topic + "-" + partition, value), history.nowNanos()));
    boolean tombstone = config.tombstoneEvery() > 0 && n % config.tombstoneEvery() == config.tombstoneEvery() - 1;
    queues.get(partition).accumulating.add(new LogRecord(0, ctx.localTimeMs(), keyBytes, tombstone ? null : value.getBytes(StandardCharsets.UTF_8), List.of()));
    drain(ctx, partition);
    ctx.setTimer(new SendTick(), Durations.millis(config.sendIntervalMs()));
  }

  /** The sender: retries first (in sequence order, each once the ones before it are done), then a new batch. */
  private void drain(NodeContext ctx, int partition) {
    PartitionQueue q = queues.get(partition);
    NodeId leader = leaders.get(partition);
    if (leader == null || q.backingOff || unreachable.contains(leader)) return;
    if (config.enableIdempotence() && awaitingProducerId()) return;
    while (q.inFlight.size() < config.maxInFlightRequestsPerConnection()) {
      Batch b;
      if (!q.retries.isEmpty()) {
        // kafka-clients' RecordAccumulator: a retried batch goes only when it is the earliest unacknowledged one,
        // so retries go one at a time, in sequence order, and new batches wait behind them.
        if (config.enableIdempotence() && hasEarlierUnacked(q, q.retries.get(0))) return;
        b = q.retries.remove(0);
        retriesSent++;
      } else if (!q.accumulating.isEmpty() && q.inFlight.size() + q.retries.size() < config.maxInFlightRequestsPerConnection()) {
        // At most 5 unacknowledged batches per partition, retries included: a retried batch must still be
        // among the last 5 the broker remembers, or it would look out of order instead of duplicate.
        b = newBatch(ctx, partition, q);
      } else {
        return;
      }
      encode(q, b);
      send(ctx, leader, b);
    }
  }

  private Batch newBatch(NodeContext ctx, int partition, PartitionQueue q) {
    Batch b = new Batch(partition, List.copyOf(q.accumulating), ctx.localTimeMs());
    q.accumulating.clear();
    return b;
  }

  /**
   * Encodes the batch for its first send, or again after the producer id changed: sequence numbers belong
   * to a producer id and epoch, so a batch from before a reset gets the next sequence of the new one.
   */
  private void encode(PartitionQueue q, Batch b) {
    if (b.bytes != null && b.producerGeneration == producerGeneration) return;
    ProducerFields fields = ProducerFields.NONE;
    if (config.enableIdempotence()) {
      b.baseSequence = q.nextSequence;
      q.nextSequence += b.records.size();
      fields = new ProducerFields(producerId, producerEpoch, b.baseSequence);
    }
    b.producerGeneration = producerGeneration;
    b.bytes = RecordBatches.build(0, RecordBatches.NO_PARTITION_LEADER_EPOCH, fields, b.records);
  }

  private void send(NodeContext ctx, NodeId leader, Batch b) {
    long id = nextCorrelationId++;
    b.attempts++;
    b.sentTo = leader;
    for (LogRecord r : b.records) {
      sends.merge(r.valueText(), 1, Integer::sum);
      generationsSentUnder.merge(r.valueText(), 1 << Math.min(30, b.producerGeneration), (x, y) -> x | y);
    }
    TopicPartition tp = new TopicPartition(topic, b.partition);
    ctx.point("kafka.producer.send", tp + " " + values(b) + " to leader " + leader + " acks=" + config.acksName()
            + (b.baseSequence >= 0 ? " pid " + producerId + " seq " + b.baseSequence : "") + (b.attempts > 1 ? " (retry " + (b.attempts - 1) + ")" : ""),
        "partition", tp.toString(), "records", b.records.size(), "firstValue", b.records.get(0).valueText(), "leader", leader.name(),
        "acks", (int) config.acks(), "producerId", producerId, "baseSequence", b.baseSequence, "attempt", b.attempts);
    ctx.send(leader, new ProduceRequest(id, tp, config.acks(), (int) config.requestTimeoutMs(), new Records(b.bytes)));
    if (config.acks() == 0) {
      for (LogRecord r : b.records) acked.add(new Acked(b.partition, -1, r.key() == null ? null : r.keyText(), r.valueText(), -1, config.acks()));
      return; // fire and forget: acknowledged the moment it is sent
    }
    queues.get(b.partition).inFlight.put(id, b);
    ctx.setTimer(new RequestTimeout(id), Durations.millis(config.requestTimeoutMs()));
  }

  // ---- responses ----

  private void onProduceResponse(NodeContext ctx, ProduceResponse r) {
    PartitionQueue q = queues.get(r.tp().partition());
    Batch b = q == null ? null : q.inFlight.remove(r.correlationId());
    if (b == null) return;
    if (r.error() == Errors.NONE) {
      for (int i = 0; i < b.records.size(); i++) {
        LogRecord rec = b.records.get(i);
        String v = rec.valueText();
        acked.add(new Acked(b.partition, r.baseOffset() + i, rec.key() == null ? null : rec.keyText(), v, r.leaderEpoch(), config.acks()));
        Integer op = operationIds.remove(v);
        if (op != null) history.ok(op, r.baseOffset() + i);
      }
      ctx.point("kafka.producer.ack", r.tp() + " " + values(b) + " acknowledged at offset " + r.baseOffset() + " (acks=" + config.acksName() + ")",
          "partition", r.tp().toString(), "baseOffset", r.baseOffset(), "records", b.records.size(), "leaderEpoch", r.leaderEpoch());
      drain(ctx, b.partition);
      return;
    }
    boolean outOfOrderBehindRetry = r.error() == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER && hasEarlierUnacked(q, b);
    boolean sentBeforeEpochBump = config.enableIdempotence() && b.producerGeneration != producerGeneration
        && (r.error() == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || r.error() == Errors.INVALID_PRODUCER_EPOCH);
    if (r.error().retriable || outOfOrderBehindRetry || sentBeforeEpochBump) {
      retry(ctx, q, b, r.error().name());
    } else {
      fail(ctx, b, r.error().name());
      if (r.error() == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER) resetProducerId(ctx);
    }
  }

  /**
   * The broker lost this producer's state (its log tail was truncated or lost): as the idempotent producer
   * does since KIP-360, give up the failed batch, bump the producer epoch and number the batches still to
   * send from sequence 0 again.
   */
  private void resetProducerId(NodeContext ctx) {
    if (bumpingEpoch) return; // already starting over
    ctx.note("producer " + producerId + " bumps its epoch " + producerEpoch + ": sequence numbers start again for the batches still to send");
    bumpingEpoch = true;
    producerGeneration++;
    producerIdResets++;
    for (PartitionQueue q : queues.values()) q.nextSequence = 0;
    requestProducerId(ctx);
  }

  private boolean hasEarlierUnacked(PartitionQueue q, Batch b) {
    for (Batch other : q.retries) if (other.baseSequence < b.baseSequence) return true;
    for (Batch other : q.inFlight.values()) if (other.baseSequence < b.baseSequence) return true;
    return false;
  }

  /**
   * The connection to a broker was reset (its process died): every request in flight to it fails at once
   * with a network error, as kafka-clients' NetworkClient completes them on disconnect; they are retried after
   * a metadata refresh instead of waiting out request.timeout.ms.
   */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    unreachable.add(peer); // connection refused until its process is back: nothing is sent there meanwhile
    for (PartitionQueue q : queues.values()) {
      List<Long> gone = new ArrayList<>();
      q.inFlight.forEach((id, b) -> {
        if (peer.equals(b.sentTo)) gone.add(id);
      });
      for (long id : gone) retry(ctx, q, q.inFlight.remove(id), "NETWORK_EXCEPTION: connection to " + peer + " reset");
    }
  }

  private void onRequestTimeout(NodeContext ctx, long correlationId) {
    for (PartitionQueue q : queues.values()) {
      Batch b = q.inFlight.remove(correlationId);
      if (b != null) retry(ctx, q, b, "request.timeout.ms expired");
    }
  }

  private void retry(NodeContext ctx, PartitionQueue q, Batch b, String why) {
    if (ctx.localTimeMs() - b.createdMs > config.deliveryTimeoutMs()) {
      fail(ctx, b, why + ", then delivery.timeout.ms=" + config.deliveryTimeoutMs() + " expired");
      return;
    }
    ctx.note(new TopicPartition(topic, b.partition) + " " + values(b) + " failed (" + why + "), retrying after retry.backoff.ms");
    q.retries.add(b);
    q.retries.sort((x, y) -> Integer.compare(x.baseSequence, y.baseSequence));
    if (why.startsWith("NOT_LEADER") || why.startsWith("request.timeout") || why.contains("EPOCH") || why.startsWith("NETWORK")) {
      refreshMetadata(ctx);
    }
    if (!q.backingOff) {
      q.backingOff = true;
      ctx.setTimer(new RetryReady(b.partition), Durations.millis(config.retryBackoffMs()));
    }
  }

  private void fail(NodeContext ctx, Batch b, String why) {
    for (LogRecord r : b.records) {
      failed.add(r.valueText());
      Integer op = operationIds.remove(r.valueText());
      if (op != null) history.unknown(op); // an earlier attempt may have been appended
    }
    ctx.note(new TopicPartition(topic, b.partition) + " " + values(b) + " FAILED: " + why + " (the application sees an error)");
  }

  private static String values(Batch b) {
    if (b.records.size() == 1) return "[" + b.records.get(0).valueText() + "]";
    return "[" + b.records.get(0).valueText() + ".." + b.records.get(b.records.size() - 1).valueText() + "]";
  }

  // ---- views ----

  public List<Acked> acked() {
    return List.copyOf(acked);
  }

  /** The number of acknowledged records so far; with {@link #acked(int)} a copy-free walk for checks. */
  public int ackedCount() {
    return acked.size();
  }

  public Acked acked(int index) {
    return acked.get(index);
  }

  public List<String> failed() {
    return List.copyOf(failed);
  }

  public int produced() {
    return produced;
  }

  /** How often the idempotent producer bumped its epoch and restarted its sequences after the broker lost its state. */
  public int producerIdResets() {
    return producerIdResets;
  }

  public int retriesSent() {
    return retriesSent;
  }

  /** Records the producer sent in more than one request (retries): the only ones a retry can duplicate. */
  public List<String> resent() {
    List<String> out = new ArrayList<>();
    sends.forEach((v, n) -> {
      if (n > 1) out.add(v);
    });
    return out;
  }

  /** Records sent both before and after an epoch bump (KIP-360): the broker cannot match those retries. */
  public List<String> resentAcrossEpochBumps() {
    List<String> out = new ArrayList<>();
    generationsSentUnder.forEach((v, bits) -> {
      if (Integer.bitCount(bits) > 1) out.add(v);
    });
    return out;
  }

  public boolean done() {
    if (produced < config.records()) return false;
    for (PartitionQueue q : queues.values()) {
      if (!q.accumulating.isEmpty() || !q.inFlight.isEmpty() || !q.retries.isEmpty()) return false;
    }
    return true;
  }

  public ProducerConfig config() {
    return config;
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder("producer acks=" + config.acksName() + " idempotence=" + config.enableIdempotence()
        + (producerId >= 0 ? " pid " + producerId : "") + ": produced " + produced + ", acknowledged " + acked.size()
        + ", failed " + failed.size() + "\n");
    for (Map.Entry<Integer, PartitionQueue> e : queues.entrySet()) {
      PartitionQueue q = e.getValue();
      b.append("  partition ").append(e.getKey()).append(" leader ").append(leaders.get(e.getKey())).append(": in flight ")
          .append(q.inFlight.size()).append(", retries ").append(q.retries.size()).append(", next seq ").append(q.nextSequence).append('\n');
    }
    return b.toString();
  }
}
