package sim.kafka.log;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.RecordBatches;

/**
 * The idempotent producer's broker side ({@code ProducerStateManager}): per producer id its epoch and the
 * metadata of its last 5 batches ({@code NUM_BATCHES_TO_RETAIN}). A retried batch whose sequences match one
 * of them is a duplicate: the leader answers with the original offset instead of appending again.
 */
public final class ProducerStateManager {
  public static final int NUM_BATCHES_TO_RETAIN = 5;

  /** The verdict on an incoming batch. */
  public enum Verdict { APPEND, DUPLICATE, OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH }

  public record Check(Verdict verdict, long duplicateOffset) {}

  private record BatchMetadata(int firstSeq, int lastSeq, long firstOffset) {}

  private static final class Entry {
    short epoch;
    final Deque<BatchMetadata> batches = new ArrayDeque<>();
  }

  private final Map<Long, Entry> producers = new TreeMap<>();
  /** The producer of the last batch: most appends come from the producer that appended just before. */
  private long lastProducerId = RecordBatches.NO_PRODUCER_ID;
  private Entry lastEntry;

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

  /** Records an appended batch (leader after the check, follower and recovery without one). */
  public void update(BatchHeader h) {
    if (!h.hasProducerId()) return;
    Entry e = entry(h.producerId());
    if (h.producerEpoch() != e.epoch) {
      e.batches.clear();
      e.epoch = h.producerEpoch();
    }
    e.batches.addLast(new BatchMetadata(h.baseSequence(), h.lastSequence(), h.baseOffset()));
    if (e.batches.size() > NUM_BATCHES_TO_RETAIN) e.batches.removeFirst();
  }

  private Entry entry(long producerId) {
    if (producerId == lastProducerId) return lastEntry;
    Entry e = producers.computeIfAbsent(producerId, k -> new Entry());
    lastProducerId = producerId;
    lastEntry = e;
    return e;
  }

  void clear() {
    producers.clear();
    lastProducerId = RecordBatches.NO_PRODUCER_ID;
    lastEntry = null;
  }

  public int producerCount() {
    return producers.size();
  }
}
