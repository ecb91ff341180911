package sim.kafka.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import sim.kafka.broker.Errors;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;

/**
 * The transaction coordinator's decisions (Kafka 4.1's {@code TransactionCoordinator} with transaction version 1:
 * explicit AddPartitionsToTxn, the epoch bumped by InitProducerId and by fencing), as a pure state machine over the
 * transactional ids of the {@code __transaction_state} partitions one broker leads. Each method is one request;
 * its answer says what the broker sends back, and which {@code WriteTxnMarkers} it must get appended before the
 * transaction is complete ({@link #markersWritten}).
 *
 * <p>Fencing is the epoch: InitProducerId bumps it, and every later request carrying an older epoch is answered
 * {@code PRODUCER_FENCED}. A transaction still Ongoing when a new instance initializes is aborted first (its
 * markers carry the bumped epoch, so partition leaders then refuse the zombie's data with
 * {@code INVALID_PRODUCER_EPOCH}), and the new instance is told {@code CONCURRENT_TRANSACTIONS} until the abort
 * completed; its retry bumps the epoch once more.
 */
public final class TransactionCoordinator {
  public static final String TRANSACTION_STATE_TOPIC = "__transaction_state";
  /** {@code transaction.state.log.num.partitions}. */
  public static final int DEFAULT_NUM_PARTITIONS = 50;
  /** {@code transaction.max.timeout.ms} (15 minutes): a producer may not ask for a longer {@code transaction.timeout.ms}. */
  public static final int TRANSACTION_MAX_TIMEOUT_MS = 900_000;

  /** An InitProducerId answer. */
  public record InitProducerIdResult(long producerId, short producerEpoch, Errors error) {}

  /** Markers the coordinator must have written: {@code result} for the transaction of producer id/epoch on {@code partitions}. */
  public record TxnMarkerEntry(String transactionalId, long producerId, short producerEpoch, int coordinatorEpoch,
      ControlRecordType result, Set<TopicPartition> partitions) {}

  /** An answer, and markers to write (none unless the request ended a transaction). */
  public record Result(Errors error, List<TxnMarkerEntry> markers) {
    static Result of(Errors e) {
      return new Result(e, List.of());
    }
  }

  private final int coordinatorEpoch;
  private final LongSupplier producerIds;
  private final Map<String, TransactionMetadata> txns = new TreeMap<>();

  /** @param coordinatorEpoch the leader epoch of the {@code __transaction_state} partition when this broker loaded it */
  public TransactionCoordinator(int coordinatorEpoch, LongSupplier producerIds) {
    this.coordinatorEpoch = coordinatorEpoch;
    this.producerIds = producerIds;
  }

  /** Kafka's {@code TransactionStateManager.partitionFor}: {@code Utils.abs(transactionalId.hashCode()) % partitions}. */
  public static int partitionFor(String transactionalId, int partitions) {
    int h = transactionalId.hashCode();
    return (h == Integer.MIN_VALUE ? 0 : Math.abs(h)) % partitions;
  }

  public TransactionMetadata metadata(String transactionalId) {
    return txns.get(transactionalId);
  }

  /** Every transactional id this coordinator knows, in order. */
  public List<String> transactionalIds() {
    return List.copyOf(txns.keySet());
  }

  public int coordinatorEpoch() {
    return coordinatorEpoch;
  }

  /**
   * The {@code __transaction_state} record of the id's current state. Kafka appends it (acks=all) before it
   * answers and before it sends markers: whatever a client or partition leader learns is already durable, so a
   * new coordinator that {@link #load}s the partition resumes exactly there.
   */
  public LogRecord record(String transactionalId, long nowMs) {
    TransactionMetadata m = txns.get(transactionalId);
    return new LogRecord(0, nowMs, TransactionLog.keyToBytes(transactionalId), TransactionLog.valueToBytes(m, nowMs), List.of());
  }

