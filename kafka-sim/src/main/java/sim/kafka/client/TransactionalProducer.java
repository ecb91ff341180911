package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.AddOffsetsToTxnRequest;
import sim.kafka.broker.KafkaMessage.AddOffsetsToTxnResponse;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnRequest;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnResponse;
import sim.kafka.broker.KafkaMessage.EndTxnRequest;
import sim.kafka.broker.KafkaMessage.EndTxnResponse;
import sim.kafka.broker.KafkaMessage.FindCoordinatorRequest;
import sim.kafka.broker.KafkaMessage.FindCoordinatorResponse;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.KafkaMessage.ProduceRequest;
import sim.kafka.broker.KafkaMessage.ProduceResponse;
import sim.kafka.broker.KafkaMessage.TxnInitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.TxnInitProducerIdResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.Records;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * A transactional producer (kafka-clients' {@code KafkaProducer} with {@code transactional.id}, driven the way an
 * application drives it): {@code initTransactions()} finds the coordinator (FindCoordinator, key type TRANSACTION) and
 * gets the id's producer id with a bumped epoch; then, one transaction after another, {@code beginTransaction()},
 * AddPartitionsToTxn for the partitions it will write, one transactional batch per partition (acks=all, idempotent
 * sequences), and {@code commitTransaction()} or, every {@code abortEvery}-th transaction, {@code abortTransaction()}
 * (EndTxn). Retriable errors are retried as kafka-clients' {@code TransactionManager} does (CONCURRENT_TRANSACTIONS
 * after {@code retry.backoff.ms}, NOT_COORDINATOR by finding the coordinator again); {@code PRODUCER_FENCED} or
 * {@code INVALID_PRODUCER_EPOCH} is fatal for this producer instance, and the application starts over with
 * {@code initTransactions()} (as a new instance would).
 */
public final class TransactionalProducer implements Node {
  private enum Phase { FIND_COORDINATOR, INIT, IDLE, ADD_PARTITIONS, PRODUCE, ADD_OFFSETS, TXN_OFFSET_COMMIT, END, DONE }

  private record Retry(long attempt) implements Timer {}

  private record RequestTimeout(long correlationId) implements Timer {}

  private record InFlight(long correlationId, NodeId to) {}

  private final TransactionalProducerConfig config;
  private final List<NodeId> bootstrap;
  private final TxnLedger ledger;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<Integer, Integer> sequences = new TreeMap<>();
  /** The open transaction's batches per partition, and those not yet acknowledged. */
  private final TreeMap<Integer, byte[]> batches = new TreeMap<>();
  private final TreeMap<Integer, InFlight> unacked = new TreeMap<>();
  /** When each unacknowledged batch was built: {@code delivery.timeout.ms} counts from there. */
  private final TreeMap<Integer, Long> builtAtMs = new TreeMap<>();
  /** Brokers whose connection reset: connection refused until they answer again, so nothing else is sent there. */
  private final TreeSet<NodeId> unreachable = new TreeSet<>();
  private Phase phase = Phase.FIND_COORDINATOR;
  private Phase afterFind = Phase.INIT;
  private NodeId coordinator;
  private long coordinatorRequest = -1;
  private long producerId = -1;
  private short producerEpoch = -1;
  private int txnNumber;
  private String tag;
  private List<String> values = List.of();
  /** With a {@link TxnSource}: the open transaction's records and the offsets to commit in it. */
  private final TxnSource source;
  private final TxnOffsetCommitter offsetCommitter;
  private TxnSource.Txn current;
  private boolean commit;
  private long nextCorrelationId;
  private long attempt;
  private int bootstrapIndex;

  public TransactionalProducer(TransactionalProducerConfig config, List<NodeId> bootstrap, TxnLedger ledger) {
    this(config, bootstrap, ledger, null);
  }

  /** A producer an application drives: its transactions come from {@code source} (null: the generated workload). */
  public TransactionalProducer(TransactionalProducerConfig config, List<NodeId> bootstrap, TxnLedger ledger, TxnSource source) {
    this.config = config;
    this.bootstrap = List.copyOf(bootstrap);
    this.ledger = ledger;
    this.source = source;
    this.offsetCommitter = new TxnOffsetCommitter(bootstrap, () -> nextCorrelationId++, config.retryBackoffMs(), config.requestTimeoutMs());
  }

