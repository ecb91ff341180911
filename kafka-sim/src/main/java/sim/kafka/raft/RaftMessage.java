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
    if (m instanceof FetchSnapshotResponse f) return f.leader();
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
   * truncates there first; or {@code snapshotEndOffset}/{@code snapshotEpoch} (FetchResponse's SnapshotId field): the
   * fetch is below what the leader's log holds, so the follower fetches that snapshot with FetchSnapshot first.
   */
  record FetchResponse(int epoch, NodeId leader, Errors error, List<Batch> batches, long highWatermark, int divergingEpoch,
      long divergingEndOffset, long snapshotEndOffset, int snapshotEpoch) implements RaftMessage {
    public FetchResponse {
      batches = List.copyOf(batches);
    }

    FetchResponse(int epoch, NodeId leader, Errors error, List<Batch> batches, long highWatermark, int divergingEpoch, long divergingEndOffset) {
      this(epoch, leader, error, batches, highWatermark, divergingEpoch, divergingEndOffset, -1, -1);
    }

    boolean diverging() {
      return divergingEpoch >= 0;
    }

    /** KafkaRaftClient: a SnapshotId with either field set asks the follower to fetch a snapshot. */
    boolean snapshotId() {
      return snapshotEpoch >= 0 || snapshotEndOffset >= 0;
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
          : snapshotId() ? "fetch snapshot " + snapshotEndOffset + "-" + snapshotEpoch
          : batches.isEmpty() ? "no records" : "offsets " + batches.get(0).baseOffset() + ".." + batches.get(batches.size() - 1).lastOffset();
      return "FetchResponse[epoch=" + epoch + ", leader=" + leader + ", " + error + ", " + what + ", highWatermark=" + highWatermark + "]";
    }
  }

  /**
   * FetchSnapshot (API 59) of {@code __cluster_metadata-0}: {@code epoch} is CurrentLeaderEpoch, the snapshot is named by
   * its id, {@code position} is the byte the follower has up to, {@code maxBytes} the most it takes in one answer.
   */
  record FetchSnapshotRequest(int epoch, NodeId replica, long snapshotEndOffset, int snapshotEpoch, long position, int maxBytes)
      implements RaftMessage {}

  /**
   * The leader's answer: {@code size} is the whole snapshot's, {@code bytes} the chunk from {@code position} (Kafka's
   * UnalignedRecords: a slice of the file, not cut at batch boundaries); or an error (SNAPSHOT_NOT_FOUND,
   * POSITION_OUT_OF_RANGE, or an epoch error naming the leader it knows).
   */
  record FetchSnapshotResponse(int epoch, NodeId leader, Errors error, long snapshotEndOffset, int snapshotEpoch, long size,
      long position, byte[] bytes) implements RaftMessage {
    @Override
    public int sizeBytes() {
      return 64 + bytes.length;
    }

    @Override
    public String toString() {
      return "FetchSnapshotResponse[epoch=" + epoch + ", leader=" + leader + ", " + error + ", snapshot " + snapshotEndOffset + "-" + snapshotEpoch
          + ", bytes " + position + ".." + (position + bytes.length) + " of " + size + "]";
    }
  }

  /** One RecordBatch v2 of the metadata log, as bytes; toString names it without the bytes. */
  record Batch(long baseOffset, long lastOffset, int epoch, byte[] bytes) {
    @Override
    public String toString() {
      return "Batch[" + baseOffset + ".." + lastOffset + " epoch " + epoch + "]";
    }
  }

  /** The errors the quorum RPCs answer with: Kafka's names and codes (org.apache.kafka.common.protocol.Errors). */
  enum Errors {
    NONE(0), NOT_LEADER_OR_FOLLOWER(6), FENCED_LEADER_EPOCH(74), UNKNOWN_LEADER_EPOCH(75), SNAPSHOT_NOT_FOUND(98), POSITION_OUT_OF_RANGE(99);

    final short code;

    Errors(int code) {
      this.code = (short) code;
    }

    public short code() {
      return code;
    }
  }
}
