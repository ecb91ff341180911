package sim.kafka.raft;

import java.util.Arrays;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.raft.MetadataLog.SnapshotId;
import sim.kafka.raft.RaftMessage.Errors;
import sim.kafka.raft.RaftMessage.FetchSnapshotRequest;
import sim.kafka.raft.RaftMessage.FetchSnapshotResponse;

/**
 * FetchSnapshot (KIP-630), both sides, as KafkaRaftClient does it. The leader's {@link #answer}
 * (handleFetchSnapshotRequest): an epoch error first (validateLeaderOnlyRequest), SNAPSHOT_NOT_FOUND for a snapshot it does
 * not have (any more: its log cleaner may have deleted it), POSITION_OUT_OF_RANGE for a position outside the file, else
 * the bytes from {@code position}, at most {@code maxBytes}, with the snapshot's whole size; a voter fetching a snapshot
 * counts as fetching for check quorum.
 *
 * <p>The follower's side is one download at a time ({@link Download}, FollowerState.fetchingSnapshot): a fetch answer naming
 * a snapshot starts it, each chunk is appended at its position to {@code <id>.checkpoint.part}, and once the file has the
 * whole size it is fsynced and renamed (freeze), the log replaced by an empty one at the snapshot's end
 * (truncateToLatestSnapshot), and fetching goes on from there. SNAPSHOT_NOT_FOUND starts over with a Fetch.
 */
final class FetchSnapshots {
  private FetchSnapshots() {}

  /** The downloaded snapshot's fsync returned: it may be renamed into place and replace the log. */
  record Downloaded(long download, String partial, SnapshotId id) implements Timer {}

  /** handleFetchSnapshotRequest on {@code state}'s member; {@code leader} is the leader it knows (itself when leading). */
  static FetchSnapshotResponse answer(EpochState state, NodeId leader, MetadataLog log, FetchSnapshotRequest r) {
    Errors epochError = r.epoch() < state.epoch() ? Errors.FENCED_LEADER_EPOCH
        : r.epoch() > state.epoch() ? Errors.UNKNOWN_LEADER_EPOCH
        : !(state instanceof EpochState.Leader) ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.NONE;
    if (epochError != Errors.NONE) return error(state, leader, epochError);
    SnapshotId id = new SnapshotId(r.snapshotEndOffset(), r.snapshotEpoch());
    byte[] file = log.readSnapshot(id);
    if (file == null) return error(state, leader, Errors.SNAPSHOT_NOT_FOUND);
    if (r.position() < 0 || r.position() >= file.length) return error(state, leader, Errors.POSITION_OUT_OF_RANGE);
    int from = (int) r.position();
    int to = (int) Math.min(file.length, from + (long) Math.max(1, r.maxBytes()));
    return new FetchSnapshotResponse(state.epoch(), leader, Errors.NONE, id.endOffset(), id.epoch(), file.length, from, Arrays.copyOfRange(file, from, to));
  }

  private static FetchSnapshotResponse error(EpochState state, NodeId leader, Errors e) {
    return new FetchSnapshotResponse(state.epoch(), leader, e, -1, -1, -1, -1, new byte[0]);
  }

  /** What a follower does after a FetchSnapshot answer. */
  enum Next { FETCH_SNAPSHOT, FETCH, WAIT, IGNORE }

  /** A follower's (voter's or observer's) one snapshot download. */
  static final class Download {
    private final String who;
    private SnapshotId fetching;
    private long written;
    private boolean freezing;
    private long download;

    Download(String who) {
      this.who = who;
    }

    boolean active() {
      return fetching != null;
    }

    /** The leader's fetch answer names {@code id}: download it, unless it is already stored (then nothing to do). */
    boolean begin(NodeContext ctx, MetadataLog log, SnapshotId id, long fetchOffset) {
      if (log.hasSnapshot(id)) {
        ctx.note(who + ": the leader's snapshot " + id + " is already stored");
        return false;
      }
      fetching = id;
      written = 0;
      freezing = false;
      download++;
      ctx.disk().delete(partial(id));
      ctx.point("kafka.kraft.fetch-snapshot", who + "'s fetch from offset " + fetchOffset + (fetchOffset == 0 ? " (an empty log)" : "")
          + " was answered with the leader's snapshot " + id + ": downloads it with FetchSnapshot",
          "endOffset", id.endOffset(), "epoch", id.epoch());
      return true;
    }

    void reset() {
      fetching = null;
      freezing = false;
      download++;
    }

    /** FetchSnapshot for the next chunk: from what the partial file holds. */
    FetchSnapshotRequest request(int epoch, NodeId self, int maxBytes) {
      return new FetchSnapshotRequest(epoch, self, fetching.endOffset(), fetching.epoch(), written, maxBytes);
    }

    /** handleFetchSnapshotResponse after the common epoch handling: append the chunk, freeze when whole. */
    Next onResponse(NodeContext ctx, FetchSnapshotResponse r) {
      if (fetching == null || freezing) return Next.IGNORE;
      if (r.error() == Errors.SNAPSHOT_NOT_FOUND || r.error() == Errors.POSITION_OUT_OF_RANGE || r.snapshotEndOffset() < 0 || r.snapshotEpoch() < 0) {
        // The leader deleted the snapshot before we had it all: start over with a Fetch, which names the newer one.
        ctx.note(who + ": the leader answered " + r.error() + " for snapshot " + fetching + "; fetching again");
        reset();
        return Next.FETCH;
      }
      if (r.error() != Errors.NONE) return Next.IGNORE; // retried after the request timeout
      if (r.snapshotEndOffset() != fetching.endOffset() || r.snapshotEpoch() != fetching.epoch() || r.position() != written) {
        return Next.IGNORE; // the answer to an earlier request (Kafka matches answers to requests; the network here may repeat one)
      }
      ctx.disk().write(partial(fetching), written, r.bytes());
      written += r.bytes().length;
      if (written < r.size()) return Next.FETCH_SNAPSHOT;
      freezing = true;
      ctx.fsyncThen(partial(fetching), new Downloaded(download, partial(fetching), fetching));
      return Next.WAIT;
    }

    /** The whole snapshot is durable: rename it into place, count it, and replace the log (truncateToLatestSnapshot). */
    boolean onDownloaded(NodeContext ctx, MetadataLog log, Downloaded d) {
      if (d.download() != download || fetching == null) return false;
      ctx.disk().rename(d.partial(), MetadataLog.path(d.id()));
      log.onSnapshotFrozen(d.id());
      boolean truncated = log.truncateToLatestSnapshot();
      fetching = null;
      freezing = false;
      ctx.point("kafka.kraft.snapshot-loaded", who + " downloaded snapshot " + d.id() + " (" + written + " bytes)"
          + (truncated ? "; its log now starts at " + log.startOffset() : "") + "; fetches from offset " + log.endOffset(),
          "endOffset", d.id().endOffset(), "epoch", d.id().epoch());
      return true;
    }

    private static String partial(SnapshotId id) {
      return MetadataLog.path(id) + ".part";
    }
  }
}