  /**
   * A broker became leader of a {@code __transaction_state} partition ({@code loadTransactionsForTxnTopicPartition}):
   * the last record per transactional id is its state. A transaction that was PrepareCommit or PrepareAbort had
   * its decision made durable but maybe not all its markers written: they are sent again, under this
   * coordinator's epoch.
   */
  public List<TxnMarkerEntry> load(List<LogRecord> records) {
    for (LogRecord r : records) {
      String id = TransactionLog.readKey(r.key());
      TransactionMetadata m = TransactionLog.readValue(id, r.value());
      if (m == null) txns.remove(id);
      else txns.put(id, m);
    }
    List<TxnMarkerEntry> pending = new ArrayList<>();
    for (TransactionMetadata m : txns.values()) {
      if (m.state == TransactionState.PREPARE_COMMIT) pending.add(markers(m, ControlRecordType.COMMIT));
      if (m.state == TransactionState.PREPARE_ABORT) pending.add(markers(m, ControlRecordType.ABORT));
    }
    return pending;
  }

  /** {@code handleInitProducerId} for a transactional id ({@code prepareInitProducerIdTransit}). */
  public InitProducerIdResult initProducerId(String transactionalId, int txnTimeoutMs, List<TxnMarkerEntry> markersOut) {
    if (txnTimeoutMs <= 0 || txnTimeoutMs > TRANSACTION_MAX_TIMEOUT_MS) return error(Errors.INVALID_TRANSACTION_TIMEOUT);
    TransactionMetadata m = txns.get(transactionalId);
    if (m == null) {
      m = new TransactionMetadata(transactionalId, producerIds.getAsLong(), (short) -1, txnTimeoutMs);
      txns.put(transactionalId, m);
    }
    switch (m.state) {
      case PREPARE_COMMIT, PREPARE_ABORT -> {
        return error(Errors.CONCURRENT_TRANSACTIONS);
      }
      case ONGOING -> {
        // prepareFenceProducerEpoch, then abort with the bumped epoch; the caller retries once the abort completed.
        m.producerEpoch++;
        m.state = TransactionState.PREPARE_EPOCH_FENCE;
        markersOut.addAll(prepareEnd(m, ControlRecordType.ABORT));
        return error(Errors.CONCURRENT_TRANSACTIONS);
      }
      default -> {
        if (isEpochExhausted(m.producerEpoch)) {
          // prepareProducerIdRotation: a fresh producer id starts again at epoch 0.
          m = new TransactionMetadata(transactionalId, producerIds.getAsLong(), (short) 0, txnTimeoutMs);
          txns.put(transactionalId, m);
        } else {
          m.producerEpoch = (short) (m.producerEpoch + 1);
        }
        m.state = TransactionState.EMPTY;
        m.topicPartitions.clear();
        return new InitProducerIdResult(m.producerId, m.producerEpoch, Errors.NONE);
      }
    }
  }

  /** {@code handleAddPartitionsToTransaction}: the first one opens the transaction. */
  public Errors addPartitionsToTxn(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions, long nowMs) {
    TransactionMetadata m = txns.get(transactionalId);
    Errors e = checkProducer(m, producerId, producerEpoch);
    if (e != Errors.NONE) return e;
    if (m.state == TransactionState.PREPARE_COMMIT || m.state == TransactionState.PREPARE_ABORT) return Errors.CONCURRENT_TRANSACTIONS;
    if (m.state != TransactionState.ONGOING) {
      m.topicPartitions.clear();
      m.txnStartTimestamp = nowMs;
    }
    m.state = TransactionState.ONGOING;
    m.topicPartitions.addAll(partitions);
    return Errors.NONE;
  }

  /**
   * {@code handleVerifyPartitionsInTransaction} (KIP-890, AddPartitionsToTxn with verifyOnly): no state change, only
   * whether each partition is in the producer's ongoing transaction. An unknown id or another producer id is
   * INVALID_PRODUCER_ID_MAPPING, another epoch PRODUCER_FENCED, a transaction being ended CONCURRENT_TRANSACTIONS; a
   * partition not in the transaction TRANSACTION_ABORTABLE (Kafka clears a transaction's partitions when it completes;
   * here a transaction not Ongoing has none).
   */
  public Map<TopicPartition, Errors> verifyPartitionsInTransaction(String transactionalId, long producerId, short producerEpoch,
      Set<TopicPartition> partitions) {
    TransactionMetadata m = txns.get(transactionalId);
    Errors e = checkProducer(m, producerId, producerEpoch);
    if (e == Errors.NONE && (m.state == TransactionState.PREPARE_COMMIT || m.state == TransactionState.PREPARE_ABORT)) {
      e = Errors.CONCURRENT_TRANSACTIONS;
    }
    Map<TopicPartition, Errors> out = new java.util.TreeMap<>();
    for (TopicPartition tp : partitions) {
      boolean in = e == Errors.NONE && m.state == TransactionState.ONGOING && m.topicPartitions.contains(tp);
      out.put(tp, e != Errors.NONE ? e : in ? Errors.NONE : Errors.TRANSACTION_ABORTABLE);
    }
    return out;
  }

