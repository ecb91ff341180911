package sim.kafka.scenario;

/*
 * K5's baseline: a copy of the per-event walk as it was before the replica snapshot (commit 3db45df), kept
 * only to be measured against. Do not use it for anything else.
 */

import java.util.HashMap;
import java.util.Map;
import sim.core.NodeId;
import sim.kafka.broker.Broker;
import sim.kafka.broker.Controller;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.log.Log;

/** The old per-event walk: the watch's observation, then the replica invariants, each looking every replica up again. */
final class K5OldWalk {
  private record PairKey(TopicPartition tp, NodeId leader, NodeId follower) {}

  private record Agreed(int epoch, long upTo, long leaderLeo, long followerLeo) {}

  private final KafkaCluster cluster;
  private final K5OldWatch watch;
  private final Map<PairKey, Agreed> agreedSignatures = new HashMap<>();

  K5OldWalk(sim.core.Simulation sim, KafkaCluster cluster) {
    this.cluster = cluster;
    this.watch = new K5OldWatch(sim, cluster);
  }

  /** Everything the old code did after every event for these checks; the first violation, or null. */
  String walk() {
    watch.observe();
    String v = hwWithinIsrLeo();
    if (v == null) v = replicasAgreeBelowHw();
    if (v == null) v = logStartWithinHw();
    return v;
  }

  /** A check of one live leader replica against one live follower fetching from it in the same epoch. */
  private interface PairCheck {
    String check(TopicPartition tp, NodeId l, Broker leader, Broker.ReplicaView lv, NodeId f, Broker follower, Broker.ReplicaView fv);
  }

  private String forEachFetchingPair(PairCheck check) {
    for (NodeId l : cluster.brokers()) {
      Broker leader = cluster.broker(l);
      if (leader == null) continue;
      for (TopicPartition tp : cluster.partitions()) {
        Broker.ReplicaView lv = leader.view(tp);
        if (lv == null || !lv.leader()) continue;
        if (lv.highWatermark() > lv.logEndOffset()) return tp + " on " + l + ": HW " + lv.highWatermark() + " beyond its LEO " + lv.logEndOffset();
        for (NodeId f : cluster.brokers()) {
          Broker follower = f.equals(l) ? null : cluster.broker(f);
          Broker.ReplicaView fv = follower == null ? null : follower.view(tp);
          if (fv == null || !fv.fetching() || fv.leaderEpoch() != lv.leaderEpoch()) continue;
          String violation = check.check(tp, l, leader, lv, f, follower, fv);
          if (violation != null) return violation;
        }
      }
    }
    return null;
  }

  String hwWithinIsrLeo() {
    return forEachFetchingPair((tp, l, leader, lv, f, follower, fv) -> {
      PartitionState committed = watch.durable(tp);
      if (committed == null || committed.leaderEpoch() != lv.leaderEpoch() || !committed.isr().contains(f)) return null;
      // The ISR names an incarnation: one restarted and not yet re-registered is not the replica that was in sync.
      Controller c = cluster.controller();
      if (c != null && c.incarnationOf(f) != follower.incarnationId()) return null;
      if (lv.highWatermark() <= fv.logEndOffset()) return null;
      return tp + ": leader " + l + " HW " + lv.highWatermark() + " beyond the LEO " + fv.logEndOffset() + " of ISR member " + f;
    });
  }

  String replicasAgreeBelowHw() {
    return forEachFetchingPair((tp, l, leader, lv, f, follower, fv) -> {
      long upTo = Math.min(lv.highWatermark(), fv.logEndOffset());
      PairKey key = new PairKey(tp, l, f);
      Agreed sig = new Agreed(lv.leaderEpoch(), upTo, lv.logEndOffset(), fv.logEndOffset());
      if (sig.equals(agreedSignatures.get(key))) return null;
      String diff = cluster.compacted(tp) ? ReplicaChecks.firstRecordDifference(leader.log(tp), follower.log(tp), upTo)
          : ReplicaChecks.firstDifference(leader.log(tp), follower.log(tp), upTo);
      if (diff != null) return tp + ": follower " + f + " differs from leader " + l + " below HW " + lv.highWatermark() + ": " + diff;
      agreedSignatures.put(key, sig);
      return null;
    });
  }

  /**
   * Retention and DeleteRecords delete only committed records: no replica's log start offset is ever past the
   * partition's high watermark, computed independently (the most offsets every in-sync replica of some epoch
   * held), nor past that replica's own high watermark.
   */
  String logStartWithinHw() {
    for (NodeId b : cluster.brokers()) {
      Broker broker = cluster.broker(b);
      if (broker == null) continue;
      for (TopicPartition tp : cluster.partitions()) {
        Log log = broker.log(tp);
        Broker.ReplicaView v = broker.view(tp);
        if (log == null || v == null || log.logStartOffset() == 0) continue;
        long committed = watch.commits.everCommittedEnd(tp);
        if (log.logStartOffset() > committed || log.logStartOffset() > v.highWatermark()) {
          return tp + " on " + b + ": log start offset " + log.logStartOffset() + " past the high watermark (its own " + v.highWatermark()
              + ", independent " + committed + "): records deleted before every in-sync replica had them";
        }
      }
    }
    return null;
  }
}
