package sim.kafka.scenario;

import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.txn.TransactionMetadata;
import sim.kafka.txn.TransactionState;

/**
 * {@code kafka.no-hanging-transaction}, after every event: no partition's leader (the claimant with the newest
 * leader epoch) keeps a transaction of a producer id open — holding its last stable offset — for longer than that
 * transactional id's {@code transaction.timeout.ms} while the id's coordinator holds the id's transaction as ended
 * (Empty, CompleteCommit, CompleteAbort): a transaction its coordinator no longer knows, which no marker and no
 * timeout will ever end. KIP-890's guarantee: a first transactional append is let in only while the coordinator has
 * the partition in that producer's ongoing transaction, so the partition gets its marker. A partition with a loss
 * moment (an ISR-wide crash or an unclean election, {@link LossLedger}) is skipped: its marker may be gone with it.
 */
final class HangingTxnCheck {
  static final String NAME = "kafka.no-hanging-transaction";

  private final KafkaCluster cluster;
  private final Map<String, Integer> timeoutsMs;
  /** "tp pid firstOffset" to when it was first seen open while its coordinator said ended. */
  private final Map<String, Long> since = new TreeMap<>();

  /** {@code timeoutsMs}: the transactional ids to watch, with their transaction.timeout.ms. */
  HangingTxnCheck(KafkaCluster cluster, Map<String, Integer> timeoutsMs) {
    this.cluster = cluster;
    this.timeoutsMs = new TreeMap<>(timeoutsMs);
  }

  void install(Simulation sim) {
    sim.addInvariant(NAME, () -> check(sim.nowNanos()));
  }

  /** Null while it holds, else what hangs. */
  String check(long nowNanos) {
    Map<String, Long> seen = new TreeMap<>();
    for (TopicPartition tp : cluster.txnPartitions()) {
      if (cluster.watch() != null && cluster.watch().losses.anyFor(tp)) continue;
      Broker leader = newestLeader(tp);
      if (leader == null) continue;
      for (Map.Entry<Long, Long> open : leader.log(tp).producers().ongoingTxns().entrySet()) {
        String id = endedAtCoordinator(open.getValue());
        if (id == null) continue;
        String key = tp + " producer " + open.getValue() + " from offset " + open.getKey();
        long first = since.getOrDefault(key, nowNanos);
        seen.put(key, first);
        if (nowNanos - first > Durations.millis(timeoutsMs.get(id))) {
          return (key + " (" + id + ") open since " + Durations.format(first) + " while its coordinator holds the "
              + "transaction ended, longer than transaction.timeout.ms=" + timeoutsMs.get(id) + ": a hanging transaction");
        }
      }
    }
    since.clear();
    since.putAll(seen);
    return null;
  }

  /** The transactional id whose loaded coordinator has {@code producerId}'s transaction ended, or null. */
  private String endedAtCoordinator(long producerId) {
    for (String id : timeoutsMs.keySet()) {
      NodeId c = EosScenarios.leaderOf(cluster, EosScenarios.stateTopicPartitionOf(id));
      TransactionMetadata m = c == null ? null : cluster.broker(c).transactionManager().metadata(id);
      if (m == null || m.producerId() != producerId) continue;
      TransactionState s = m.state();
      if (s == TransactionState.EMPTY || s == TransactionState.COMPLETE_COMMIT || s == TransactionState.COMPLETE_ABORT) return id;
    }
    return null;
  }

  private Broker newestLeader(TopicPartition tp) {
    Broker best = null;
    int bestEpoch = -1;
    for (NodeId b : cluster.brokers()) {
      Broker br = cluster.broker(b);
      var v = br == null ? null : br.view(tp);
      if (v != null && v.leader() && v.leaderEpoch() > bestEpoch) {
        best = br;
        bestEpoch = v.leaderEpoch();
      }
    }
    return best;
  }
}
