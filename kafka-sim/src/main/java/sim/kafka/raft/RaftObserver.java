package sim.kafka.raft;

import java.util.List;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.log.Log;
import sim.kafka.raft.RaftMessage.Errors;
import sim.kafka.raft.RaftMessage.FetchRequest;
import sim.kafka.raft.RaftMessage.FetchResponse;
import sim.kafka.raft.RaftMessage.FetchSnapshotResponse;
import sim.kafka.record.LogRecord;

/**
 * A broker's raft client: KafkaRaftClient as an <em>observer</em> of {@code __cluster_metadata-0}. It is not in
 * {@code controller.quorum.voters}, so it never votes and the leader never counts its fetch offset toward the high
 * watermark (LeaderState keeps observers apart from voters). It fetches from the leader with its own replica id, appends
 * the same batches to its own copy of the log, truncates on a diverging epoch as a follower does, and learns the high
 * watermark from each answer: only records below it are committed, and only those are handed to the broker's metadata
 * loader. Unlike a voter it does not fsync what it fetched (KafkaRaftClient flushes only as a voter): a crash may lose
 * the tail, which it fetches again.
 *
 * <p>Finding the leader: with none known it asks a voter (each in turn, KafkaRaftClient's "any voter" fetch); an answer
 * with an error names the epoch and the leader that voter knows. A fetch unanswered for
 * {@code controller.quorum.request.timeout.ms} forgets the leader and asks the next voter; after an error answer naming
 * no leader it waits {@code controller.quorum.retry.backoff.ms} (20) first.
 */
public final class RaftObserver {
  /** KafkaRaftClient's controller.quorum.retry.backoff.ms default. */
  static final long RETRY_BACKOFF_MS = 20;

  /** The broker on top: told after every fetch that appended records or moved the high watermark. */
  public interface Listener {
    void onFetched(NodeContext ctx);
  }

  /** The fetch {@code fetchId} went unanswered for the request timeout. */
  public record FetchTimedOut(long fetchId) implements Timer {}

  /** The backoff after an error answer is over: fetch again. */
  public record FetchBackoff(long fetchId) implements Timer {}

  /** A segment roll's background flush returned. */
  public record Flushed(long truncations, long upToOffset) implements Timer {}

  /** KafkaRaftClient's snapshot cleaner is due (every 60 s). */
  public record SnapshotClean() implements Timer {}

  private final RaftConfig config;
  private final Listener listener;
  private NodeId self;
  private MetadataLog mlog;
  private Log log;
  private FetchSnapshots.Download download;
  private final MetadataSnapshots snapshots;
  private int epoch;
  private NodeId leader;
  private long highWatermark;
  private int nextVoter;
  private long fetchId;
  private NodeId asked;
  private boolean inFlight;
  private sim.core.TimerHandle timeout;
  private long truncations;

  public RaftObserver(RaftConfig config, Listener listener) {
    this.config = config;
    this.listener = listener;
    this.snapshots = new MetadataSnapshots(config);
  }

  /** Recovers this broker's copy of the metadata log and starts fetching; the high watermark is unknown until answered. */
  public void start(NodeContext ctx) {
    self = ctx.self();
    mlog = MetadataLog.open(ctx, config, (l, files, upTo) -> ctx.fsyncThen(files, new Flushed(truncations, upTo)), self + " (observer)");
    log = mlog.log();
    download = new FetchSnapshots.Download(self + " (observer)");
    snapshots.start(ctx);
    ctx.setTimer(new SnapshotClean(), Durations.millis(config.logCleanIntervalMs()));
    ctx.note("metadata log " + RaftNode.LOG_DIR + " recovered to offset " + log.logEndOffset()
        + (mlog.latestSnapshotId() == null ? "" : " (log start " + log.logStartOffset() + ", snapshots " + mlog.snapshots() + ")")
        + "; fetching as an observer of " + config.votersConfig());
    sendFetch(ctx);
  }

  public void step(NodeContext ctx, NodeId from, RaftMessage m) {
    if (m instanceof FetchResponse r) onFetchResponse(ctx, from, r);
    else if (m instanceof FetchSnapshotResponse r) onFetchSnapshotResponse(ctx, from, r);
  }

  /** Returns false for a timer that is not the observer's. */
  public boolean onTimer(NodeContext ctx, Timer t) {
    if (t instanceof Flushed f) {
      if (f.truncations() == truncations) log.markFlushed(f.upToOffset());
    } else if (t instanceof FetchTimedOut f) {
      if (f.fetchId() != fetchId || !inFlight) return true;
      ctx.note("metadata fetch to " + asked + " unanswered for controller.quorum.request.timeout.ms=" + config.requestTimeoutMs() + "; asking another voter");
      leader = null;
      download.reset();
      sendFetch(ctx);
    } else if (t instanceof FetchBackoff f) {
      if (f.fetchId() == fetchId && !inFlight) sendFetch(ctx);
    } else if (t instanceof FetchSnapshots.Downloaded d) {
      onSnapshotDownloaded(ctx, d);
    } else if (t instanceof MetadataSnapshots.Frozen f) {
      snapshots.onFrozen(ctx, mlog, f);
    } else if (t instanceof SnapshotClean) {
      String did = mlog.maybeClean(ctx.localTimeMs(), highWatermark);
      if (did != null) ctx.point("kafka.kraft.log-start", self + " (observer): " + did, "logStartOffset", log.logStartOffset());
      ctx.setTimer(new SnapshotClean(), Durations.millis(config.logCleanIntervalMs()));
    } else {
      return false;
    }
    return true;
  }