  /** {@code handleEndTransaction} from the client: commit or abort the open transaction. */
  public Result endTxn(String transactionalId, long producerId, short producerEpoch, ControlRecordType result) {
    TransactionMetadata m = txns.get(transactionalId);
    Errors e = checkProducer(m, producerId, producerEpoch);
    if (e != Errors.NONE) return Result.of(e);
    boolean commit = result == ControlRecordType.COMMIT;
    return switch (m.state) {
      case ONGOING -> new Result(Errors.NONE, prepareEnd(m, result));
      // A retry of the EndTxn that already completed is answered NONE; the other outcome is not allowed any more.
      case COMPLETE_COMMIT -> Result.of(commit ? Errors.NONE : Errors.INVALID_TXN_STATE);
      case COMPLETE_ABORT -> Result.of(commit ? Errors.INVALID_TXN_STATE : Errors.NONE);
      case PREPARE_COMMIT -> Result.of(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
      case PREPARE_ABORT -> Result.of(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
      case EMPTY, PREPARE_EPOCH_FENCE -> Result.of(Errors.INVALID_TXN_STATE);
    };
  }

  /** Every partition has its marker: the transaction is complete ({@code CompleteCommit}/{@code CompleteAbort}). */
  public void markersWritten(String transactionalId, short producerEpoch) {
    TransactionMetadata m = txns.get(transactionalId);
    if (m == null || m.producerEpoch != producerEpoch) return;
    if (m.state == TransactionState.PREPARE_COMMIT) m.state = TransactionState.COMPLETE_COMMIT;
    else if (m.state == TransactionState.PREPARE_ABORT) m.state = TransactionState.COMPLETE_ABORT;
    else return;
    m.topicPartitions.clear();
  }

  /**
   * {@code abortTimedOutTransactions}: an Ongoing transaction older than its {@code transaction.timeout.ms} is
   * fenced (epoch + 1) and aborted, so a hung producer cannot hold the last stable offset back forever.
   */
  public List<TxnMarkerEntry> abortTimedOutTransactions(long nowMs) {
    List<TxnMarkerEntry> out = new ArrayList<>();
    for (TransactionMetadata m : txns.values()) {
      if (m.state == TransactionState.ONGOING && m.txnStartTimestamp + m.txnTimeoutMs < nowMs) {
        m.producerEpoch++;
        m.state = TransactionState.PREPARE_EPOCH_FENCE;
        out.addAll(prepareEnd(m, ControlRecordType.ABORT));
      }
    }
    return out;
  }

  private List<TxnMarkerEntry> prepareEnd(TransactionMetadata m, ControlRecordType result) {
    m.state = result == ControlRecordType.COMMIT ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
    return List.of(markers(m, result));
  }

  private TxnMarkerEntry markers(TransactionMetadata m, ControlRecordType result) {
    return new TxnMarkerEntry(m.transactionalId, m.producerId, m.producerEpoch, coordinatorEpoch, result, java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(m.topicPartitions)));
  }

  /** The producer id must be the id's current one, and the epoch its current epoch: an older one is a zombie. */
  private static Errors checkProducer(TransactionMetadata m, long producerId, short producerEpoch) {
    if (m == null || m.producerId != producerId) return Errors.INVALID_PRODUCER_ID_MAPPING;
    if (producerEpoch != m.producerEpoch) return Errors.PRODUCER_FENCED;
    return Errors.NONE;
  }

  /** {@code TransactionMetadata.isEpochExhausted}: the last epochs are kept for the bumps fencing needs. */
  static boolean isEpochExhausted(short epoch) {
    return epoch >= Short.MAX_VALUE - 1;
  }

  private static InitProducerIdResult error(Errors e) {
    return new InitProducerIdResult(-1, (short) -1, e);
  }
}
