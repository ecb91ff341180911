package sim.kafka.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import sim.core.Durations;
import sim.core.Message;
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
import sim.kafka.broker.KafkaMessage.TxnInitProducerIdRequest;
import sim.kafka.broker.KafkaMessage.TxnInitProducerIdResponse;
import sim.kafka.broker.KafkaMessage.WriteTxnMarkersRequest;
import sim.kafka.broker.KafkaMessage.WriteTxnMarkersResponse;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.txn.TransactionCoordinator.TxnMarkerEntry;

/**
 * One broker's transaction coordinator service (Kafka's {@code TransactionStateManager} with the
 * {@code TransactionMarkerChannelManager}): a {@link TransactionCoordinator} per {@code __transaction_state} partition
 * this broker leads, each loaded from that partition's log, moving with the partition's leadership as the group
 * coordinator does. Every state change is written to the partition (acks=all) before anyone hears of it: the answer
 * to the producer, or the {@code WriteTxnMarkers} to the partition leaders. A write that fails leaves memory ahead of
 * the log, so the partition is loaded again from the log (Kafka reverts the pending state instead).
 */
public final class TransactionManager {
  /** {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}. */
  public static final long ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS = 10_000;
  /** The marker channel's {@code retry.backoff.ms} and {@code request.timeout.ms}. */
  static final long MARKER_RETRY_BACKOFF_MS = 100;
  static final long MARKER_REQUEST_TIMEOUT_MS = 30_000;
  /** How often a partition still loading looks whether its high watermark reached the log end it must load. */
  static final long LOAD_CHECK_MS = 100;

  /** What the coordinator needs of its broker. */
  public interface Host {
    /** Appends records to a partition this broker leads (acks=all); false if it does not lead it. */
    boolean append(NodeContext ctx, TopicPartition tp, List<LogRecord> records, Consumer<Errors> done);

    /** The log of {@code tp} if this broker leads it, else null. */
    Log ledLog(TopicPartition tp);

    long highWatermark(TopicPartition tp);

    /** The leader of {@code tp} in this broker's metadata, or null. */
    NodeId leaderOf(TopicPartition tp);

    /** {@code transaction.state.log.num.partitions}, as the metadata shows the topic. */
    int partitions();

    /** {@code offsets.topic.num.partitions}, as the metadata shows {@code __consumer_offsets}. */
    int offsetsPartitions();
  }

  public sealed interface TxnTimer extends Timer {}

  record LoadCheck(int partition, long generation) implements TxnTimer {}

  record AbortTimedOut() implements TxnTimer {}

  record MarkerRetry(String transactionalId, TopicPartition tp, long attempt) implements TxnTimer {}

  /** A {@code __transaction_state} partition this broker leads; no coordinator while it is loading. */
  private static final class Owned {
    final int partition;
    final int leaderEpoch;
    long generation;
    long loadUpTo;
    TransactionCoordinator coordinator;
    final long[] nextProducerId = new long[1];

    Owned(int partition, int leaderEpoch) {
      this.partition = partition;
      this.leaderEpoch = leaderEpoch;
    }
  }

  private record Attempt(long correlationId, NodeId to) {}

  /** The markers of one transaction not yet acknowledged, per partition the request in flight. */
  private record PendingMarkers(Owned owner, long generation, TxnMarkerEntry entry, TreeMap<TopicPartition, Attempt> remaining) {}

  private final Host host;
  private final TreeMap<Integer, Owned> owned = new TreeMap<>();
  private final TreeMap<String, PendingMarkers> markers = new TreeMap<>();
  private long generations;
  private long nextCorrelationId;
  private boolean cleanupArmed;

  public TransactionManager(Host host) {
    this.host = host;
  }

