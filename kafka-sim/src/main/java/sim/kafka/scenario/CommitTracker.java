package sim.kafka.scenario;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  /** Up to which offset a replica's batches match the epoch leader's, and the most offsets that ever matched. */
  private static final class Agreement {
    long offset;
    long maxOffset;
  }

  /** One leader epoch of one partition: each broker's agreement with the epoch's leader, by broker index. */
  private static final class EpochCommits {
    final Agreement[] agreement;
    /** For compacted partitions: the (leader LEO, leader batches, follower LEO, follower batches) last compared, by broker. */
    final long[][] compactedSignature;
    /** The end of the leader's batches already recorded as committed. */
    long committedUpTo;
    long committedEnd;
    long valuesCommittedUpTo;

    EpochCommits(int brokers) {
      agreement = new Agreement[brokers];
      compactedSignature = new long[brokers][];
    }
  }

  /** What was ever committed in one partition, over all its epochs. */
  private static final class PartitionCommits {
    final Map<Integer, EpochCommits> epochs = new HashMap<>();
    /** The epoch looked at last: nearly every observation is of the current epoch again. */
    EpochCommits last;
    int lastEpoch;
    /** The largest independent high watermark of any epoch: everything below it was committed once. */
    long everCommittedEnd;
    final Set<String> committedBatchIds = new HashSet<>();
    final Map<Long, Set<String>> committedValues = new HashMap<>();
  }

  private final KafkaCluster cluster;
  private final PartitionCommits[] partitions;

  /**
   * Partitions whose replicas each run their own cleaner ({@link KafkaCluster#compacted}) have batches that
   * differ below the cleaned point; there agreement and commitment are judged record by record (offset and
   * value), not batch by batch.
   */
  CommitTracker(KafkaCluster cluster) {
    this.cluster = cluster;
    this.partitions = new PartitionCommits[cluster.partitions().size()];
    for (int p = 0; p < partitions.length; p++) partitions[p] = new PartitionCommits();
  }

  private EpochCommits epoch(int p, int epoch) {
    PartitionCommits pc = partitions[p];
    if (pc.last != null && pc.lastEpoch == epoch) return pc.last;
    pc.last = pc.epochs.computeIfAbsent(epoch, e -> new EpochCommits(cluster.brokers().size()));
    pc.lastEpoch = epoch;
    return pc.last;
  }

  /** The epoch's state if it was ever observed, else null (without creating it). */
  private EpochCommits observed(int p, int epoch) {
    PartitionCommits pc = partitions[p];
    return pc.last != null && pc.lastEpoch == epoch ? pc.last : pc.epochs.get(epoch);
  }

  /**
   * One observation of {@code leader}, the leader of its partition in {@code epoch}, with the other live
   * replicas read from {@code snapshot}, the partition's replicas and the ISR the controller committed for that
   * epoch (both as broker indexes).
   */
  void observe(ReplicaSnapshot leader, int epoch, ClusterSnapshot snapshot, int[] replicas, int[] isr) {
    int p = leader.partition();
    EpochCommits e = epoch(p, epoch);
    boolean compacted = cluster.compacted(p);
    for (int b : replicas) {
      if (b == leader.broker()) continue;
      Log follower = snapshot.log(b, p);
      if (follower == null) continue;
      if (compacted) updateCompacted(e, b, leader.log(), follower);
      else update(agreement(e, b), leader.log(), follower);
    }
    long hw = leader.log().logEndOffset();
    for (int b : isr) {
      if (b == leader.broker()) continue;
      Agreement a = e.agreement[b];
      hw = Math.min(hw, a == null ? 0 : a.maxOffset);
    }
    e.committedEnd = Math.max(e.committedEnd, hw);
    partitions[p].everCommittedEnd = Math.max(partitions[p].everCommittedEnd, hw);
    if (compacted) commitValues(p, e, leader.log(), hw);
    else commitBatches(p, e, leader.log(), hw);
  }

  private static Agreement agreement(EpochCommits e, int b) {
    if (e.agreement[b] == null) e.agreement[b] = new Agreement();
    return e.agreement[b];
  }

  private void commitBatches(int p, EpochCommits e, Log leader, long hw) {
    long upTo = e.committedUpTo;
    if (hw <= upTo) return; // no batch ends between them: nothing newly committed
    for (int next = leader.batchIndexAfter(upTo); next < leader.batchCount() && leader.batch(next).header().nextOffset() <= hw; next++) {
      commit(p, leader, leader.batch(next));
      upTo = leader.batch(next).header().nextOffset();
    }
    e.committedUpTo = upTo;
  }

  /** A compacted follower is compared record by record, again only when either log changed since the last comparison. */
  private static void updateCompacted(EpochCommits e, int b, Log leader, Log follower) {
    long[] sig = {leader.logEndOffset(), leader.batchCount(), follower.logEndOffset(), follower.batchCount()};
    if (java.util.Arrays.equals(sig, e.compactedSignature[b])) return;
    e.compactedSignature[b] = sig;
    Agreement a = agreement(e, b);
    a.offset = recordAgreement(leader, follower);
    a.maxOffset = Math.max(a.maxOffset, a.offset);
  }

  private void commitValues(int p, EpochCommits e, Log leader, long hw) {
    long from = e.valuesCommittedUpTo;
    if (hw <= from) return;
    Map<Long, Set<String>> values = partitions[p].committedValues;
    for (LogRecord r : RecordBatches.allRecords(leader.read(from, hw, Integer.MAX_VALUE))) {
      if (r.offset() >= from && r.offset() < hw) values.computeIfAbsent(r.offset(), k -> new HashSet<>(2)).add(r.valueText());
    }
    e.valuesCommittedUpTo = hw;
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
    // Nearly always asked about the log's end: its last batch, if it ends there, is the only one that can.
    int n = log.batchCount();
    if (n > 0 && log.batch(n - 1).header().nextOffset() == offset) return log.batch(n - 1).header();
    int i = log.batchIndexAfter(offset - 1);
    if (i >= log.batchCount()) return null;
    BatchHeader h = log.batch(i).header();
    return h.nextOffset() == offset ? h : null;
  }

  private static boolean same(BatchHeader x, BatchHeader y) {
    return x.baseOffset() == y.baseOffset() && x.crc() == y.crc() && x.lastOffsetDelta() == y.lastOffsetDelta();
  }

  private void commit(int p, Log leader, Log.BatchRef ref) {
    partitions[p].committedBatchIds.add(batchId(ref.header().baseOffset(), ref.header().crc()));
    Map<Long, Set<String>> values = partitions[p].committedValues;
    for (LogRecord r : RecordBatches.records(leader.readBatch(ref), 0)) values.computeIfAbsent(r.offset(), k -> new HashSet<>(2)).add(r.valueText());
  }

  static String batchId(long baseOffset, long crc) {
    return baseOffset + "/" + Long.toHexString(crc);
  }

  /** What was committed in {@code tp}; a partition of no cluster's had nothing committed. */
  private PartitionCommits of(TopicPartition tp) {
    int p = cluster.indexOf(tp);
    return p < 0 ? new PartitionCommits() : partitions[p];
  }

  /** Whether the batch (base offset, CRC) was ever on every in-sync replica of {@code tp}. */
  boolean batchCommitted(TopicPartition tp, long baseOffset, long crc) {
    return of(tp).committedBatchIds.contains(batchId(baseOffset, crc));
  }

  /** Whether {@code value} at {@code offset} of {@code tp} was ever on every in-sync replica. */
  boolean valueCommitted(TopicPartition tp, long offset, String value) {
    return of(tp).committedValues.getOrDefault(offset, Set.of()).contains(value);
  }

  /** The independent high watermark of the epoch: the most offsets every ISR member ever agreed on. */
  long committedEnd(TopicPartition tp, int epoch) {
    int p = cluster.indexOf(tp);
    EpochCommits e = p < 0 ? null : observed(p, epoch);
    return e == null ? 0L : e.committedEnd;
  }

  /**
   * Values committed at more than one offset of {@code tp} at any time, also where retention has since deleted
   * one copy (the final log no longer shows it); tombstones carry no identity.
   */
  List<String> committedDuplicates(TopicPartition tp) {
    Map<String, Long> firstOffset = new HashMap<>();
    Set<String> dups = new java.util.TreeSet<>();
    of(tp).committedValues.forEach((offset, values) -> {
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
    return of(tp).everCommittedEnd;
  }

  /** {@link #everCommittedEnd(TopicPartition)} by index into {@link KafkaCluster#partitions()}. */
  long everCommittedEnd(int p) {
    return partitions[p].everCommittedEnd;
  }

  /** How many replicas (the leader of {@code epoch} included) ever held offset {@code offset} as that leader has it. */
  int replicasHolding(TopicPartition tp, int epoch, long offset, List<NodeId> replicas, NodeId leader) {
    int p = cluster.indexOf(tp);
    EpochCommits e = p < 0 ? null : observed(p, epoch);
    int n = 0;
    for (NodeId r : replicas) {
      if (r.equals(leader)) {
        n++;
        continue;
      }
      Agreement a = e == null ? null : e.agreement[cluster.brokerIndex(r)];
      if (a != null && a.maxOffset > offset) n++;
    }
    return n;
  }
}
