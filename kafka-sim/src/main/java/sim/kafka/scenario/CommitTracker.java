package sim.kafka.scenario;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * What was committed, computed from the replicas' logs rather than taken from the high watermark a broker
 * reports. For each leader epoch it follows how far every replica's log agrees with the epoch's leader (batch
 * by batch: offsets and CRC); the independent high watermark of an epoch is the smallest agreement over the
 * ISR the controller committed for that epoch. A batch below it was on every in-sync replica: committed.
 * Agreement only ever grows within an epoch (a replica that had a batch had it, even if it crashes later),
 * so "committed before it was served or acknowledged" can be checked at any later moment.
 */
final class CommitTracker {
  private record EpochKey(TopicPartition tp, int epoch) {}

  private record ReplicaKey(TopicPartition tp, int epoch, NodeId replica) {}

  /** How many leading batches of a replica match the epoch leader's, and the most offsets that ever matched. */
  private static final class Agreement {
    int batches;
    long offset;
    long maxOffset;
  }

  private final Map<ReplicaKey, Agreement> agreement = new HashMap<>();
  private final Map<EpochKey, Integer> committedBatches = new HashMap<>();
  private final Map<EpochKey, Long> committedEnd = new HashMap<>();
  private final Map<TopicPartition, Set<String>> committedBatchIds = new TreeMap<>();
  private final Map<TopicPartition, Map<Long, Set<String>>> committedValues = new TreeMap<>();

  /**
   * One observation of leader {@code leaderId} of {@code tp} in {@code epoch}, with the logs of the live
   * replicas (null for one that is down) and the ISR the controller committed for that epoch.
   */
  void observe(TopicPartition tp, int epoch, NodeId leaderId, Log leader, List<NodeId> replicas,
      java.util.function.Function<NodeId, Log> logOf, List<NodeId> isr) {
    for (NodeId r : replicas) {
      if (r.equals(leaderId)) continue;
      Log follower = logOf.apply(r);
      if (follower != null) update(agreement.computeIfAbsent(new ReplicaKey(tp, epoch, r), k -> new Agreement()), leader, follower);
    }
    long hw = leader.logEndOffset();
    for (NodeId r : isr) {
      if (r.equals(leaderId)) continue;
      Agreement a = agreement.get(new ReplicaKey(tp, epoch, r));
      hw = Math.min(hw, a == null ? 0 : a.maxOffset);
    }
    EpochKey key = new EpochKey(tp, epoch);
    committedEnd.merge(key, hw, Math::max);
    int next = committedBatches.getOrDefault(key, 0);
    while (next < leader.batchCount() && leader.batch(next).header().nextOffset() <= hw) commit(tp, leader, leader.batch(next++));
    committedBatches.put(key, next);
  }

  /** Extends the agreed prefix from where it was; starts over when the follower's log changed below it. */
  private static void update(Agreement a, Log leader, Log follower) {
    if (a.batches == follower.batchCount() && a.batches == leader.batchCount() && a.batches > 0
        && same(leader.batch(a.batches - 1).header(), follower.batch(a.batches - 1).header())) {
      return; // nothing new on either side
    }
    if (a.batches > follower.batchCount() || (a.batches > 0 && !same(leader.batch(a.batches - 1).header(), follower.batch(a.batches - 1).header()))) {
      a.batches = 0;
      a.offset = 0;
    }
    while (a.batches < leader.batchCount() && a.batches < follower.batchCount()
        && same(leader.batch(a.batches).header(), follower.batch(a.batches).header())) {
      a.offset = leader.batch(a.batches).header().nextOffset();
      a.batches++;
    }
    a.maxOffset = Math.max(a.maxOffset, a.offset);
  }

  private static boolean same(BatchHeader x, BatchHeader y) {
    return x.baseOffset() == y.baseOffset() && x.crc() == y.crc() && x.lastOffsetDelta() == y.lastOffsetDelta();
  }

  private void commit(TopicPartition tp, Log leader, Log.BatchRef ref) {
    committedBatchIds.computeIfAbsent(tp, k -> new HashSet<>()).add(batchId(ref.header().baseOffset(), ref.header().crc()));
    Map<Long, Set<String>> values = committedValues.computeIfAbsent(tp, k -> new HashMap<>());
    for (LogRecord r : RecordBatches.records(leader.readBatch(ref), 0)) values.computeIfAbsent(r.offset(), k -> new HashSet<>(2)).add(r.valueText());
  }

  static String batchId(long baseOffset, long crc) {
    return baseOffset + "/" + Long.toHexString(crc);
  }

  /** Whether the batch (base offset, CRC) was ever on every in-sync replica of {@code tp}. */
  boolean batchCommitted(TopicPartition tp, long baseOffset, long crc) {
    return committedBatchIds.getOrDefault(tp, Set.of()).contains(batchId(baseOffset, crc));
  }

  /** Whether {@code value} at {@code offset} of {@code tp} was ever on every in-sync replica. */
  boolean valueCommitted(TopicPartition tp, long offset, String value) {
    return committedValues.getOrDefault(tp, Map.of()).getOrDefault(offset, Set.of()).contains(value);
  }

  /** The independent high watermark of the epoch: the most offsets every ISR member ever agreed on. */
  long committedEnd(TopicPartition tp, int epoch) {
    return committedEnd.getOrDefault(new EpochKey(tp, epoch), 0L);
  }

  /** How many replicas (the leader of {@code epoch} included) ever held offset {@code offset} as that leader has it. */
  int replicasHolding(TopicPartition tp, int epoch, long offset, List<NodeId> replicas, NodeId leader) {
    int n = 0;
    for (NodeId r : replicas) {
      if (r.equals(leader)) {
        n++;
        continue;
      }
      Agreement a = agreement.get(new ReplicaKey(tp, epoch, r));
      if (a != null && a.maxOffset > offset) n++;
    }
    return n;
  }
}