  static TopicPartition topicPartition(int partition) {
    return new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, partition);
  }

  /**
   * Producer ids for new transactional ids come from a range of this partition's own, one above the highest its log
   * holds (Kafka takes blocks the controller allocates): unique across coordinators and their failovers.
   */
  static long producerIdBase(int partition) {
    return (1L << 40) + ((long) partition << 24);
  }

  // ---- loading and resigning ----

  /**
   * This broker became leader of the partition in {@code leaderEpoch} (the coordinator epoch). The log is read once
   * the high watermark reached today's log end (Kafka answers COORDINATOR_LOAD_IN_PROGRESS meanwhile): a state the
   * previous coordinator wrote but never saw committed is acted on only once it is.
   */
  public void load(NodeContext ctx, TopicPartition tp, int leaderEpoch) {
    Owned o = new Owned(tp.partition(), leaderEpoch);
    owned.put(tp.partition(), o);
    startLoading(ctx, o);
    if (!cleanupArmed) {
      cleanupArmed = true;
      ctx.setTimer(new AbortTimedOut(), Durations.millis(ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS));
    }
  }

  private void startLoading(NodeContext ctx, Owned o) {
    o.generation = ++generations;
    o.coordinator = null;
    markers.values().removeIf(pm -> pm.owner() == o);
    Log log = host.ledLog(topicPartition(o.partition));
    o.loadUpTo = log == null ? 0 : log.logEndOffset();
    maybeFinishLoad(ctx, o);
  }

  private void maybeFinishLoad(NodeContext ctx, Owned o) {
    TopicPartition tp = topicPartition(o.partition);
    Log log = host.ledLog(tp);
    if (log == null || owned.get(o.partition) != o) return;
    long hw = host.highWatermark(tp);
    if (hw < o.loadUpTo) {
      ctx.setTimer(new LoadCheck(o.partition, o.generation), Durations.millis(LOAD_CHECK_MS));
      return;
    }
    o.nextProducerId[0] = producerIdBase(o.partition);
    o.coordinator = new TransactionCoordinator(o.leaderEpoch, () -> o.nextProducerId[0]++);
    List<LogRecord> records = new ArrayList<>();
    for (LogRecord r : RecordBatches.allRecords(log.read(log.logStartOffset(), hw, Integer.MAX_VALUE))) if (r.key() != null) records.add(r);
    List<TxnMarkerEntry> resume = o.coordinator.load(records);
    List<String> states = new ArrayList<>();
    for (String id : o.coordinator.transactionalIds()) {
      TransactionMetadata m = o.coordinator.metadata(id);
      if (m.producerId >= o.nextProducerId[0] && m.producerId < producerIdBase(o.partition + 1)) o.nextProducerId[0] = m.producerId + 1;
      states.add(id + " " + m.state + " " + m.producerId + "/" + m.producerEpoch);
    }
    ctx.point("kafka.txn.load", tp + " loaded in coordinator epoch " + o.leaderEpoch + " from " + records.size() + " records: " + states
            + (resume.isEmpty() ? "" : "; resumes the markers of " + resume.stream().map(e -> e.transactionalId() + " " + e.result()).toList()),
        "partition", tp.toString(), "coordinatorEpoch", o.leaderEpoch, "records", records.size(), "resumed", resume.size());
    for (TxnMarkerEntry e : resume) startMarkers(ctx, o, e);
  }

  /** This broker no longer leads the partition: its transactional ids are the next leader's. */
  public void unload(NodeContext ctx, TopicPartition tp) {
    Owned o = owned.remove(tp.partition());
    if (o == null) return;
    markers.values().removeIf(pm -> pm.owner() == o);
    ctx.note("transaction coordinator for " + tp + " resigns; its transactional ids move with the partition's leadership");
  }

  // ---- requests ----

  public static boolean handles(Message m) {
    return m instanceof TxnInitProducerIdRequest || m instanceof AddPartitionsToTxnRequest || m instanceof AddOffsetsToTxnRequest
        || m instanceof KafkaMessage.AddPartitionsToTxnBrokerRequest
        || m instanceof EndTxnRequest || m instanceof WriteTxnMarkersResponse;
  }

  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof TxnInitProducerIdRequest r) onInitProducerId(ctx, from, r);
    else if (m instanceof AddPartitionsToTxnRequest r) onAddPartitions(ctx, from, r);
    else if (m instanceof KafkaMessage.AddPartitionsToTxnBrokerRequest r) onVerify(ctx, from, r);
    else if (m instanceof AddOffsetsToTxnRequest r) onAddOffsets(ctx, from, r);
    else if (m instanceof EndTxnRequest r) onEndTxn(ctx, from, r);
    else if (m instanceof WriteTxnMarkersResponse r) onMarkerResponse(ctx, r);
  }

  private Owned ownerOf(String transactionalId) {
    return owned.get(TransactionCoordinator.partitionFor(transactionalId, host.partitions()));
  }

  private static Errors notReady(Owned o) {
    if (o == null) return Errors.NOT_COORDINATOR;
    return o.coordinator == null ? Errors.COORDINATOR_LOAD_IN_PROGRESS : Errors.NONE;
  }

  private void onInitProducerId(NodeContext ctx, NodeId from, TxnInitProducerIdRequest r) {
    Owned o = ownerOf(r.transactionalId());
    Errors e = notReady(o);
    if (e != Errors.NONE) {
      ctx.send(from, new TxnInitProducerIdResponse(r.correlationId(), e, -1, (short) -1));
      return;
    }
    List<TxnMarkerEntry> abort = new ArrayList<>();
    TransactionCoordinator.InitProducerIdResult res = o.coordinator.initProducerId(r.transactionalId(), r.transactionTimeoutMs(), abort);
    if (!abort.isEmpty()) {
      TxnMarkerEntry entry = abort.get(0);
      ctx.point("kafka.txn.fence", r.transactionalId() + ": InitProducerId finds a transaction Ongoing; epoch bumped to " + entry.producerEpoch()
              + " (fences the old producer), aborting it on " + entry.partitions() + "; answers CONCURRENT_TRANSACTIONS until it completed",
          "transactionalId", r.transactionalId(), "producerId", entry.producerId(), "producerEpoch", (int) entry.producerEpoch());
      write(ctx, o, r.transactionalId(), written -> {
        if (written == Errors.NONE) startMarkers(ctx, o, entry);
      });
    }
    if (res.error() != Errors.NONE) {
      ctx.send(from, new TxnInitProducerIdResponse(r.correlationId(), res.error(), -1, (short) -1));
      return;
    }
    write(ctx, o, r.transactionalId(), written -> {
      if (written == Errors.NONE) {
        ctx.point("kafka.txn.init", r.transactionalId() + " InitProducerId: producer " + res.producerId() + " epoch " + res.producerEpoch()
                + " (any older epoch is fenced)",
            "transactionalId", r.transactionalId(), "producerId", res.producerId(), "producerEpoch", (int) res.producerEpoch());
      }
      ctx.send(from, new TxnInitProducerIdResponse(r.correlationId(), written, written == Errors.NONE ? res.producerId() : -1,
          written == Errors.NONE ? res.producerEpoch() : -1));
    });
  }

  private void onAddPartitions(NodeContext ctx, NodeId from, AddPartitionsToTxnRequest r) {
    Owned o = ownerOf(r.transactionalId());
    Errors e = notReady(o);
    if (e == Errors.NONE) e = o.coordinator.addPartitionsToTxn(r.transactionalId(), r.producerId(), r.producerEpoch(), r.partitions(), ctx.localTimeMs());
    if (e != Errors.NONE) {
      ctx.send(from, new AddPartitionsToTxnResponse(r.correlationId(), e));
      return;
    }
    write(ctx, o, r.transactionalId(), written -> {
      if (written == Errors.NONE) {
        ctx.point("kafka.txn.add-partitions", r.transactionalId() + " Ongoing, partitions " + o.coordinator.metadata(r.transactionalId()).topicPartitions,
            "transactionalId", r.transactionalId(), "partitions", r.partitions().toString());
      }
      ctx.send(from, new AddPartitionsToTxnResponse(r.correlationId(), written));
    });
  }

  /**
   * AddPartitionsToTxn v4 from a partition leader ({@code KafkaApis.handleAddPartitionsToTxnRequest} with verifyOnly,
   * KIP-890): answered from memory, nothing written. A transactional id this broker does not coordinate (or is still
   * loading) gets NOT_COORDINATOR (COORDINATOR_LOAD_IN_PROGRESS) for each of its partitions.
   */
  private void onVerify(NodeContext ctx, NodeId from, KafkaMessage.AddPartitionsToTxnBrokerRequest r) {
    java.util.Map<String, java.util.Map<TopicPartition, Errors>> results = new java.util.TreeMap<>();
    for (KafkaMessage.AddPartitionsToTxnTransaction t : r.transactions()) {
      Owned o = ownerOf(t.transactionalId());
      Errors e = notReady(o);
      java.util.Map<TopicPartition, Errors> res = new java.util.TreeMap<>();
      if (e != Errors.NONE) for (TopicPartition tp : t.partitions()) res.put(tp, e);
      else res = o.coordinator.verifyPartitionsInTransaction(t.transactionalId(), t.producerId(), t.producerEpoch(), t.partitions());
      results.put(t.transactionalId(), res);
      ctx.point("kafka.txn.verify", t.transactionalId() + " (producer " + t.producerId() + "/" + t.producerEpoch() + ") verifyOnly "
              + t.partitions() + " from " + from + ": " + res,
          "transactionalId", t.transactionalId(), "producerId", t.producerId(), "partitions", t.partitions().toString(), "result", res.toString());
    }
    ctx.send(from, new KafkaMessage.AddPartitionsToTxnBrokerResponse(r.correlationId(), Errors.NONE, results));
  }

  /**
   * AddOffsetsToTxn ({@code KafkaApis.handleAddOffsetsToTxnRequest}): the group's {@code __consumer_offsets} partition,
   * {@code abs(groupId.hashCode()) % offsets.topic.num.partitions}, joins the transaction as AddPartitionsToTxn would
   * add it, so EndTxn sends it a marker that settles the offsets the producer then commits there.
   */
  private void onAddOffsets(NodeContext ctx, NodeId from, AddOffsetsToTxnRequest r) {
    Owned o = ownerOf(r.transactionalId());
    Errors e = notReady(o);
    TopicPartition offsets = new TopicPartition(sim.kafka.group.GroupCoordinator.OFFSETS_TOPIC,
        sim.kafka.group.GroupCoordinator.partitionFor(r.groupId(), host.offsetsPartitions()));
    if (e == Errors.NONE) e = o.coordinator.addPartitionsToTxn(r.transactionalId(), r.producerId(), r.producerEpoch(), java.util.Set.of(offsets), ctx.localTimeMs());
    if (e != Errors.NONE) {
      ctx.send(from, new AddOffsetsToTxnResponse(r.correlationId(), e));
      return;
    }
    write(ctx, o, r.transactionalId(), written -> {
      if (written == Errors.NONE) {
        ctx.point("kafka.txn.add-offsets", r.transactionalId() + " adds " + offsets + " (group " + r.groupId() + ") to the transaction: partitions "
            + o.coordinator.metadata(r.transactionalId()).topicPartitions, "transactionalId", r.transactionalId(), "group", r.groupId(),
            "partition", offsets.toString());
      }
      ctx.send(from, new AddOffsetsToTxnResponse(r.correlationId(), written));
    });
  }

  private void onEndTxn(NodeContext ctx, NodeId from, EndTxnRequest r) {
    Owned o = ownerOf(r.transactionalId());
    Errors e = notReady(o);
    if (e != Errors.NONE) {
      ctx.send(from, new EndTxnResponse(r.correlationId(), e));
      return;
    }
    ControlRecordType result = r.committed() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
    TransactionCoordinator.Result res = o.coordinator.endTxn(r.transactionalId(), r.producerId(), r.producerEpoch(), result);
    if (res.error() != Errors.NONE || res.markers().isEmpty()) {
      ctx.send(from, new EndTxnResponse(r.correlationId(), res.error()));
      return;
    }
    TxnMarkerEntry entry = res.markers().get(0);
    write(ctx, o, r.transactionalId(), written -> {
      ctx.send(from, new EndTxnResponse(r.correlationId(), written));
      if (written != Errors.NONE) return;
      ctx.point("kafka.txn.end", r.transactionalId() + " " + (r.committed() ? "PrepareCommit" : "PrepareAbort") + " is durable: "
              + result + " markers go to " + entry.partitions(),
          "transactionalId", r.transactionalId(), "result", result.toString(), "partitions", entry.partitions().toString());
      startMarkers(ctx, o, entry);
    });
  }

  /**
   * The id's current state as a {@code __transaction_state} record, acks=all; {@code done} gets NONE once committed,
   * else the error the client is told (Kafka's mapping in {@code appendTransactionToLog}), after the partition
   * started loading again from its log.
   */
  private void write(NodeContext ctx, Owned o, String transactionalId, Consumer<Errors> done) {
    long generation = o.generation;
    List<LogRecord> record = List.of(o.coordinator.record(transactionalId, ctx.localTimeMs()));
    boolean started = host.append(ctx, topicPartition(o.partition), record, written -> {
      if (owned.get(o.partition) != o || o.generation != generation) {
        done.accept(Errors.NOT_COORDINATOR);
        return;
      }
      if (written == Errors.NONE) {
        done.accept(Errors.NONE);
        return;
      }
      ctx.note(topicPartition(o.partition) + ": transaction state write failed (" + written + "); reloading the partition from its log");
      startLoading(ctx, o);
      done.accept(written == Errors.NOT_LEADER_OR_FOLLOWER || written == Errors.KAFKA_STORAGE_ERROR ? Errors.NOT_COORDINATOR : Errors.COORDINATOR_NOT_AVAILABLE);
    });
    if (!started) done.accept(Errors.NOT_COORDINATOR);
  }

  // ---- markers ----

  private void startMarkers(NodeContext ctx, Owned o, TxnMarkerEntry entry) {
    PendingMarkers pm = new PendingMarkers(o, o.generation, entry, new TreeMap<>());
    markers.put(entry.transactionalId(), pm);
    if (entry.partitions().isEmpty()) {
      complete(ctx, pm);
      return;
    }
    for (TopicPartition tp : new java.util.TreeSet<>(entry.partitions())) sendMarker(ctx, pm, tp);
  }

  private void sendMarker(NodeContext ctx, PendingMarkers pm, TopicPartition tp) {
    long id = nextCorrelationId++;
    NodeId leader = host.leaderOf(tp);
    pm.remaining().put(tp, new Attempt(id, leader));
    TxnMarkerEntry e = pm.entry();
    if (leader == null) {
      ctx.setTimer(new MarkerRetry(e.transactionalId(), tp, id), Durations.millis(MARKER_RETRY_BACKOFF_MS));
      return;
    }
    ctx.send(leader, new WriteTxnMarkersRequest(id, e.producerId(), e.producerEpoch(), e.coordinatorEpoch(), e.result(), tp));
    ctx.setTimer(new MarkerRetry(e.transactionalId(), tp, id), Durations.millis(MARKER_REQUEST_TIMEOUT_MS));
  }

  private PendingMarkers awaiting(String transactionalId, TopicPartition tp, long attempt) {
    PendingMarkers pm = markers.get(transactionalId);
    if (pm == null || owned.get(pm.owner().partition) != pm.owner() || pm.owner().generation != pm.generation()) return null;
    Attempt a = pm.remaining().get(tp);
    return a != null && a.correlationId() == attempt ? pm : null;
  }

  private void onMarkerResponse(NodeContext ctx, WriteTxnMarkersResponse r) {
    for (Map.Entry<String, PendingMarkers> en : markers.entrySet()) {
      PendingMarkers pm = awaiting(en.getKey(), r.tp(), r.correlationId());
      if (pm == null) continue;
      if (r.error() == Errors.NONE) {
        pm.remaining().remove(r.tp());
        if (pm.remaining().isEmpty()) complete(ctx, pm);
      } else if (r.error() == Errors.INVALID_PRODUCER_EPOCH || r.error() == Errors.TRANSACTION_COORDINATOR_FENCED) {
        // The partition saw a newer producer epoch or coordinator: this coordinator's markers are stale (Kafka drops them).
        ctx.note(en.getKey() + ": marker on " + r.tp() + " refused with " + r.error() + "; giving up this transaction's markers");
        markers.remove(en.getKey());
      } else {
        ctx.setTimer(new MarkerRetry(en.getKey(), r.tp(), r.correlationId()), Durations.millis(MARKER_RETRY_BACKOFF_MS));
      }
      return;
    }
  }

  /** Every partition has its marker: CompleteCommit or CompleteAbort, written (nobody waits for it). */
  private void complete(NodeContext ctx, PendingMarkers pm) {
    TxnMarkerEntry e = pm.entry();
    markers.remove(e.transactionalId());
    Owned o = pm.owner();
    if (owned.get(o.partition) != o || o.generation != pm.generation()) return;
    o.coordinator.markersWritten(e.transactionalId(), e.producerEpoch());
    TransactionMetadata m = o.coordinator.metadata(e.transactionalId());
    ctx.point("kafka.txn.complete", e.transactionalId() + " " + m.state + ": every partition has its " + e.result() + " marker",
        "transactionalId", e.transactionalId(), "state", m.state.toString(), "producerEpoch", (int) e.producerEpoch());
    write(ctx, o, e.transactionalId(), written -> {});
  }

  /** A marker request's connection to {@code peer} reset: retry it (at the leader the metadata names by then). */
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    for (Map.Entry<String, PendingMarkers> en : markers.entrySet()) {
      for (Map.Entry<TopicPartition, Attempt> a : en.getValue().remaining().entrySet()) {
        if (peer.equals(a.getValue().to())) {
          ctx.setTimer(new MarkerRetry(en.getKey(), a.getKey(), a.getValue().correlationId()), Durations.millis(MARKER_RETRY_BACKOFF_MS));
        }
      }
    }
  }

  public void onTimer(NodeContext ctx, TxnTimer t) {
    if (t instanceof LoadCheck l) {
      Owned o = owned.get(l.partition());
      if (o != null && o.generation == l.generation() && o.coordinator == null) maybeFinishLoad(ctx, o);
    } else if (t instanceof MarkerRetry m) {
      PendingMarkers pm = awaiting(m.transactionalId(), m.tp(), m.attempt());
      if (pm != null) sendMarker(ctx, pm, m.tp());
    } else if (t instanceof AbortTimedOut) {
      abortTimedOut(ctx);
      ctx.setTimer(new AbortTimedOut(), Durations.millis(ABORT_TIMED_OUT_CLEANUP_INTERVAL_MS));
    }
  }

  /** {@code abortTimedOutTransactions}: fence and abort every Ongoing transaction older than its transaction.timeout.ms. */
  private void abortTimedOut(NodeContext ctx) {
    for (Owned o : List.copyOf(owned.values())) {
      if (o.coordinator == null) continue;
      for (TxnMarkerEntry e : o.coordinator.abortTimedOutTransactions(ctx.localTimeMs())) {
        ctx.point("kafka.txn.timeout", e.transactionalId() + " open longer than transaction.timeout.ms: epoch bumped to " + e.producerEpoch()
                + ", aborting on " + e.partitions(),
            "transactionalId", e.transactionalId(), "producerId", e.producerId(), "producerEpoch", (int) e.producerEpoch());
        write(ctx, o, e.transactionalId(), written -> {
          if (written == Errors.NONE) startMarkers(ctx, o, e);
        });
      }
    }
  }

  // ---- views ----

  /** The id's state at this broker, or null unless this broker coordinates it and has loaded its partition. */
  public TransactionMetadata metadata(String transactionalId) {
    Owned o = ownerOf(transactionalId);
    return o == null || o.coordinator == null ? null : o.coordinator.metadata(transactionalId);
  }

  public String describe() {
    if (owned.isEmpty()) return "";
    StringBuilder b = new StringBuilder("  transaction coordinator:\n");
    for (Owned o : owned.values()) {
      b.append("    ").append(topicPartition(o.partition)).append(" epoch ").append(o.leaderEpoch);
      if (o.coordinator == null) b.append(" loading (waits for HW ").append(o.loadUpTo).append(")\n");
      else b.append(' ').append(o.coordinator.transactionalIds().stream().map(o.coordinator::metadata).toList()).append('\n');
    }
    return b.toString();
  }
}
