package sim.kafka.log;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.RecordBatches;

/**
 * The idempotent producer's broker side ({@code ProducerStateManager}): per producer id its epoch and the
 * metadata of its last 5 batches ({@code NUM_BATCHES_TO_RETAIN}). A retried batch whose sequences match one
 * of them is a duplicate: the leader answers with the original offset instead of appending again.
 */
public final class ProducerStateManager {
  public static final int NUM_BATCHES_TO_RETAIN = 5;

  /** The verdict on an incoming batch. */
  public enum Verdict { APPEND, DUPLICATE, OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED }

  /** A transaction its marker ended (Kafka's {@code CompletedTxn}): its first data offset to the marker's offset. */
  public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean isAborted) {}

  public record Check(Verdict verdict, long duplicateOffset) {}

  private record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset) {}

  private static final class Entry {
    short epoch;
    /** The first offset of the producer's open transaction, or -1 ({@code ProducerStateEntry.currentTxnFirstOffset}). */
    long currentTxnFirstOffset = -1;
    int coordinatorEpoch = -1;
    final Deque<BatchMetadata> batches = new ArrayDeque<>();
  }

  private final Map<Long, Entry> producers = new TreeMap<>();
  /** Open transactions by first offset, to their producer id ({@code ProducerStateManager.ongoingTxns}). */
  private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();
  /**
   * Completed transactions whose marker is not yet below the high watermark, first offset to marker offset
   * ({@code unreplicatedTxns}): until the marker is replicated a failover could lose it, so they stay unstable.
   */
  private final TreeMap<Long, Long> unreplicatedTxns = new TreeMap<>();
  /** The producer of the last batch: most appends come from the producer that appended just before. */
  private long lastProducerId = RecordBatches.NO_PRODUCER_ID;
  private Entry lastEntry;
  /**
   * KIP-890 verification state per producer id ({@code verificationStates}): created when a leader asks the
   * transaction coordinator before a producer's first transactional batch, cleared by its next transactional batch or
   * marker, so a verification answered after the transaction ended can no longer match.
   */
  private final Map<Long, VerificationStateEntry> verificationStates = new TreeMap<>();
  private long nextGuardId = 1;

  /**
   * Kafka's {@code VerificationGuard}: a unique token; an append carrying it is let in only while it is still the
   * producer's current entry's. {@link #SENTINEL} never verifies.
   */
  public record VerificationGuard(long id) {
    public static final VerificationGuard SENTINEL = new VerificationGuard(0);

    public boolean verify(VerificationGuard requested) {
      return requested != null && requested.id != 0 && requested.id == id;
    }
  }

  /** Kafka's {@code VerificationStateEntry}: the guard, and the lowest sequence and epoch seen while verifying. */
  public record VerificationStateEntry(long timestampMs, VerificationGuard guard, int lowestSequence, short epoch) {}

  /**
   * The leader's check before appending {@code h} (not yet offset-stamped), as Kafka's
   * {@code ProducerAppendInfo.checkSequence}: a producer this log knows nothing of (its batches were truncated
   * away or never replicated here) is accepted at any sequence; a known producer's new epoch must start at 0.
   */
  public Check check(BatchHeader h) {
    if (!h.hasProducerId()) return new Check(Verdict.APPEND, -1);
    Entry e = h.producerId() == lastProducerId ? lastEntry : producers.get(h.producerId());
    if (e == null) return new Check(Verdict.APPEND, -1);
    if (h.producerEpoch() > e.epoch) {
      return h.baseSequence() == 0 ? new Check(Verdict.APPEND, -1) : new Check(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
    }
    if (h.producerEpoch() < e.epoch) return new Check(Verdict.INVALID_PRODUCER_EPOCH, -1);
    for (BatchMetadata b : e.batches) {
      if (b.firstSeq() == h.baseSequence() && b.lastSeq() == h.lastSequence()) return new Check(Verdict.DUPLICATE, b.firstOffset());
    }
    int lastSeq = e.batches.isEmpty() ? -1 : e.batches.peekLast().lastSeq();
    if (h.baseSequence() != lastSeq + 1) return new Check(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
    return new Check(Verdict.APPEND, -1);
  }

  /**
   * Records an appended batch of any kind: a data batch by {@link #update}, a marker ({@code batch} holds its bytes
   * from {@code pos}) by {@link #endTxn}, adding an aborted transaction to {@code index} as Kafka's
   * {@code LogSegment.updateTxnIndex} does.
   */
  public void append(byte[] batch, int pos, BatchHeader h, TransactionIndex index) {
    // A data batch opened the transaction, or a marker ended it: either way the verification is used up
    // (UnifiedLog.updateProducers).
    if (h.isTransactional()) verificationStates.remove(h.producerId());
    if (!h.isControlBatch()) {
      update(h);
      return;
    }
    if (h.producerId() < 0) return; // a control batch of no producer: KRaft's leader-change record, not a marker
    ControlBatches.EndTransactionMarker m = ControlBatches.marker(batch, pos);
    Ended done = endTxn(h, m.type() == ControlRecordType.ABORT, m.coordinatorEpoch());
    if (done == null) return;
    CompletedTxn t = done.txn();
    if (t.isAborted()) index.append(new TransactionIndex.AbortedTxn(t.producerId(), t.firstOffset(), t.lastOffset(), done.lastStableOffset()));
  }

  /** Records an appended data batch (leader after the check, follower and recovery without one). */
  public void update(BatchHeader h) {
    if (!h.hasProducerId()) return;
    Entry e = entry(h.producerId());
    if (h.producerEpoch() != e.epoch) {
      e.batches.clear();
      e.epoch = h.producerEpoch();
    }
    e.batches.addLast(new BatchMetadata(h.baseSequence(), h.lastSequence(), h.baseOffset(), h.lastOffset()));
    if (e.batches.size() > NUM_BATCHES_TO_RETAIN) e.batches.removeFirst();
    if (h.isTransactional() && e.currentTxnFirstOffset < 0) {
      // The first batch of a transaction opens it: from here the last stable offset cannot pass this offset.
      e.currentTxnFirstOffset = h.baseOffset();
      ongoingTxns.put(h.baseOffset(), h.producerId());
    }
  }

  /**
   * The check of a transactional batch the broker's own group coordinator appends for a producer
   * ({@code AppendOrigin.COORDINATOR}, a TxnOffsetCommit): {@code checkProducerEpoch} only — the coordinator numbers
   * its batches itself, so Kafka checks no sequence for them.
   */
  public Verdict checkCoordinatorAppend(long producerId, short producerEpoch) {
    Entry e = producers.get(producerId);
    return e != null && producerEpoch < e.epoch ? Verdict.INVALID_PRODUCER_EPOCH : Verdict.APPEND;
  }

  /**
   * The leader's check of a marker the coordinator asks it to append ({@code ProducerAppendInfo.appendEndTxnMarker}):
   * a marker from an older producer epoch, or from a coordinator older than the last one that wrote a marker for
   * this producer (a deposed coordinator finishing late), is refused.
   */
  public Verdict checkMarker(long producerId, short producerEpoch, int coordinatorEpoch) {
    Entry e = producers.get(producerId);
    if (e == null) return Verdict.APPEND;
    if (producerEpoch < e.epoch) return Verdict.INVALID_PRODUCER_EPOCH;
    if (coordinatorEpoch < e.coordinatorEpoch) return Verdict.TRANSACTION_COORDINATOR_FENCED;
    return Verdict.APPEND;
  }

  /**
   * Closes the producer's transaction with the marker {@code h} (COMMIT or ABORT) and returns it with the last
   * stable offset right after it ({@code lastStableOffset(CompletedTxn)}: the first offset of the next open
   * transaction of another producer, or just past the marker): the aborted-transaction index records both. A
   * marker for a producer with no open transaction (a retried marker, an empty transaction) completes nothing and
   * returns null, as Kafka's {@code appendEndTxnMarker} emits no {@code CompletedTxn} for it. The marker takes no
   * sequence number: its batch keeps the producer's sequence window as it was.
   */
  public Ended endTxn(BatchHeader h, boolean aborted, int coordinatorEpoch) {
    Entry e = entry(h.producerId());
    if (h.producerEpoch() != e.epoch) {
      e.batches.clear();
      e.epoch = h.producerEpoch();
    }
    e.coordinatorEpoch = coordinatorEpoch;
    long first = e.currentTxnFirstOffset;
    if (first < 0) return null;
    ongoingTxns.remove(first);
    e.currentTxnFirstOffset = -1;
    long lso = ongoingTxns.isEmpty() ? h.lastOffset() + 1 : ongoingTxns.firstKey();
    unreplicatedTxns.put(first, h.lastOffset());
    return new Ended(new CompletedTxn(h.producerId(), first, h.lastOffset(), aborted), lso);
  }

  /** A completed transaction and the last stable offset just after it. */
  public record Ended(CompletedTxn txn, long lastStableOffset) {}

  /**
   * The first offset of the oldest transaction that is open or whose marker is not yet below the high watermark, or
   * -1 with none ({@code firstUnstableOffset}).
   */
  public long firstUnstableOffset() {
    long ongoing = ongoingTxns.isEmpty() ? Long.MAX_VALUE : ongoingTxns.firstKey();
    long unreplicated = unreplicatedTxns.isEmpty() ? Long.MAX_VALUE : unreplicatedTxns.firstKey();
    long first = Math.min(ongoing, unreplicated);
    return first == Long.MAX_VALUE ? -1 : first;
  }

  /** {@code onHighWatermarkUpdated}: completed transactions whose marker is now below the high watermark are stable. */
  public void onHighWatermarkUpdated(long highWatermark) {
    unreplicatedTxns.values().removeIf(markerOffset -> markerOffset < highWatermark);
  }

  /** The open transactions, first offset to producer id. */
  public Map<Long, Long> ongoingTxns() {
    return new TreeMap<>(ongoingTxns);
  }

  private Entry entry(long producerId) {
    if (producerId == lastProducerId) return lastEntry;
    Entry e = producers.computeIfAbsent(producerId, k -> new Entry());
    lastProducerId = producerId;
    lastEntry = e;
    return e;
  }

  /** Each producer's last batch's last offset: the cleaner keeps that batch (empty if need be) for its sequence. */
  public Map<Long, Long> lastOffsets() {
    Map<Long, Long> out = new TreeMap<>();
    producers.forEach((id, e) -> {
      if (!e.batches.isEmpty()) out.put(id, e.batches.peekLast().lastOffset());
    });
    return out;
  }

  /** {@code hasOngoingTransaction}: the producer has a transaction open in this log. */
  public boolean hasOngoingTransaction(long producerId) {
    Entry e = producers.get(producerId);
    return e != null && e.currentTxnFirstOffset >= 0;
  }

  /**
   * {@code UnifiedLog.maybeStartTransactionVerification}: null (no verification needed) when the producer's
   * transaction is already open here; otherwise the guard of its verification entry, created if absent
   * ({@code maybeCreateVerificationStateEntry}, which keeps the lowest sequence and newest epoch seen).
   */
  public VerificationGuard maybeStartTransactionVerification(long producerId, int sequence, short epoch, long nowMs) {
    if (hasOngoingTransaction(producerId)) return null;
    VerificationStateEntry e = verificationStates.get(producerId);
    if (e == null) {
      e = new VerificationStateEntry(nowMs, new VerificationGuard(nextGuardId++), sequence, epoch);
    } else if (epoch > e.epoch() || epoch == e.epoch() && sequence < e.lowestSequence()) {
      e = new VerificationStateEntry(e.timestampMs(), e.guard(), sequence, epoch);
    }
    verificationStates.put(producerId, e);
    return e.guard();
  }

  /** The producer's current guard, or {@link VerificationGuard#SENTINEL}. */
  public VerificationGuard verificationGuard(long producerId) {
    VerificationStateEntry e = verificationStates.get(producerId);
    return e == null ? VerificationGuard.SENTINEL : e.guard();
  }

  /**
   * {@code batchMissingRequiredVerification}, for the append check of {@code UnifiedLog.analyzeAndValidateProducerState}:
   * a transactional data batch of a producer with no transaction open here must carry the producer's current guard,
   * otherwise it is refused with INVALID_TXN_STATE ("Record was not part of an ongoing transaction").
   */
  public boolean missingRequiredVerification(BatchHeader h, VerificationGuard requested) {
    if (!h.isTransactional() || h.isControlBatch()) return false;
    return missingRequiredVerification(h.producerId(), requested);
  }

  /** The same for a transactional data batch of {@code producerId} the broker's group coordinator writes. */
  public boolean missingRequiredVerification(long producerId, VerificationGuard requested) {
    return !hasOngoingTransaction(producerId) && !verificationGuard(producerId).verify(requested);
  }

  void clear() {
    verificationStates.clear();
    producers.clear();
    ongoingTxns.clear();
    unreplicatedTxns.clear();
    lastProducerId = RecordBatches.NO_PRODUCER_ID;
    lastEntry = null;
  }

  public int producerCount() {
    return producers.size();
  }
}
