package sim.kafka.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.kafka.log.Log;
import sim.kafka.raft.KraftController;
import sim.kafka.raft.RaftNode;

/**
 * The KRaft quorum's safety, watched from outside after every event: at most one leader per epoch
 * ({@code kafka.kraft-one-leader-per-epoch}), and every batch below a high watermark some leader announced is in the log of
 * every leader of a later epoch, with the same epoch and CRC ({@code kafka.kraft-committed-metadata-kept}).
 */
final class RaftChecks {
  private record Committed(int epoch, long crc, int announcedInEpoch) {}

  private final Simulation sim;
  private final List<NodeId> voters;
  /** Epoch -> the voter seen leading it. */
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  /** Base offset -> the committed batch there. */
  private final TreeMap<Long, Committed> committed = new TreeMap<>();
  private long committedEnd;
  /** Voter -> the epoch in which its log was last checked against every commit. */
  private final TreeMap<NodeId, Integer> checkedEpoch = new TreeMap<>();
  private int checkedCommits;

  RaftChecks(Simulation sim, List<NodeId> voters) {
    this.sim = sim;
    this.voters = voters;
  }

  void register() {
    sim.addInvariant("kafka.kraft-one-leader-per-epoch", this::oneLeaderPerEpoch);
    sim.addInvariant("kafka.kraft-committed-metadata-kept", this::committedKept);
  }

  private RaftNode raft(NodeId v) {
    KraftController k = sim.node(v, KraftController.class);
    return k == null ? null : k.raft();
  }

  private String oneLeaderPerEpoch() {
    for (NodeId v : voters) {
      RaftNode r = raft(v);
      if (r == null || !r.isLeader()) continue;
      NodeId seen = leaders.putIfAbsent(r.epoch(), v);
      if (seen != null && !seen.equals(v)) return "epoch " + r.epoch() + " has two leaders: " + seen + " and " + v;
    }
    return null;
  }

  private String committedKept() {
    for (NodeId v : voters) {
      RaftNode r = raft(v);
      if (r != null && r.isLeader()) learnCommits(r);
    }
    for (NodeId v : voters) {
      RaftNode r = raft(v);
      if (r == null || !r.isLeader()) continue;
      Integer last = checkedEpoch.get(v);
      if (last != null && last == r.epoch() && checkedCommits == committed.size()) continue;
      String missing = missingCommit(v, r);
      if (missing != null) return missing;
      checkedEpoch.put(v, r.epoch());
    }
    checkedCommits = committed.size();
    return null;
  }

  /** Every batch below the leader's announced high watermark that is not known yet becomes committed. */
  private void learnCommits(RaftNode r) {
    if (r.highWatermark() <= committedEnd) return;
    Log log = r.log();
    for (Log.BatchRef b : log.batches()) {
      if (b.header().baseOffset() < committedEnd) continue;
      if (b.header().lastOffset() >= r.highWatermark()) break;
      committed.putIfAbsent(b.header().baseOffset(), new Committed(b.header().partitionLeaderEpoch(), b.header().crc(), r.epoch()));
      committedEnd = b.header().nextOffset();
    }
  }

  private String missingCommit(NodeId v, RaftNode r) {
    TreeMap<Long, Log.BatchRef> mine = new TreeMap<>();
    for (Log.BatchRef b : r.log().batches()) mine.put(b.header().baseOffset(), b);
    long start = r.log().logStartOffset();
    if (start > 0 && r.snapshotEndOffsets().stream().noneMatch(end -> end >= start)) {
      return v + " leads epoch " + r.epoch() + " with a log starting at " + start + " and no snapshot covering what is below it";
    }
    for (Map.Entry<Long, Committed> e : committed.tailMap(start, true).entrySet()) {
      Committed c = e.getValue();
      if (c.announcedInEpoch() > r.epoch()) continue; // committed by a later leader: says nothing of this one
      Log.BatchRef b = mine.get(e.getKey());
      if (b == null || b.header().partitionLeaderEpoch() != c.epoch() || b.header().crc() != c.crc()) {
        return v + " leads epoch " + r.epoch() + " without the batch at offset " + e.getKey() + " (epoch " + c.epoch()
            + ") committed below a high watermark announced in epoch " + c.announcedInEpoch()
            + (b == null ? "" : "; it holds a batch of epoch " + b.header().partitionLeaderEpoch() + " there");
      }
    }
    return null;
  }
}