  @Override
  public void start(NodeContext ctx) {
    // Values name this instance, so a restarted application never writes a value an earlier instance wrote.
    tag = ctx.self().name() + "." + String.format("%04x", ctx.random("txn-instance").nextInt(0x10000));
    ctx.send(nextBootstrap(), new MetadataRequest(nextCorrelationId++));
    retryAfter(ctx, config.startDelayMs());
  }

  private NodeId nextBootstrap() {
    for (int i = 0; i < bootstrap.size(); i++) {
      NodeId b = bootstrap.get(bootstrapIndex++ % bootstrap.size());
      if (!unreachable.contains(b)) return b;
    }
    return bootstrap.get(bootstrapIndex++ % bootstrap.size());
  }

  /** Asks every unreachable broker for metadata: its answer says it is back. */
  private void probe(NodeContext ctx) {
    for (NodeId b : unreachable) ctx.send(b, new MetadataRequest(nextCorrelationId++));
  }

  private void retryAfter(NodeContext ctx, long ms) {
    ctx.setTimer(new Retry(++attempt), Durations.millis(ms));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (offsetCommitter.onTimer(ctx, t)) return;
    if (t instanceof Retry r && r.attempt() == attempt) step(ctx);
    else if (t instanceof RequestTimeout rt) onRequestTimeout(ctx, rt);
  }

  /** Sends what the phase needs next. */
  private void step(NodeContext ctx) {
    boolean toCoordinator = phase == Phase.INIT || phase == Phase.ADD_PARTITIONS || phase == Phase.ADD_OFFSETS || phase == Phase.END;
    if (toCoordinator && (coordinator == null || unreachable.contains(coordinator))) {
      findCoordinator(ctx, phase);
      return;
    }
    switch (phase) {
      case FIND_COORDINATOR -> {
        probe(ctx);
        sendCoordinator(ctx, nextBootstrap(),
          new FindCoordinatorRequest(nextCorrelationId++, config.transactionalId(), FindCoordinatorRequest.TRANSACTION));
      }
      case INIT -> sendCoordinator(ctx, coordinator, new TxnInitProducerIdRequest(nextCorrelationId++, config.transactionalId(), config.transactionTimeoutMs()));
      case IDLE -> begin(ctx);
      case ADD_PARTITIONS -> sendCoordinator(ctx, coordinator, new AddPartitionsToTxnRequest(nextCorrelationId++, config.transactionalId(), producerId,
          producerEpoch, partitionsOfTxn()));
      case PRODUCE -> produce(ctx);
      case ADD_OFFSETS -> sendCoordinator(ctx, coordinator, new AddOffsetsToTxnRequest(nextCorrelationId++, config.transactionalId(), producerId,
          producerEpoch, current.groupId()));
      case TXN_OFFSET_COMMIT -> commitOffsets(ctx);
      case END -> sendCoordinator(ctx, coordinator, new EndTxnRequest(nextCorrelationId++, config.transactionalId(), producerId, producerEpoch, commit));
      case DONE -> { }
    }
  }

  private void sendCoordinator(NodeContext ctx, NodeId to, KafkaMessage m) {
    long id = nextCorrelationId - 1;
    coordinatorRequest = id;
    ctx.send(to, m);
    ctx.setTimer(new RequestTimeout(id), Durations.millis(config.requestTimeoutMs()));
  }

  private void findCoordinator(NodeContext ctx, Phase then) {
    afterFind = then;
    phase = Phase.FIND_COORDINATOR;
    coordinatorRequest = -1;
    retryAfter(ctx, config.retryBackoffMs());
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    unreachable.remove(from);
    if (offsetCommitter.onMessage(ctx, m)) return;
    if (m instanceof MetadataResponse r) onMetadata(ctx, r);
    else if (m instanceof FindCoordinatorResponse r && r.correlationId() == coordinatorRequest) onFindCoordinator(ctx, r);
    else if (m instanceof TxnInitProducerIdResponse r && r.correlationId() == coordinatorRequest) onInit(ctx, r);
    else if (m instanceof AddPartitionsToTxnResponse r && r.correlationId() == coordinatorRequest) onAddPartitions(ctx, r);
    else if (m instanceof EndTxnResponse r && r.correlationId() == coordinatorRequest) onEndTxn(ctx, r);
    else if (m instanceof AddOffsetsToTxnResponse r && r.correlationId() == coordinatorRequest) onAddOffsets(ctx, r);
    else if (m instanceof ProduceResponse r) onProduceResponse(ctx, r);
  }

