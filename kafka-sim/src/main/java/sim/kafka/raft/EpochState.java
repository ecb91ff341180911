package sim.kafka.raft;

import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeId;

/**
 * Where a quorum member stands in an epoch: KafkaRaftClient's EpochState hierarchy. Each state owns exactly the
 * data its role needs, so a transition resets it by building the next state.
 */
sealed interface EpochState {
  int epoch();

  /** The leader this member knows for its epoch, or null. */
  default NodeId leader() {
    return null;
  }

  /** The candidate this member voted for in its epoch, or null. */
  default NodeId votedFor() {
    return null;
  }

  /** Knows no leader in {@code epoch}; may have voted. */
  record Unattached(int epoch, NodeId votedFor) implements EpochState {}

  /** KIP-996: asks the voters for pre-votes before bumping the epoch; {@code epoch} is still the current one. */
  record Prospective(int epoch, NodeId votedFor, NodeId leader, TreeSet<NodeId> granted, TreeSet<NodeId> rejected) implements EpochState {
    Prospective(int epoch, NodeId votedFor, NodeId leader) {
      this(epoch, votedFor, leader, new TreeSet<>(), new TreeSet<>());
    }
  }

  /** Campaigns in {@code epoch}, having voted for itself. */
  record Candidate(int epoch, NodeId self, TreeSet<NodeId> granted, TreeSet<NodeId> rejected) implements EpochState {
    @Override
    public NodeId votedFor() {
      return self;
    }
  }

  /**
   * Leads {@code epoch}. {@code endOffsets}: each voter's durable log end offset as its fetches told (its own from its
   * flushes); {@code lastFetchMs}: when each voter last fetched, for check quorum; {@code epochStartOffset}: where this
   * epoch's first batch (the leader-change record) begins. The high watermark is the node's own: while it leads, only a
   * majority of this epoch's log moves it.
   */
  record Leader(int epoch, NodeId self, long epochStartOffset, TreeMap<NodeId, Long> endOffsets, TreeMap<NodeId, Long> lastFetchMs)
      implements EpochState {
    @Override
    public NodeId leader() {
      return self;
    }

    @Override
    public NodeId votedFor() {
      return self;
    }

    @Override
    public String toString() {
      return "Leader[epoch=" + epoch + ", epochStartOffset=" + epochStartOffset + ", endOffsets=" + endOffsets + "]";
    }
  }

  /** Follows {@code leader} in {@code epoch}; {@code fetched[0]}: it has fetched from that leader successfully (rejects pre-votes). */
  record Follower(int epoch, NodeId leader, NodeId votedFor, boolean[] fetched) implements EpochState {
    boolean hasFetchedFromLeader() {
      return fetched[0];
    }

    @Override
    public String toString() {
      return "Follower[epoch=" + epoch + ", leader=" + leader + ", votedFor=" + votedFor + ", fetched=" + fetched[0] + "]";
    }
  }

  /** A leader that gave up (no majority fetched for 1.5 × fetch timeout): waits for another leader or an election timeout. */
  record Resigned(int epoch, NodeId self) implements EpochState {
    @Override
    public NodeId leader() {
      return self;
    }

    @Override
    public NodeId votedFor() {
      return self;
    }
  }
}
