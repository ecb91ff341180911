package sim.kafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnBrokerRequest;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnBrokerResponse;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnTransaction;

/**
 * Kafka's {@code AddPartitionsToTxnManager} (KIP-890 part 1): a partition leader's verifications, batched per
 * transaction coordinator. At most one AddPartitionsToTxn (v4, {@code verifyOnly=true}) is in flight per coordinator;
 * what arrives meanwhile waits and goes in the next request ({@code generateRequests}). A newer verification of the
 * same transactional id replaces the queued one, which is answered NETWORK_EXCEPTION (same epoch) or
 * INVALID_PRODUCER_EPOCH (older epoch); an older one is refused INVALID_PRODUCER_EPOCH. A lost or disconnected request
 * answers every callback NETWORK_EXCEPTION after {@code request.timeout.ms}.
 */
final class AddPartitionsToTxnManager {
  /** The broker's {@code request.timeout.ms} (30000), the inter-broker send thread's timeout. */
  static final long REQUEST_TIMEOUT_MS = 30_000;

  /** Called once with the partitions that failed verification (empty: all verified). */
  interface AppendCallback {
    void done(NodeContext ctx, Map<TopicPartition, Errors> unverified);
  }

  /** One queued or in-flight transaction: what is asked and who waits (several of the producer's partitions, see README). */
  private static final class Pending {
    AddPartitionsToTxnTransaction txn;
    final List<AppendCallback> callbacks = new ArrayList<>();
    final List<Set<TopicPartition>> asked = new ArrayList<>();

    Pending(AddPartitionsToTxnTransaction txn, AppendCallback cb) {
      this.txn = txn;
      add(txn.partitions(), cb);
    }

    void add(Set<TopicPartition> tps, AppendCallback cb) {
      callbacks.add(cb);
      asked.add(tps);
    }

    void answer(NodeContext ctx, Map<TopicPartition, Errors> errors) {
      for (int i = 0; i < callbacks.size(); i++) {
        Map<TopicPartition, Errors> mine = new TreeMap<>();
        for (TopicPartition tp : asked.get(i)) if (errors.containsKey(tp)) mine.put(tp, errors.get(tp));
        callbacks.get(i).done(ctx, mine);
      }
    }
  }

  private record InFlight(long correlationId, Map<String, Pending> transactions) {}

  /** Timer: the request to {@code node} got no answer within request.timeout.ms. */
  record VerificationTimeout(NodeId node, long correlationId) implements sim.core.Timer {}

  private final Map<NodeId, Map<String, Pending>> nodesToTransactions = new TreeMap<>();
  private final Map<NodeId, InFlight> inflightNodes = new TreeMap<>();
  private long nextCorrelationId = 1;

  /** {@code verifyTransaction}: asks {@code coordinator} (null: none known) whether {@code tps} are in the transaction. */
  void verifyTransaction(NodeContext ctx, NodeId coordinator, String transactionalId, long producerId, short producerEpoch,
      Set<TopicPartition> tps, AppendCallback callback) {
    if (coordinator == null) {
      callback.done(ctx, all(tps, Errors.COORDINATOR_NOT_AVAILABLE));
      return;
    }
    Map<String, Pending> queued = nodesToTransactions.computeIfAbsent(coordinator, n -> new TreeMap<>());
    Pending existing = queued.get(transactionalId);
    if (existing != null && existing.txn.producerId() == producerId && existing.txn.producerEpoch() == producerEpoch) {
      // Our producer sends one ProduceRequest per partition where kafka-clients sends one per broker: the partitions of
      // one producer id and epoch go into one transaction entry, as they would be in Kafka's one request.
      Set<TopicPartition> merged = new TreeSet<>(existing.txn.partitions());
      merged.addAll(tps);
      existing.txn = new AddPartitionsToTxnTransaction(transactionalId, producerId, producerEpoch, true, merged);
      existing.add(new TreeSet<>(tps), callback);
      return;
    }
    if (existing != null) {
      if (existing.txn.producerEpoch() > producerEpoch) {
        callback.done(ctx, all(tps, Errors.INVALID_PRODUCER_EPOCH));
        return;
      }
      queued.remove(transactionalId);
      existing.answer(ctx, all(existing.txn.partitions(),
          existing.txn.producerEpoch() < producerEpoch ? Errors.INVALID_PRODUCER_EPOCH : Errors.NETWORK_EXCEPTION));
    }
    queued.put(transactionalId, new Pending(new AddPartitionsToTxnTransaction(transactionalId, producerId, producerEpoch, true,
        new TreeSet<>(tps)), callback));
    maybeSend(ctx, coordinator);
  }