  private void sendFetch(NodeContext ctx) {
    NodeId to = leader;
    if (to == null) {
      to = config.voters().get(nextVoter);
      nextVoter = (nextVoter + 1) % config.voters().size();
    }
    fetchId++;
    asked = to;
    inFlight = true;
    if (download.active()) ctx.send(to, download.request(epoch, self, config.fetchSnapshotMaxBytes()));
    else ctx.send(to, new FetchRequest(epoch, self, log.logEndOffset(), mlog.lastFetchedEpoch()));
    if (timeout != null) timeout.cancel();
    timeout = ctx.setTimer(new FetchTimedOut(fetchId), Durations.millis(config.requestTimeoutMs()));
  }

  private void onFetchResponse(NodeContext ctx, NodeId from, FetchResponse r) {
    if (!inFlight || !from.equals(asked)) return; // the answer to a fetch given up on
    inFlight = false;
    learnLeader(r.epoch(), r.leader());
    if (r.error() != Errors.NONE || r.epoch() < epoch) {
      onErrorAnswer(ctx, from);
      return;
    }
    if (r.snapshotId()) {
      if (download.begin(ctx, mlog, new MetadataLog.SnapshotId(r.snapshotEndOffset(), r.snapshotEpoch()), log.logEndOffset())) sendFetch(ctx);
      else ctx.setTimer(new FetchBackoff(fetchId), Durations.millis(RETRY_BACKOFF_MS));
      return;
    }
    if (r.diverging()) {
      truncations++;
      DivergingEpoch.truncate(ctx, log, r.divergingEpoch(), r.divergingEndOffset(), self + " (observer)");
      sendFetch(ctx);
      return;
    }
    long endBefore = log.logEndOffset();
    for (RaftMessage.Batch b : r.batches()) if (b.baseOffset() == log.logEndOffset()) log.append(b.bytes());
    long hw = Math.min(r.highWatermark(), log.logEndOffset());
    boolean moved = hw > highWatermark;
    if (moved) highWatermark = hw;
    sendFetch(ctx);
    if (moved) snapshots.maybeWrite(ctx, mlog, highWatermark); // the broker's SnapshotGenerator
    if (moved || log.logEndOffset() > endBefore) listener.onFetched(ctx);
  }

  private void learnLeader(int answerEpoch, NodeId answerLeader) {
    if (answerEpoch > epoch || (answerEpoch == epoch && answerLeader != null)) {
      if (answerEpoch != epoch || !java.util.Objects.equals(answerLeader, leader)) download.reset(); // a new leader: FollowerState is new
      epoch = answerEpoch;
      leader = answerLeader;
    }
  }

  private void onErrorAnswer(NodeContext ctx, NodeId from) {
    if (leader == null || leader.equals(from)) {
      leader = null; // ask the next voter, after the retry backoff
      ctx.setTimer(new FetchBackoff(fetchId), Durations.millis(RETRY_BACKOFF_MS));
    } else {
      sendFetch(ctx); // pointed at the leader
    }
  }

  private void onFetchSnapshotResponse(NodeContext ctx, NodeId from, FetchSnapshotResponse r) {
    if (!inFlight || !from.equals(asked)) return;
    boolean downloadError = r.error() == Errors.SNAPSHOT_NOT_FOUND || r.error() == Errors.POSITION_OUT_OF_RANGE;
    if (r.error() != Errors.NONE && !downloadError) {
      inFlight = false;
      learnLeader(r.epoch(), r.leader());
      onErrorAnswer(ctx, from);
      return;
    }
    FetchSnapshots.Next next = download.onResponse(ctx, r);
    if (next == FetchSnapshots.Next.IGNORE) return; // still waiting for the answer to the request in flight
    inFlight = false;
    if (next != FetchSnapshots.Next.WAIT) sendFetch(ctx);
  }

  /** The downloaded snapshot replaced the log: it is committed, so the loader may load it and replay from its end. */
  private void onSnapshotDownloaded(NodeContext ctx, FetchSnapshots.Downloaded d) {
    if (!download.onDownloaded(ctx, mlog, d)) return;
    truncations++;
    highWatermark = Math.max(highWatermark, log.logStartOffset());
    sendFetch(ctx);
    listener.onFetched(ctx);
  }

  // ---- views ----

  public long highWatermark() {
    return highWatermark;
  }

  public long logEndOffset() {
    return log.logEndOffset();
  }

  /** The data records at offsets in [{@code from}, {@code below}) of this broker's copy, control batches skipped. */
  public List<LogRecord> records(long from, long below) {
    return MetadataBatches.dataRecords(log, from, Math.min(below, log.logEndOffset()));
  }

  public Log log() {
    return log;
  }

  /** The end offset of the latest snapshot at or below {@code offset}, or -1 with none. */
  public long snapshotEndAtOrBelow(long offset) {
    MetadataLog.SnapshotId s = mlog.latestSnapshotAtOrBelow(offset);
    return s == null ? -1 : s.endOffset();
  }

  /** The data records of the snapshot ending at {@code endOffset}, each at endOffset - 1 (as Kafka's loader replays them). */
  public List<LogRecord> snapshotRecords(long endOffset) {
    MetadataLog.SnapshotId s = mlog.latestSnapshotAtOrBelow(endOffset);
    return s == null || s.endOffset() != endOffset ? List.of() : mlog.snapshotRecords(s);
  }

  public long logStartOffset() {
    return log.logStartOffset();
  }

  /** The end offsets of the snapshots this broker holds, oldest first. */
  public List<Long> snapshotEndOffsets() {
    return mlog.snapshots().stream().map(MetadataLog.SnapshotId::endOffset).toList();
  }

  public int epoch() {
    return epoch;
  }

  /** The leader this observer fetches from, or null while it looks for one. */
  public NodeId leader() {
    return leader;
  }
}
