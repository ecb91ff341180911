package sim.kafka.scenario;

import java.util.Map;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.PartitionState;
import sim.kafka.log.Log;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * The invariants over the replicas themselves, after every event, read from the {@link ClusterSnapshot} the
 * watch took for that event: every leader's HW within its own LEO and within every in-sync follower's,
 * followers agreeing with their leader below the HW, and no log start offset past a high watermark.
 */
final class ReplicaChecks {
  /** What a leader-follower pair looked like when last found in agreement: nothing to compare until it changes. */
  private record Agreed(int epoch, long upTo, long leaderLeo, long followerLeo) {
    boolean same(int epoch, long upTo, long leaderLeo, long followerLeo) {
      return this.epoch == epoch && this.upTo == upTo && this.leaderLeo == leaderLeo && this.followerLeo == followerLeo;
    }
  }

  /** A check of one live leader replica against one live follower fetching from it in the same epoch. */
  private interface PairCheck {
    String check(ReplicaSnapshot leader, ReplicaSnapshot follower);
  }

  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  /** [partition][leader broker][follower broker]. */
  private final Agreed[][][] agreed;

  ReplicaChecks(KafkaCluster cluster, ClusterWatch watch) {
    this.cluster = cluster;
    this.watch = watch;
    int brokers = cluster.brokers().size();
    this.agreed = new Agreed[cluster.partitions().size()][brokers][brokers];
  }

  private String forEachFetchingPair(PairCheck check) {
    ClusterSnapshot s = watch.snapshot();
    for (int i = 0; i < s.leaderCount(); i++) {
      ReplicaSnapshot leader = s.leader(i);
      Broker.ReplicaView lv = leader.view();
      if (lv.highWatermark() > lv.logEndOffset()) return leader.tp() + " on " + leader.id() + ": HW " + lv.highWatermark() + " beyond its LEO " + lv.logEndOffset();
      for (int f = 0; f < s.brokerCount(); f++) {
        ReplicaSnapshot follower = f == leader.broker() ? null : s.replica(f, leader.partition());
        if (follower == null || !follower.fetchingIn(lv.leaderEpoch())) continue;
        String violation = check.check(leader, follower);
        if (violation != null) return violation;
      }
    }
    return null;
  }

  String hwWithinIsrLeo() {
    Controller c = watch.snapshot().controller();
    return forEachFetchingPair((leader, follower) -> {
      long hw = leader.view().highWatermark();
      if (hw <= follower.view().logEndOffset()) return null;
      PartitionState committed = watch.durable(leader.partition());
      if (committed == null || committed.leaderEpoch() != leader.view().leaderEpoch() || !watch.inDurableIsr(leader.partition(), follower.broker())) {
        return null;
      }
      // The ISR names an incarnation: one restarted and not yet re-registered is not the replica that was in sync.
      if (c != null && c.incarnationOf(follower.id()) != follower.node().incarnationId()) return null;
      return leader.tp() + ": leader " + leader.id() + " HW " + hw + " beyond the LEO " + follower.view().logEndOffset() + " of ISR member " + follower.id();
    });
  }

  String replicasAgreeBelowHw() {
    return forEachFetchingPair((leader, follower) -> {
      Broker.ReplicaView lv = leader.view();
      long followerLeo = follower.view().logEndOffset();
      long upTo = Math.min(lv.highWatermark(), followerLeo);
      Agreed[] byFollower = agreed[leader.partition()][leader.broker()];
      Agreed before = byFollower[follower.broker()];
      if (before != null && before.same(lv.leaderEpoch(), upTo, lv.logEndOffset(), followerLeo)) return null;
      String diff = cluster.compacted(leader.partition()) ? firstRecordDifference(leader.log(), follower.log(), upTo)
          : firstDifference(leader.log(), follower.log(), upTo);
      if (diff != null) return leader.tp() + ": follower " + follower.id() + " differs from leader " + leader.id() + " below HW " + lv.highWatermark() + ": " + diff;
      byFollower[follower.broker()] = new Agreed(lv.leaderEpoch(), upTo, lv.logEndOffset(), followerLeo);
      return null;
    });
  }

  /**
   * Retention and DeleteRecords delete only committed records: no replica's log start offset is ever past the
   * partition's high watermark, computed independently (the most offsets every in-sync replica of some epoch
   * held), nor past that replica's own high watermark.
   */
  String logStartWithinHw() {
    ClusterSnapshot s = watch.snapshot();
    for (int b = 0; b < s.brokerCount(); b++) {
      for (int p = 0; p < s.partitionCount(); p++) {
        ReplicaSnapshot r = s.replica(b, p);
        if (r == null || r.view() == null || r.log().logStartOffset() == 0) continue;
        long start = r.log().logStartOffset();
        long committed = watch.commits.everCommittedEnd(p);
        if (start > committed || start > r.view().highWatermark()) {
          return r.tp() + " on " + r.id() + ": log start offset " + start + " past the high watermark (its own " + r.view().highWatermark()
              + ", independent " + committed + "): records deleted before every in-sync replica had them";
        }
      }
    }
    return null;
  }

  /**
   * Compares two logs batch by batch (offsets and CRC) below {@code upTo}; null when they agree. Both are read from
   * the later of their first batches: retention deletes each replica's oldest segments on its own schedule.
   */
  static String firstDifference(Log a, Log b, long upTo) {
    long from = Math.max(a.firstBatchOffset(), b.firstBatchOffset());
    int ia = a.batchIndexAfter(from);
    int ib = b.batchIndexAfter(from);
    for (int i = 0; i < Math.max(a.batchCount() - ia, b.batchCount() - ib); i++) {
      Log.BatchRef bx = ia + i < a.batchCount() ? a.batch(ia + i) : null;
      Log.BatchRef by = ib + i < b.batchCount() ? b.batch(ib + i) : null;
      boolean inX = bx != null && bx.header().baseOffset() < upTo;
      boolean inY = by != null && by.header().baseOffset() < upTo;
      if (!inX && !inY) return null;
      if (inX != inY || bx.header().baseOffset() != by.header().baseOffset() || bx.header().crc() != by.header().crc()) {
        return "batch " + i + ": " + (bx == null ? "none" : bx.header()) + " vs " + (by == null ? "none" : by.header());
      }
    }
    return null;
  }

  /**
   * For a compacted log, whose replicas clean independently: below {@code upTo}, every offset both hold has the
   * same value (one may have cleaned away what the other still has).
   */
  static String firstRecordDifference(Log a, Log b, long upTo) {
    Map<Long, String> x = ClusterWatch.values(a);
    for (LogRecord r : RecordBatches.allRecords(b.read(0, upTo, Integer.MAX_VALUE))) {
      if (r.offset() >= upTo) break;
      String v = x.get(r.offset());
      if (v != null && !v.equals(r.valueText())) return "offset " + r.offset() + ": " + v + " vs " + r.valueText();
    }
    return null;
  }
}