  private void onMetadata(NodeContext ctx, MetadataResponse r) {
    for (PartitionState s : r.partitions()) {
      if (!s.tp().topic().equals(config.topic())) continue;
      if (s.leader() == null) leaders.remove(s.tp().partition());
      else leaders.put(s.tp().partition(), s.leader());
    }
  }

  private void onFindCoordinator(NodeContext ctx, FindCoordinatorResponse r) {
    coordinatorRequest = -1;
    if (r.error() != Errors.NONE || r.coordinator() == null) {
      retryAfter(ctx, config.retryBackoffMs());
      return;
    }
    if (unreachable.contains(r.coordinator())) {
      retryAfter(ctx, config.retryBackoffMs());
      return;
    }
    coordinator = r.coordinator();
    phase = afterFind;
    step(ctx);
  }

  /** A coordinator error: find it again, retry after the backoff, or start over after being fenced. */
  private void onCoordinatorError(NodeContext ctx, Errors e) {
    coordinatorRequest = -1;
    switch (e) {
      case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> findCoordinator(ctx, phase);
      case PRODUCER_FENCED, INVALID_PRODUCER_EPOCH, INVALID_PRODUCER_ID_MAPPING, INVALID_TXN_STATE -> fenced(ctx, e);
      default -> retryAfter(ctx, config.retryBackoffMs()); // CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS
    }
  }

  private void onInit(NodeContext ctx, TxnInitProducerIdResponse r) {
    if (r.error() != Errors.NONE) {
      if (r.error() == Errors.PRODUCER_FENCED) retryAfter(ctx, config.retryBackoffMs());
      else onCoordinatorError(ctx, r.error());
      return;
    }
    coordinatorRequest = -1;
    producerId = r.producerId();
    producerEpoch = r.producerEpoch();
    sequences.clear();
    ctx.point("kafka.producer.init-transactions", config.transactionalId() + ": producer " + producerId + " epoch " + producerEpoch,
        "transactionalId", config.transactionalId(), "producerId", producerId, "producerEpoch", (int) producerEpoch);
    phase = Phase.IDLE;
    retryAfter(ctx, config.gapMs());
  }

  /** beginTransaction(): the next transaction's records, spread over every partition. */
  private void begin(NodeContext ctx) {
    if (txnNumber >= config.transactions()) {
      phase = Phase.DONE;
      return;
    }
    current = source == null ? generated() : source.next(ctx);
    if (current == null) {
      retryAfter(ctx, config.gapMs()); // nothing consumed yet
      return;
    }
    txnNumber++;
    commit = config.abortEvery() <= 0 || txnNumber % config.abortEvery() != 0;
    values = current.records().stream().map(TxnSource.Out::value).toList();
    batches.clear();
    unacked.clear();
    phase = Phase.ADD_PARTITIONS;
    step(ctx);
  }

  /** The generated workload's next transaction: its records spread over every partition. */
  private TxnSource.Txn generated() {
    List<TxnSource.Out> out = new ArrayList<>();
    for (int i = 0; i < config.recordsPerTransaction(); i++) {
      out.add(new TxnSource.Out(i % config.partitions(), ("k" + i).getBytes(), tag + "-t" + (txnNumber + 1) + "-" + i));
    }
    return new TxnSource.Txn(out, null, java.util.Map.of());
  }

  private TreeSet<TopicPartition> partitionsOfTxn() {
    TreeSet<TopicPartition> out = new TreeSet<>();
    for (TxnSource.Out o : current.records()) out.add(new TopicPartition(config.topic(), o.partition()));
    return out;
  }

  private void onAddPartitions(NodeContext ctx, AddPartitionsToTxnResponse r) {
    if (r.error() != Errors.NONE) {
      onCoordinatorError(ctx, r.error());
      return;
    }
    coordinatorRequest = -1;
    buildBatches(ctx);
    phase = Phase.PRODUCE;
    produce(ctx);
  }

