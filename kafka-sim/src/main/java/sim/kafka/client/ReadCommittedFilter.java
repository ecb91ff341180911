package sim.kafka.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import sim.kafka.log.TransactionIndex.FetchAborted;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * What {@code isolation.level=read_committed} hands the application from one fetch response, as kafka-clients'
 * {@code CompletedFetch} decides it. The leader answered only batches below the last stable offset, plus the
 * aborted transactions (from its {@code .txnindex}) that overlap them. Walking the batches in offset order, an
 * aborted transaction whose first offset has been reached marks its producer as aborted; that producer's
 * transactional batches are skipped until its ABORT marker, which clears the mark. Control batches themselves are
 * never returned. {@code read_uncommitted} would return every data record, aborted ones included.
 */
public final class ReadCommittedFilter {
  private ReadCommittedFilter() {}

  public static List<LogRecord> visible(byte[] batches, List<FetchAborted> aborted) {
    PriorityQueue<FetchAborted> pending = new PriorityQueue<>(Comparator.comparingLong(FetchAborted::firstOffset));
    pending.addAll(aborted);
    Set<Long> abortedProducers = new HashSet<>();
    List<LogRecord> out = new ArrayList<>();
    int pos = 0;
    while (pos < batches.length) {
      BatchHeader h = RecordBatches.header(batches, pos);
      // consumeAbortedTransactionsUpTo(batch.lastOffset)
      while (!pending.isEmpty() && pending.peek().firstOffset() <= h.lastOffset()) abortedProducers.add(pending.poll().producerId());
      if (h.isControlBatch()) {
        if (ControlBatches.marker(batches, pos).type() == ControlRecordType.ABORT) abortedProducers.remove(h.producerId());
      } else if (!(h.isTransactional() && abortedProducers.contains(h.producerId()))) {
        out.addAll(RecordBatches.records(batches, pos));
      }
      pos += h.sizeInBytes();
    }
    return out;
  }

  /** What one fetch response gives a consumer at {@code position}: the records at or after it, and the next position. */
  record Fetched(List<LogRecord> records, long nextOffset) {}

  /**
   * Validates every batch of a fetch response (check.crcs) and returns its records for the isolation level, those
   * below {@code position} left out; the next position passes every batch returned, markers included.
   */
  static Fetched fetched(byte[] bytes, List<FetchAborted> aborted, boolean readCommitted, long position) {
    long next = position;
    for (int pos = 0; pos < bytes.length; ) {
      BatchHeader h = RecordBatches.validate(bytes, pos, bytes.length);
      next = Math.max(next, h.nextOffset());
      pos += h.sizeInBytes();
    }
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : readCommitted ? visible(bytes, aborted) : uncommitted(bytes)) if (r.offset() >= position) out.add(r);
    return new Fetched(out, next);
  }

  /** {@code read_uncommitted}: every data record, markers left out. */
  public static List<LogRecord> uncommitted(byte[] batches) {
    List<LogRecord> out = new ArrayList<>();
    int pos = 0;
    while (pos < batches.length) {
      BatchHeader h = RecordBatches.header(batches, pos);
      if (!h.isControlBatch()) out.addAll(RecordBatches.records(batches, pos));
      pos += h.sizeInBytes();
    }
    return out;
  }
}