  /** {@code generateRequests}: one request per coordinator with nothing in flight. */
  private void maybeSend(NodeContext ctx, NodeId node) {
    if (inflightNodes.containsKey(node)) return;
    Map<String, Pending> queued = nodesToTransactions.remove(node);
    if (queued == null || queued.isEmpty()) return;
    long id = nextCorrelationId++;
    List<AddPartitionsToTxnTransaction> txns = new ArrayList<>();
    for (Pending p : queued.values()) txns.add(p.txn);
    inflightNodes.put(node, new InFlight(id, queued));
    ctx.send(node, new AddPartitionsToTxnBrokerRequest(id, txns));
    ctx.setTimer(new VerificationTimeout(node, id), Durations.millis(REQUEST_TIMEOUT_MS));
  }

  /** {@code AddPartitionsToTxnHandler.onComplete}. */
  void onResponse(NodeContext ctx, NodeId from, AddPartitionsToTxnBrokerResponse r) {
    InFlight f = inflightNodes.get(from);
    if (f == null || f.correlationId() != r.correlationId()) return;
    inflightNodes.remove(from);
    if (r.error() != Errors.NONE) {
      answerAll(ctx, f, r.error());
    } else {
      for (var e : f.transactions().entrySet()) {
        Map<TopicPartition, Errors> unverified = new TreeMap<>();
        Map<TopicPartition, Errors> results = r.resultsByTransaction().getOrDefault(e.getKey(), Map.of());
        for (TopicPartition tp : e.getValue().txn.partitions()) {
          Errors err = results.getOrDefault(tp, Errors.NONE);
          // PRODUCER_FENCED becomes the produce path's INVALID_PRODUCER_EPOCH. TRANSACTION_ABORTABLE passes through:
          // Produce v11+ clients (kafka-clients 4.1's) understand it (genericError); older ones get INVALID_TXN_STATE.
          if (err != Errors.NONE) unverified.put(tp, err == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : err);
        }
        e.getValue().answer(ctx, unverified);
      }
    }
    maybeSend(ctx, from);
  }

  void onTimeout(NodeContext ctx, VerificationTimeout t) {
    InFlight f = inflightNodes.get(t.node());
    if (f == null || f.correlationId() != t.correlationId()) return;
    failInFlight(ctx, t.node());
  }

  /** The connection to {@code peer} closed: its request in flight fails as Kafka's {@code wasDisconnected}. */
  void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (inflightNodes.containsKey(peer)) failInFlight(ctx, peer);
  }

  private void failInFlight(NodeContext ctx, NodeId node) {
    InFlight f = inflightNodes.remove(node);
    answerAll(ctx, f, Errors.NETWORK_EXCEPTION);
    maybeSend(ctx, node);
  }

  private static void answerAll(NodeContext ctx, InFlight f, Errors e) {
    for (Pending p : f.transactions().values()) p.answer(ctx, all(p.txn.partitions(), e));
  }

  private static Map<TopicPartition, Errors> all(Set<TopicPartition> tps, Errors e) {
    Map<TopicPartition, Errors> out = new TreeMap<>();
    for (TopicPartition tp : tps) out.put(tp, e);
    return out;
  }
}