  /** One transactional batch per partition, with the partition's next sequence numbers under this epoch. */
  private void buildBatches(NodeContext ctx) {
    TreeMap<Integer, List<LogRecord>> byPartition = new TreeMap<>();
    for (TxnSource.Out o : current.records()) {
      List<LogRecord> rs = byPartition.computeIfAbsent(o.partition(), k -> new ArrayList<>());
      rs.add(new LogRecord(rs.size(), ctx.localTimeMs(), o.key(), o.value().getBytes(), List.of()));
    }
    for (var e : byPartition.entrySet()) {
      int seq = sequences.getOrDefault(e.getKey(), 0);
      batches.put(e.getKey(), ControlBatches.transactional(0, RecordBatches.NO_PARTITION_LEADER_EPOCH,
          new RecordBatches.ProducerFields(producerId, producerEpoch, seq), e.getValue()));
      sequences.put(e.getKey(), seq + e.getValue().size());
      unacked.put(e.getKey(), new InFlight(-1, null));
      builtAtMs.put(e.getKey(), ctx.localTimeMs());
    }
  }

  /** Sends every unacknowledged batch that is not in flight; partitions without a known leader wait for metadata. */
  private void produce(NodeContext ctx) {
    boolean missing = false;
    for (var e : unacked.entrySet()) {
      if (e.getValue().correlationId() >= 0) continue;
      NodeId leader = leaders.get(e.getKey());
      if (leader == null || unreachable.contains(leader)) {
        missing = true;
        continue;
      }
      long id = nextCorrelationId++;
      e.setValue(new InFlight(id, leader));
      TopicPartition tp = new TopicPartition(config.topic(), e.getKey());
      ctx.send(leader, new ProduceRequest(id, tp, (short) -1, (int) config.requestTimeoutMs(), new Records(batches.get(e.getKey())),
          config.transactionalId()));
      ctx.setTimer(new RequestTimeout(id), Durations.millis(config.requestTimeoutMs()));
    }
    if (missing) {
      probe(ctx);
      ctx.send(nextBootstrap(), new MetadataRequest(nextCorrelationId++));
      retryAfter(ctx, config.retryBackoffMs());
    }
  }

  private void onProduceResponse(NodeContext ctx, ProduceResponse r) {
    int p = r.tp().partition();
    InFlight f = unacked.get(p);
    if (phase != Phase.PRODUCE || f == null || f.correlationId() != r.correlationId()) return;
    if (r.error() == Errors.NONE) {
      unacked.remove(p);
      if (unacked.isEmpty() && !current.offsets().isEmpty() && commit) {
        phase = Phase.ADD_OFFSETS; // sendOffsetsToTransaction: AddOffsetsToTxn, then TxnOffsetCommit
        step(ctx);
      } else if (unacked.isEmpty()) {
        phase = Phase.END; // the application works on, then commits or aborts
        retryAfter(ctx, config.workMs());
      }
      return;
    }
    if (r.error() == Errors.INVALID_PRODUCER_EPOCH || r.error() == Errors.PRODUCER_FENCED) {
      fenced(ctx, r.error());
      return;
    }
    if (!r.error().retriable) {
      // An abortable error (kafka-clients: the transaction can only be aborted now).
      ctx.note(r.tp() + ": " + r.error() + "; aborting the transaction");
      commit = false;
      endTransaction(ctx);
      return;
    }
    unacked.put(p, new InFlight(-1, null));
    leaders.remove(p);
    produce(ctx);
  }

  private void onAddOffsets(NodeContext ctx, AddOffsetsToTxnResponse r) {
    if (r.error() != Errors.NONE) {
      onCoordinatorError(ctx, r.error());
      return;
    }
    coordinatorRequest = -1;
    phase = Phase.TXN_OFFSET_COMMIT;
    commitOffsets(ctx);
  }

  /** TxnOffsetCommit to the group coordinator; then the application works on and commits. */
  private void commitOffsets(NodeContext ctx) {
    offsetCommitter.commit(ctx, config.transactionalId(), producerId, producerEpoch, current.groupId(), current.offsets(), e -> {
      if (phase != Phase.TXN_OFFSET_COMMIT) return;
      if (e == Errors.INVALID_PRODUCER_EPOCH || e == Errors.PRODUCER_FENCED) {
        fenced(ctx, e);
        return;
      }
      commit = e == Errors.NONE; // an abortable error: the transaction can only be aborted now
      phase = Phase.END;
      retryAfter(ctx, config.workMs());
    });
  }

  private void endTransaction(NodeContext ctx) {
    unacked.clear();
    phase = Phase.END;
    step(ctx);
  }

