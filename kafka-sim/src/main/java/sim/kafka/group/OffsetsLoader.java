package sim.kafka.group;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * Replays an {@code __consumer_offsets} partition's log batch by batch, as the new leader's coordinator loads it
 * (Kafka's {@code CoordinatorLoaderImpl} feeding {@code OffsetMetadataManager.replay} and
 * {@code replayEndTransactionMarker}): the last value per key wins and a tombstone deletes; an offset commit in a
 * transactional batch is pending for its producer id until that producer's marker — COMMIT makes it the committed
 * offset, ABORT drops it — and stays pending if the log ends before the marker (the transaction coordinator sends it).
 */
final class OffsetsLoader {
  final Map<String, GroupRecords.GroupValue> metadata = new HashMap<>();
  final Map<String, TreeMap<TopicPartition, Long>> offsets = new HashMap<>();
  final PendingTxnOffsets pending = new PendingTxnOffsets();
  final ConsumerGroupLoader consumerGroups = new ConsumerGroupLoader();

  static OffsetsLoader load(Log partitionLog) {
    OffsetsLoader l = new OffsetsLoader();
    byte[] bytes = partitionLog.read(0, Long.MAX_VALUE, Integer.MAX_VALUE);
    for (int pos = 0; pos < bytes.length; ) {
      BatchHeader h = RecordBatches.header(bytes, pos);
      if (h.isControlBatch()) l.marker(h.producerId(), ControlBatches.marker(bytes, pos).type());
      else for (LogRecord r : RecordBatches.records(bytes, pos)) l.record(h, r);
      pos += h.sizeInBytes();
    }
    return l;
  }

  private void record(BatchHeader h, LogRecord r) {
    if (r.key() == null) return;
    GroupRecords.Key key = GroupRecords.key(r.key());
    if (key instanceof ConsumerGroupRecords.Key k) {
      consumerGroups.replay(k, r.value());
      return;
    }
    if (key instanceof GroupRecords.OffsetKey k) {
      TopicPartition tp = new TopicPartition(k.topic(), k.partition());
      TreeMap<TopicPartition, Long> forGroup = offsets.computeIfAbsent(k.group(), g -> new TreeMap<>());
      if (r.value() == null) {
        forGroup.remove(tp);
        for (TreeMap<TopicPartition, Long> p : pending.ofGroup(k.group()).values()) p.remove(tp);
      } else if (h.isTransactional()) {
        pending.put(h.producerId(), k.group(), Map.of(tp, GroupRecords.offsetValue(r.value()).offset()));
      } else {
        forGroup.put(tp, GroupRecords.offsetValue(r.value()).offset());
      }
    } else if (key instanceof GroupRecords.GroupKey k) {
      if (r.value() == null) metadata.remove(k.group());
      else metadata.put(k.group(), GroupRecords.groupValue(r.value()));
    }
  }

  /** The groups with offsets pending in a transaction the log left open. */
  java.util.Set<String> pendingGroups() {
    return pending.groups();
  }

  private void marker(long producerId, ControlRecordType result) {
    TreeMap<String, TreeMap<TopicPartition, Long>> done = pending.complete(producerId);
    if (result != ControlRecordType.COMMIT) return;
    done.forEach((group, committed) -> offsets.computeIfAbsent(group, g -> new TreeMap<>()).putAll(committed));
  }
}
