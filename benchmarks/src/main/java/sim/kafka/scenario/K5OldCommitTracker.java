package sim.kafka.scenario;

/*
 * K5's baseline: a copy of the per-event walk as it was before the replica snapshot (commit 3db45df), kept
 * only to be measured against. Do not use it for anything else.
 */

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
final class K5OldCommitTracker {
  private record EpochKey(TopicPartition tp, int epoch) {}

  private record ReplicaKey(TopicPartition tp, int epoch, NodeId replica) {}

  /** Up to which offset a replica's batches match the epoch leader's, and the most offsets that ever matched. */
  private static final class Agreement {
    long offset;
    long maxOffset;
  }

  private final Map<ReplicaKey, Agreement> agreement = new HashMap<>();
  /** Per epoch, the end of the leader's batches already recorded as committed. */
  private final Map<EpochKey, Long> committedUpTo = new HashMap<>();
  private final Map<EpochKey, Long> committedEnd = new HashMap<>();
  /** Per partition, the largest independent high watermark of any epoch: everything below it was committed once. */
  private final Map<TopicPartition, Long> everCommittedEnd = new HashMap<>();
  private final Map<TopicPartition, Set<String>> committedBatchIds = new TreeMap<>();
  private final Map<TopicPartition, Map<Long, Set<String>>> committedValues = new TreeMap<>();
  private final java.util.function.Predicate<TopicPartition> compacted;
  private final Map<ReplicaKey, List<Long>> compactedSignatures = new HashMap<>();
  private final Map<EpochKey, Long> valuesCommittedUpTo = new HashMap<>();

  /**
   * {@code compacted}: partitions whose replicas each run their own cleaner, so their batches differ below the
   * cleaned point; there agreement and commitment are judged record by record (offset and value), not batch by batch.
   */
  K5OldCommitTracker(java.util.function.Predicate<TopicPartition> compacted) {
    this.compacted = compacted;
  }

  /**
   * One observation of leader {@code leaderId} of {@code tp} in {@code epoch}, with the logs of the live
   * replicas (null for one that is down) and the ISR the controller committed for that epoch.
   */
  void observe(TopicPartition tp, int epoch, NodeId leaderId, Log leader, List<NodeId> replicas,
      java.util.function.Function<NodeId, Log> logOf, List<NodeId> isr) {
    if (compacted.test(tp)) {
      observeCompacted(tp, epoch, leaderId, leader, replicas, logOf, isr);
      return;
    }
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
    everCommittedEnd.merge(tp, hw, Math::max);
    long upTo = committedUpTo.getOrDefault(key, 0L);
    for (int next = leader.batchIndexAfter(upTo); next < leader.batchCount() && leader.batch(next).header().nextOffset() <= hw; next++) {
      commit(tp, leader, leader.batch(next));
      upTo = leader.batch(next).header().nextOffset();
    }
    committedUpTo.put(key, upTo);
  }

  private void observeCompacted(TopicPartition tp, int epoch, NodeId leaderId, Log leader, List<NodeId> replicas,
      java.util.function.Function<NodeId, Log> logOf, List<NodeId> isr) {
    for (NodeId r : replicas) {
      if (r.equals(leaderId)) continue;
      Log follower = logOf.apply(r);
      if (follower == null) continue;
      ReplicaKey key = new ReplicaKey(tp, epoch, r);
      List<Long> sig = List.of(leader.logEndOffset(), (long) leader.batchCount(), follower.logEndOffset(), (long) follower.batchCount());
      if (sig.equals(compactedSignatures.get(key))) continue;
      compactedSignatures.put(key, sig);
      Agreement a = agreement.computeIfAbsent(key, k -> new Agreement());
      a.offset = recordAgreement(leader, follower);
      a.maxOffset = Math.max(a.maxOffset, a.offset);
    }
    long hw = leader.logEndOffset();
    for (NodeId r : isr) {
      if (r.equals(leaderId)) continue;
      Agreement a = agreement.get(new ReplicaKey(tp, epoch, r));
      hw = Math.min(hw, a == null ? 0 : a.maxOffset);
    }
    EpochKey key = new EpochKey(tp, epoch);
    committedEnd.merge(key, hw, Math::max);
    everCommittedEnd.merge(tp, hw, Math::max);
    long from = valuesCommittedUpTo.getOrDefault(key, 0L);
    if (hw <= from) return;
    Map<Long, Set<String>> values = committedValues.computeIfAbsent(tp, k -> new HashMap<>());
    for (LogRecord r : RecordBatches.allRecords(leader.read(from, hw, Integer.MAX_VALUE))) {
      if (r.offset() >= from && r.offset() < hw) values.computeIfAbsent(r.offset(), k -> new HashSet<>(2)).add(r.valueText());
    }
    valuesCommittedUpTo.put(key, hw);
  }

