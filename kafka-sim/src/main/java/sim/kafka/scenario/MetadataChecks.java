package sim.kafka.scenario;

import java.util.List;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.raft.KraftController;
import sim.kafka.raft.MetadataDelta;
import sim.kafka.raft.RaftNode;
import sim.kafka.record.LogRecord;

/**
 * KRaft brokers act on committed metadata only, watched after every event ({@code kafka.kraft-broker-acts-on-committed-metadata-only}):
 * a broker that leads a partition does so in a leader epoch that a committed PartitionRecord or PartitionChangeRecord gave
 * to it. A record above the high watermark may still be lost in a controller failover, and a broker leading on it would
 * lead in an epoch the quorum later gives to someone else. The committed records are learned from the voters' high
 * watermarks (the highest any voter knows) before brokers can hear of them.
 */
final class MetadataChecks {
  static final String NAME = "kafka.kraft-broker-acts-on-committed-metadata-only";

  private final Simulation sim;
  private final List<NodeId> voters;
  private final List<NodeId> brokers;
  private final MetadataDelta committed = new MetadataDelta();
  private long replayedUpTo;
  /** "partition@leaderEpoch" -> the leader committed metadata named for it. */
  private final TreeMap<String, NodeId> leaderships = new TreeMap<>();

  MetadataChecks(Simulation sim, List<NodeId> voters, List<NodeId> brokers) {
    this.sim = sim;
    this.voters = voters;
    this.brokers = brokers;
  }

  void register() {
    sim.addInvariant(NAME, this::check);
  }

  private String check() {
    learnCommitted();
    for (NodeId b : brokers) {
      Broker broker = sim.node(b, Broker.class);
      if (broker == null) continue;
      String[] violation = {null};
      broker.forEachReplica((tp, log, view) -> {
        if (violation[0] != null || view == null || !view.leader()) return;
        NodeId named = leaderships.get(key(tp, view.leaderEpoch()));
        if (b.equals(named)) return;
        violation[0] = b + " leads " + tp + " in leader epoch " + view.leaderEpoch() + ", which committed metadata (below offset " + replayedUpTo
            + ") " + (named == null ? "never gave to anyone" : "gave to " + named);
      });
      if (violation[0] != null) return violation[0];
    }
    return null;
  }

  private void learnCommitted() {
    RaftNode best = null;
    for (NodeId v : voters) {
      KraftController k = sim.node(v, KraftController.class);
      RaftNode r = k == null ? null : k.raft();
      if (r != null && (best == null || r.highWatermark() > best.highWatermark())) best = r;
    }
    if (best == null || best.highWatermark() <= replayedUpTo) return;
    for (LogRecord r : best.committed(replayedUpTo)) {
      TopicPartition tp = committed.replay(r);
      PartitionState s = tp == null ? null : committed.partition(tp);
      if (s != null && s.leader() != null) leaderships.put(key(tp, s.leaderEpoch()), s.leader());
    }
    replayedUpTo = best.highWatermark();
  }

  private static String key(TopicPartition tp, int leaderEpoch) {
    return tp + "@" + leaderEpoch;
  }
}
