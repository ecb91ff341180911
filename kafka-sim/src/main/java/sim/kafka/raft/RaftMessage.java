package sim.kafka.raft;

import java.util.List;
import sim.core.Message;
import sim.core.NodeId;

/**
 * KRaft's quorum RPCs (KIP-595, KIP-996), trimmed to the fields the mechanism uses. Epochs are Raft terms; offsets
 * are positions in {@code __cluster_metadata-0}.
 */
public sealed interface RaftMessage extends Message {
  int epoch();

  /** The leader a message names for its epoch (BeginQuorumEpoch, a fetch or vote answer), or null. */
  static NodeId leaderNamedBy(RaftMessage m) {
    if (m instanceof BeginQuorumEpoch b) return b.leader();
    if (m instanceof FetchResponse f) return f.leader();
    if (m instanceof VoteResponse v) return v.leader();
    return null;
  }

  /**
   * Vote (API 52). {@code preVote} (KIP-996): a prospective asks whether it could win, without anyone bumping
   * its epoch or recording a vote; {@code epoch} is then the epoch it would campaign in.
   */
  record VoteRequest(int epoch, NodeId candidate, int lastEpoch, long lastEpochEndOffset, boolean preVote) implements RaftMessage {}

  record VoteResponse(int epoch, boolean granted, boolean preVote, Errors error, NodeId leader) implements RaftMessage {}

  /** BeginQuorumEpoch (API 53): the new leader tells every voter it leads {@code epoch}. */
  record BeginQuorumEpoch(int epoch, NodeId leader) implements RaftMessage {}

  /** EndQuorumEpoch (API 54): a resigning leader tells the voters to elect a new one now. */
  record EndQuorumEpoch(int epoch, NodeId leader) implements RaftMessage {}

  /** Fetch (API 1) of {@code __cluster_metadata-0} by a follower: its durable end offset and the epoch of its last batch. */
  record FetchRequest(int epoch, NodeId replica, long fetchOffset, int lastFetchedEpoch) implements RaftMessage {}

  /**
   * The leader's answer: batches from the fetch offset and the high watermark, or {@code divergingEpoch}: the follower's
   * log differs from the leader's at {@code divergingEndOffset} (the end of that epoch in the leader's log), so it
   * truncates there first.
   */
  record FetchResponse(int epoch, NodeId leader, Errors error, List<Batch> batches, long highWatermark, int divergingEpoch,
      long divergingEndOffset) implements RaftMessage {
    public FetchResponse {
      batches = List.copyOf(batches);
    }

    boolean diverging() {
      return divergingEpoch >= 0;
    }

    @Override
    public int sizeBytes() {
      int n = 64;
      for (Batch b : batches) n += b.bytes().length;
      return n;
    }

    @Override
    public String toString() {
      String what = diverging() ? "diverging epoch " + divergingEpoch + " ends at " + divergingEndOffset
          : batches.isEmpty() ? "no records" : "offsets " + batches.get(0).baseOffset() + ".." + batches.get(batches.size() - 1).lastOffset();
      return "FetchResponse[epoch=" + epoch + ", leader=" + leader + ", " + error + ", " + what + ", highWatermark=" + highWatermark + "]";
    }
  }

  /** One RecordBatch v2 of the metadata log, as bytes; toString names it without the bytes. */
  record Batch(long baseOffset, long lastOffset, int epoch, byte[] bytes) {
    @Override
    public String toString() {
      return "Batch[" + baseOffset + ".." + lastOffset + " epoch " + epoch + "]";
    }
  }

  /** The errors the quorum RPCs answer with (Kafka's names). */
  enum Errors { NONE, FENCED_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER, UNKNOWN_LEADER_EPOCH }
}