  /** Up to where a follower of a compacted log agrees with the leader: its end, or the first offset both hold differently. */
  private static long recordAgreement(Log leader, Log follower) {
    Map<Long, String> mine = ClusterWatch.values(leader);
    long end = Math.min(leader.logEndOffset(), follower.logEndOffset());
    for (LogRecord r : RecordBatches.allRecords(follower.read(0, Long.MAX_VALUE, Integer.MAX_VALUE))) {
      if (r.offset() >= end) break;
      String v = mine.get(r.offset());
      if (v != null && !v.equals(r.valueText())) return r.offset();
    }
    return end;
  }

  /**
   * Extends the agreed prefix from where it was; starts over when the follower's log changed below it. Walks by
   * offset, not batch index: retention deletes each replica's oldest segments on its own schedule, and below
   * either log's first batch there is nothing left to disagree on (retention deletes only committed records).
   */
  private static void update(Agreement a, Log leader, Log follower) {
    if (a.offset > 0 && a.offset == leader.logEndOffset() && a.offset == follower.logEndOffset() && endsAgree(a.offset, leader, follower)) {
      return; // nothing new on either side
    }
    if (a.offset > 0 && !endsAgree(a.offset, leader, follower)) a.offset = 0;
    long from = Math.max(a.offset, Math.max(leader.firstBatchOffset(), follower.firstBatchOffset()));
    int li = leader.batchIndexAfter(from);
    int fi = follower.batchIndexAfter(from);
    while (li < leader.batchCount() && fi < follower.batchCount() && same(leader.batch(li).header(), follower.batch(fi).header())) {
      a.offset = leader.batch(li).header().nextOffset();
      li++;
      fi++;
    }
    a.maxOffset = Math.max(a.maxOffset, a.offset);
  }

  /** Whether both logs still end their agreed prefix at {@code offset} with the same batch (or one deleted past it). */
  private static boolean endsAgree(long offset, Log leader, Log follower) {
    BatchHeader x = batchEndingAt(leader, offset);
    BatchHeader y = batchEndingAt(follower, offset);
    if (x != null && y != null) return same(x, y);
    return (x != null || leader.firstBatchOffset() >= offset) && (y != null || follower.firstBatchOffset() >= offset)
        && leader.logEndOffset() >= offset && follower.logEndOffset() >= offset;
  }

  private static BatchHeader batchEndingAt(Log log, long offset) {
    int i = log.batchIndexAfter(offset - 1);
    if (i >= log.batchCount()) return null;
    BatchHeader h = log.batch(i).header();
    return h.nextOffset() == offset ? h : null;
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

  /**
   * Values committed at more than one offset of {@code tp} at any time, also where retention has since deleted
   * one copy (the final log no longer shows it); tombstones carry no identity.
   */
  List<String> committedDuplicates(TopicPartition tp) {
    Map<String, Long> firstOffset = new HashMap<>();
    Set<String> dups = new java.util.TreeSet<>();
    committedValues.getOrDefault(tp, Map.of()).forEach((offset, values) -> {
      for (String v : values) {
        if (v.equals("null")) continue;
        Long before = firstOffset.putIfAbsent(v, offset);
        if (before != null && before.longValue() != offset) dups.add(v);
      }
    });
    return List.copyOf(dups);
  }

  /** The largest independent high watermark {@code tp} ever had, over all epochs. */
  long everCommittedEnd(TopicPartition tp) {
    return everCommittedEnd.getOrDefault(tp, 0L);
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