  private void onEndTxn(NodeContext ctx, EndTxnResponse r) {
    if (r.error() != Errors.NONE) {
      onCoordinatorError(ctx, r.error());
      return;
    }
    coordinatorRequest = -1;
    String outcome = commit ? "committed" : "aborted";
    ledger.ended(new TxnLedger.Txn(tag + "-t" + txnNumber, values, outcome));
    if (source != null) source.ended(ctx, outcome);
    ctx.point("kafka.producer." + (commit ? "commit" : "abort"), config.transactionalId() + " " + (commit ? "commitTransaction" : "abortTransaction")
            + "() returns for " + values, "transactionalId", config.transactionalId(), "transaction", txnNumber, "records", values.size());
    phase = Phase.IDLE;
    retryAfter(ctx, config.gapMs());
  }

  /** ProducerFencedException: this instance is done; the application starts over with initTransactions(). */
  private void fenced(NodeContext ctx, Errors e) {
    if (!values.isEmpty() && phase != Phase.INIT && phase != Phase.IDLE) {
      ledger.ended(new TxnLedger.Txn(tag + "-t" + txnNumber, values, "fenced"));
      if (source != null) source.ended(ctx, "fenced");
    }
    values = List.of();
    unacked.clear();
    offsetCommitter.cancel();
    if (!config.restartWhenFenced()) {
      ctx.point("kafka.producer.fenced", config.transactionalId() + " producer " + producerId + "/" + producerEpoch + ": " + e
              + " (ProducerFencedException): a newer instance owns the transactional id; this producer closes",
          "transactionalId", config.transactionalId(), "producerEpoch", (int) producerEpoch, "error", e.toString());
      phase = Phase.DONE;
      return;
    }
    ctx.note(config.transactionalId() + ": " + e + " (ProducerFencedException): the transaction is lost; initTransactions() again");
    phase = Phase.INIT;
    retryAfter(ctx, config.retryBackoffMs());
  }

  private void onRequestTimeout(NodeContext ctx, RequestTimeout t) {
    if (t.correlationId() == coordinatorRequest) {
      ctx.note(config.transactionalId() + ": request " + t.correlationId() + " to the coordinator timed out; finding it again");
      findCoordinator(ctx, phase == Phase.FIND_COORDINATOR ? afterFind : phase);
      return;
    }
    for (var e : unacked.entrySet()) {
      if (e.getValue().correlationId() != t.correlationId()) continue;
      if (ctx.localTimeMs() - builtAtMs.getOrDefault(e.getKey(), ctx.localTimeMs()) >= config.deliveryTimeoutMs()) {
        // The batch expired (TimeoutException): an abortable error. The request may still be on its way.
        ctx.point("kafka.producer.batch-expired", config.transactionalId() + ": the batch for " + config.topic() + "-" + e.getKey()
                + " expired after delivery.timeout.ms=" + config.deliveryTimeoutMs() + " (its last request may still arrive); aborting the transaction",
            "transactionalId", config.transactionalId(), "partition", e.getKey());
        commit = false;
        endTransaction(ctx);
        return;
      }
      e.setValue(new InFlight(-1, null));
      leaders.remove(e.getKey());
      produce(ctx);
      return;
    }
  }

  /** The peer's process died: requests in flight to it fail now (kafka-clients' NetworkClient on disconnect). */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    unreachable.add(peer);
    offsetCommitter.onPeerDisconnected(ctx, peer);
    if (peer.equals(coordinator)) {
      coordinator = null;
      if (coordinatorRequest >= 0 && phase != Phase.FIND_COORDINATOR) findCoordinator(ctx, phase);
    }
    boolean resend = false;
    for (var e : unacked.entrySet()) {
      if (e.getValue().correlationId() >= 0 && peer.equals(e.getValue().to())) {
        e.setValue(new InFlight(-1, null));
        leaders.remove(e.getKey());
        resend = true;
      }
    }
    if (resend && phase == Phase.PRODUCE) produce(ctx);
  }

  @Override
  public String describeState() {
    return config.transactionalId() + " " + phase + ", producer " + producerId + "/" + producerEpoch + ", transaction " + txnNumber
        + (values.isEmpty() ? "" : " " + values) + ", coordinator " + coordinator + ", unacknowledged " + unacked.keySet();
  }
}
