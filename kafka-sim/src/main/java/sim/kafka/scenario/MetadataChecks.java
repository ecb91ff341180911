package sim.kafka.scenario;

import java.util.List;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.broker.Broker;
import sim.kafka.broker.MetadataImage;
import sim.kafka.broker.MetadataLoader;
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
  static final String IMAGE = "kafka.kraft-broker-image-is-committed-image";

  private final Simulation sim;
  private final List<NodeId> voters;
  private final List<NodeId> brokers;
  private final MetadataDelta committed = new MetadataDelta();
  private long replayedUpTo;
  /** "partition@leaderEpoch" -> the leader committed metadata named for it. */
  private final TreeMap<String, NodeId> leaderships = new TreeMap<>();
  /** End (exclusive) of the committed records replayed -> the image they describe. */
  private final TreeMap<Long, MetadataImage> images = new TreeMap<>();
  /** Broker -> the loaded offset its image was last checked at. */
  private final TreeMap<NodeId, Long> checkedAt = new TreeMap<>();

  MetadataChecks(Simulation sim, List<NodeId> voters, List<NodeId> brokers) {
    this.sim = sim;
    this.voters = voters;
    this.brokers = brokers;
  }

  void register() {
    sim.addInvariant(NAME, this::check);
    sim.addInvariant(IMAGE, this::imagesCommitted);
  }

  /**
   * Every broker's metadata image (what its loader built from snapshots and the log) is the image the committed records
   * below its loaded offset describe: a snapshot loaded, or a log replayed after it, may skip or repeat nothing.
   */
  private String imagesCommitted() {
    learnCommitted();
    for (NodeId b : brokers) {
      Broker broker = sim.node(b, Broker.class);
      MetadataLoader loader = broker == null ? null : broker.metadataLoader();
      if (loader == null || loader.loadedUpTo() == 0 || loader.loadedUpTo() > replayedUpTo) continue;
      Long last = checkedAt.get(b);
      if (last != null && last == loader.loadedUpTo()) continue;
      java.util.Map.Entry<Long, MetadataImage> e = images.floorEntry(loader.loadedUpTo());
      MetadataImage expected = e == null ? MetadataImage.empty() : e.getValue();
      MetadataImage mine = loader.image();
      String diff = !expected.brokers().equals(mine.brokers()) ? "brokers " + mine.brokers() + ", committed " + expected.brokers()
          : !expected.partitions().equals(mine.partitions()) ? "partitions " + mine.partitions().values() + ", committed " + expected.partitions().values()
          : expected.nextProducerId() != mine.nextProducerId() ? "next producer id " + mine.nextProducerId() + ", committed " + expected.nextProducerId() : null;
      if (diff != null) return b + "'s metadata image at offset " + loader.loadedUpTo() + " is not the committed one: " + diff;
      checkedAt.put(b, loader.loadedUpTo());
    }
    return null;
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
      // A voter whose log starts past what was learned holds the rest in a snapshot: learn from another.
      if (r != null && r.log().logStartOffset() <= replayedUpTo && (best == null || r.highWatermark() > best.highWatermark())) best = r;
    }
    if (best == null || best.highWatermark() <= replayedUpTo) return;
    for (LogRecord r : best.committed(replayedUpTo)) {
      TopicPartition tp = committed.replay(r);
      PartitionState s = tp == null ? null : committed.partition(tp);
      if (s != null && s.leader() != null) leaderships.put(key(tp, s.leaderEpoch()), s.leader());
      images.put(r.offset() + 1, committed.image());
    }
    replayedUpTo = best.highWatermark();
  }

  private static String key(TopicPartition tp, int leaderEpoch) {
    return tp + "@" + leaderEpoch;
  }
}
