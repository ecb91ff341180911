package sim.kafka.scenario;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.TxnConsumer;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * {@code kafka.read-committed-sees-only-committed}, after every event: every record the read_committed consumer
 * returned belongs to a transaction whose COMMIT marker was already in the partition's log and committed (on every
 * in-sync replica, by the independent tracker) — never an aborted transaction, never one still open — and, per
 * partition, it returned records in offset order without skipping a committed transactional record. The truth is
 * the partition's log (the transaction's fate is the producer's next marker after the record), not the producer's
 * or the coordinator's memory. A partition whose records Kafka's rules allowed to be lost (an ISR-wide power loss,
 * an unclean election) is excused from then on, and named.
 */
final class ReadCommittedCheck {
  static final String NAME = "kafka.read-committed-sees-only-committed";

  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  private TxnConsumer seen;
  private int checked;
  private final Map<Integer, Long> lastReturned = new HashMap<>();
  /** Batch base offset → the fate of its transaction once decided and committed (COMMIT or ABORT), per partition. */
  private final Map<TopicPartition, TreeMap<Long, ControlRecordType>> fates = new HashMap<>();

  ReadCommittedCheck(KafkaCluster cluster, ClusterWatch watch) {
    this.cluster = cluster;
    this.watch = watch;
  }

  void register(Simulation sim) {
    sim.addInvariant(NAME, this::check);
  }

  /** The fate of a record's transaction, or what keeps it from being judged now. */
  private record Verdict(ControlRecordType fate, String why, boolean undecidable) {}

  String check() {
    TxnConsumer c = cluster.txnConsumer(KafkaCluster.READ_COMMITTED);
    if (c == null) return null;
    if (c != seen) {
      // A restarted consumer has no committed offsets and reads again from 0.
      seen = c;
      checked = 0;
      lastReturned.clear();
    }
    for (; checked < c.returnedCount(); checked++) {
      TxnConsumer.Returned r = c.returned(checked);
      TopicPartition tp = cluster.txnPartitions().get(r.partition());
      if (watch.losses.anyFor(tp)) continue; // named by acked-records-kept's rules; fates may have been rewritten
      Log log = logHolding(tp, r.offset(), r.value());
      if (log == null) return null; // no live replica holds it right now: judged once one does
      String v = judge(tp, log, r);
      if (v != null) return v;
      lastReturned.put(r.partition(), r.offset());
    }
    return null;
  }

  private String judge(TopicPartition tp, Log log, TxnConsumer.Returned r) {
    Long last = lastReturned.get(r.partition());
    if (last != null && r.offset() <= last) {
      return "read_committed consumer returned " + tp + ":" + r.offset() + " (" + r.value() + ") after offset " + last + ": out of order";
    }
    Verdict v = fate(tp, log, log.batchIndexAfter(r.offset()));
    if (v.fate() != ControlRecordType.COMMIT) {
      return "read_committed consumer returned " + r.value() + " at " + tp + ":" + r.offset() + " (LSO " + r.lastStableOffset() + ") of "
          + (v.fate() == ControlRecordType.ABORT ? "an aborted transaction" : "a transaction " + v.why());
    }
    long from = last == null ? log.firstBatchOffset() : last + 1;
    for (int i = log.batchIndexAfter(from); i < log.batchCount(); i++) {
      BatchHeader h = log.batch(i).header();
      if (h.baseOffset() >= r.offset()) break;
      // Offsets of this batch strictly between the last record returned and this one, if any, were skipped.
      if (h.isControlBatch() || !h.isTransactional() || Math.max(h.baseOffset(), from) > Math.min(h.lastOffset(), r.offset() - 1)) continue;
      if (fate(tp, log, i).fate() == ControlRecordType.COMMIT) {
        return "read_committed consumer skipped committed " + tp + ":" + Math.max(h.baseOffset(), from) + ".." + Math.min(h.lastOffset(), r.offset() - 1)
            + ", returning offset " + r.offset() + " next";
      }
    }
    return null;
  }

  /** The producer's next marker after the batch at {@code index}, if it is there and committed. */
  private Verdict fate(TopicPartition tp, Log log, int index) {
    BatchHeader data = log.batch(index).header();
    TreeMap<Long, ControlRecordType> known = fates.computeIfAbsent(tp, k -> new TreeMap<>());
    ControlRecordType f = known.get(data.baseOffset());
    if (f != null) return new Verdict(f, "", false);
    for (int i = index + 1; i < log.batchCount(); i++) {
      Log.BatchRef ref = log.batch(i);
      BatchHeader h = ref.header();
      if (!h.isControlBatch() || h.producerId() != data.producerId()) continue;
      if (!watch.commits.batchCommitted(tp, h.baseOffset(), h.crc())) {
        return new Verdict(null, "whose " + ControlBatches.marker(log.readBatch(ref), 0).type() + " marker at " + h.baseOffset()
            + " was not yet on every in-sync replica", false);
      }
      ControlRecordType type = ControlBatches.marker(log.readBatch(ref), 0).type();
      known.put(data.baseOffset(), type);
      return new Verdict(type, "", false);
    }
    return new Verdict(null, "still open (no marker of producer " + data.producerId() + " after it)", false);
  }

  /** A live replica whose log holds {@code value} at {@code offset}: the current leader's first. */
  private Log logHolding(TopicPartition tp, long offset, String value) {
    var durable = watch.durable(tp);
    List<NodeId> order = new java.util.ArrayList<>(cluster.brokers());
    if (durable != null && durable.leader() != null) {
      order.remove(durable.leader());
      order.add(0, durable.leader());
    }
    for (NodeId b : order) {
      Broker broker = cluster.broker(b);
      Log log = broker == null ? null : broker.log(tp);
      if (log == null) continue;
      int i = log.batchIndexAfter(offset);
      if (i >= log.batchCount() || log.batch(i).header().baseOffset() > offset) continue;
      for (LogRecord rec : RecordBatches.records(log.readBatch(log.batch(i)), 0)) {
        if (rec.offset() == offset && value.equals(rec.valueText())) return log;
      }
    }
    return null;
  }
}
