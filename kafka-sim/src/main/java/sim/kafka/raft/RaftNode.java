package sim.kafka.raft;

import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Check;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.log.Log;
import sim.kafka.raft.EpochState.Candidate;
import sim.kafka.raft.EpochState.Follower;
import sim.kafka.raft.EpochState.Leader;
import sim.kafka.raft.EpochState.Prospective;
import sim.kafka.raft.EpochState.Resigned;
import sim.kafka.raft.EpochState.Unattached;
import sim.kafka.raft.RaftMessage.BeginQuorumEpoch;
import sim.kafka.raft.RaftMessage.EndQuorumEpoch;
import sim.kafka.raft.RaftMessage.Errors;
import sim.kafka.raft.RaftMessage.FetchRequest;
import sim.kafka.raft.RaftMessage.FetchResponse;
import sim.kafka.raft.RaftMessage.FetchSnapshotRequest;
import sim.kafka.raft.RaftMessage.FetchSnapshotResponse;
import sim.kafka.raft.RaftMessage.VoteRequest;
import sim.kafka.raft.RaftMessage.VoteResponse;
import sim.kafka.record.LogRecord;

/**
 * One member of the KRaft quorum: KafkaRaftClient as a state machine. {@link #step} takes a quorum RPC, {@link #onTimer}
 * a timer; the role changes only through the named transitions ({@code becomeProspective}, {@code becomeCandidate},
 * {@code becomeLeader}, {@code becomeFollower}, {@code becomeUnattached}, {@code becomeResigned}), each building the
 * next {@link EpochState} and resetting the timers that role owns.
 *
 * <p>Persist before you speak: a change of epoch, vote or leader is written to {@code quorum-state} and handed to the
 * durability door; every RPC sent meanwhile waits in an outbox until the fsync returned. The metadata log
 * {@code __cluster_metadata-0} is kafka-sim's {@link Log} (RecordBatch v2 segments): a follower fsyncs what it appended
 * before its next fetch tells the leader its end offset, and the leader counts its own end offset only once flushed.
 */
public final class RaftNode {
  public static final String LOG_DIR = "__cluster_metadata-0";

  /** The controller on top: told of leadership and of every high watermark advance. */
  public interface Listener {
    default void onBecomeLeader(NodeContext ctx, int epoch) {}

    default void onLeadershipLost(NodeContext ctx, int epoch) {}

    default void onHighWatermark(NodeContext ctx, long highWatermark) {}
  }

  private final RaftConfig config;
  private final Listener listener;
  private NodeId self;
  private MetadataLog mlog;
  private Log log;
  private FetchSnapshots.Download download;
  private QuorumStateFile stateFile;
  private EpochState state;
  /** Bumped on every transition: a timer of an older generation is stale. */
  private long generation;
  private long highWatermark;
  private long leaderHighWatermark;
  private final LeaderFetches fetches = new LeaderFetches();
  private long fetchId;
  private long truncations;
  private sim.core.TimerHandle fetchTimer;
  private boolean awaitingFlush;
  private int backoffRound;
  private boolean voteTwice;
  private boolean leaderWithoutMajority;

  public RaftNode(RaftConfig config, Listener listener) {
    this.config = config;
    this.listener = listener;
  }

  public static final String VOTE_TWICE = "kafka.kraft-vote-twice-per-epoch";
  public static final String LEADER_WITHOUT_MAJORITY = "kafka.kraft-leader-without-majority";

  /** Recovers the log and the election state; a member that led before its crash starts resigned (KafkaRaftClient). */
  public void start(NodeContext ctx) {
    self = ctx.self();
    voteTwice = ctx.isBroken(VOTE_TWICE);
    leaderWithoutMajority = ctx.isBroken(LEADER_WITHOUT_MAJORITY);
    mlog = MetadataLog.open(ctx, config, (l, files, upTo) -> ctx.fsyncThen(files, new RaftTimer.LogFlushed(truncations, upTo)), self.toString());
    log = mlog.log();
    download = new FetchSnapshots.Download(self.toString());
    ctx.setTimer(new RaftTimer.SnapshotClean(0), Durations.millis(config.logCleanIntervalMs()));
    stateFile = new QuorumStateFile(ctx.disk(), LOG_DIR, config);
    QuorumStateFile.Election e = stateFile.read();
    ctx.note("quorum-state: epoch " + e.epoch() + ", leader " + e.leader() + ", voted " + e.votedFor() + "; metadata log end offset " + log.logEndOffset()
        + (mlog.latestSnapshotId() == null ? "" : " (log start " + log.logStartOffset() + ", snapshots " + mlog.snapshots() + ")"));
    if (self.equals(e.leader())) transition(ctx, new Resigned(e.epoch(), self), false);
    else if (e.leader() != null) transition(ctx, new Follower(e.epoch(), e.leader(), e.votedFor(), new boolean[1]), false);
    else transition(ctx, new Unattached(e.epoch(), e.votedFor()), false);
    armForState(ctx);
  }

  // ---- the entry points ----

  public void step(NodeContext ctx, NodeId from, RaftMessage m) {
    if (m.epoch() > state.epoch() && !(m instanceof VoteRequest v && v.preVote()) && !(m instanceof VoteResponse r && r.preVote() && r.granted())
        && !(m instanceof FetchRequest f && !config.voters().contains(f.replica()))
        && !(m instanceof FetchSnapshotRequest fs && !config.voters().contains(fs.replica()))) { // an observer's fetch moves no epoch
      NodeId leader = RaftMessage.leaderNamedBy(m);
      if (leader != null && !leader.equals(self)) becomeFollower(ctx, m.epoch(), leader);
      else becomeUnattached(ctx, m.epoch(), null);
    } else if (m.epoch() == state.epoch() && state.leader() == null && RaftMessage.leaderNamedBy(m) != null
        && !RaftMessage.leaderNamedBy(m).equals(self)) {
      becomeFollower(ctx, m.epoch(), RaftMessage.leaderNamedBy(m)); // an answer names the leader of this epoch (maybeHandleCommonResponse)
    }
    if (m instanceof VoteRequest v) onVoteRequest(ctx, from, v);
    else if (m instanceof VoteResponse v) onVoteResponse(ctx, from, v);
    else if (m instanceof BeginQuorumEpoch b) onBeginQuorumEpoch(ctx, b);
    else if (m instanceof EndQuorumEpoch e) onEndQuorumEpoch(ctx, e);
    else if (m instanceof FetchRequest f) onFetchRequest(ctx, from, f);
    else if (m instanceof FetchResponse f) onFetchResponse(ctx, f);
    else if (m instanceof FetchSnapshotRequest f) onFetchSnapshotRequest(ctx, from, f);
    else if (m instanceof FetchSnapshotResponse f) onFetchSnapshotResponse(ctx, f);
  }

  public boolean onTimer(NodeContext ctx, Timer t) {
    if (t instanceof FetchSnapshots.Downloaded d) {
      onSnapshotDownloaded(ctx, d);
      return true;
    }
    if (!(t instanceof RaftTimer rt)) return false;
    if (rt instanceof RaftTimer.QuorumStatePersisted p) stateFile.onPersisted(ctx, p.version());
    else if (rt instanceof RaftTimer.SnapshotClean) onSnapshotClean(ctx);
    else if (rt instanceof RaftTimer.LogFlushed f) {
      if (f.generation() == truncations) onLogFlushed(ctx, f.upToOffset());
    }
    else if (rt.generation() != generation) return true; // set in an earlier state
    else if (rt instanceof RaftTimer.ElectionTimeout) onElectionTimeout(ctx);
    else if (rt instanceof RaftTimer.BackoffExpired) becomeProspective(ctx);
    else if (rt instanceof RaftTimer.FetchTimeout) becomeProspective(ctx);
    else if (rt instanceof RaftTimer.FetchRetry r && r.fetchId() == fetchId) sendFetch(ctx);
    else if (rt instanceof RaftTimer.LeaderTick) leaderTick(ctx);
    return true;
  }

  // ---- transitions ----

  private void transition(NodeContext ctx, EpochState next, boolean persist) {
    EpochState old = state;
    boolean wasLeader = old instanceof Leader;
    state = next;
    generation++;
    fetches.clear();
    awaitingFlush = false;
    if (download != null) download.reset(); // FollowerState's fetching snapshot goes with the state
    if (persist) stateFile.write(ctx, next.epoch(), next instanceof Leader ? self : next.leader(), next.votedFor());
    ctx.note("raft " + (old == null ? "start" : old.getClass().getSimpleName()) + " -> " + next);
    if (wasLeader) listener.onLeadershipLost(ctx, old.epoch());
  }

  private void becomeUnattached(NodeContext ctx, int epoch, NodeId votedFor) {
    transition(ctx, new Unattached(epoch, votedFor), true);
    armElectionTimer(ctx, randomElectionTimeoutMs(ctx));
  }

  /** KIP-996: ask for pre-votes for epoch + 1 without bumping anything; a follower keeps its leader in mind. */
  private void becomeProspective(NodeContext ctx) {
    transition(ctx, new Prospective(state.epoch(), state.votedFor(), state instanceof Follower f ? f.leader() : null), false);
    ctx.point("kafka.kraft.prospective", self + " asks for pre-votes for epoch " + (state.epoch() + 1), "epoch", state.epoch() + 1);
    armElectionTimer(ctx, randomElectionTimeoutMs(ctx));
    if (config.majority() == 1) {
      becomeCandidate(ctx);
      return;
    }
    for (NodeId v : others()) send(ctx, v, new VoteRequest(state.epoch() + 1, self, lastEpoch(), log.logEndOffset(), true));
  }

  /** A majority said it could win: bump the epoch, vote for itself (durably) and ask for real votes. */
  private void becomeCandidate(NodeContext ctx) {
    int epoch = state.epoch() + 1;
    transition(ctx, new Candidate(epoch, self, new TreeSet<>(List.of(self)), new TreeSet<>()), true);
    ctx.point("kafka.kraft.candidate", self + " campaigns in epoch " + epoch, "epoch", epoch);
    armElectionTimer(ctx, randomElectionTimeoutMs(ctx));
    if (config.majority() == 1) {
      becomeLeader(ctx);
      return;
    }
    for (NodeId v : others()) send(ctx, v, new VoteRequest(epoch, self, lastEpoch(), log.logEndOffset(), false));
  }

  /** Won: the leader-change record opens the epoch; only once a majority has it may the high watermark move. */
  private void becomeLeader(NodeContext ctx) {
    int epoch = state.epoch();
    long start = log.logEndOffset();
    TreeMap<NodeId, Long> ends = new TreeMap<>();
    TreeMap<NodeId, Long> fetched = new TreeMap<>();
    for (NodeId v : config.voters()) {
      ends.put(v, -1L);
      fetched.put(v, ctx.localTimeMs());
    }
    transition(ctx, new Leader(epoch, self, start, ends, fetched), true);
    backoffRound = 0;
    ctx.point("kafka.kraft.leader", self + " leads epoch " + epoch + " from offset " + start, "epoch", epoch, "epochStartOffset", start);
    appendBatch(ctx, MetadataBatches.leaderChange(start, epoch, ctx.localTimeMs(), config.idOf(self)));
    for (NodeId v : others()) send(ctx, v, new BeginQuorumEpoch(epoch, self));
    ctx.setTimer(new RaftTimer.LeaderTick(generation), Durations.millis(RaftConfig.FETCH_MAX_WAIT_MS / 2));
    listener.onBecomeLeader(ctx, epoch);
  }

  private void becomeFollower(NodeContext ctx, int epoch, NodeId leader) {
    NodeId voted = state.epoch() == epoch ? state.votedFor() : null;
    transition(ctx, new Follower(epoch, leader, voted, new boolean[1]), true);
    ctx.point("kafka.kraft.follower", self + " follows " + leader + " in epoch " + epoch, "epoch", epoch, "leader", leader.name());
    resetFetchTimeout(ctx, config.fetchTimeoutMs());
    sendFetch(ctx);
  }

  /** Check quorum failed: no majority fetched for 1.5 × fetch timeout, so this leader may be cut off and steps down. */
  private void becomeResigned(NodeContext ctx, String why) {
    int epoch = state.epoch();
    transition(ctx, new Resigned(epoch, self), false);
    ctx.point("kafka.kraft.resign", self + " resigns epoch " + epoch + ": " + why, "epoch", epoch);
    for (NodeId v : others()) send(ctx, v, new EndQuorumEpoch(epoch, self));
    armElectionTimer(ctx, randomElectionTimeoutMs(ctx));
  }

  private void armForState(NodeContext ctx) {
    if (state instanceof Follower) {
      resetFetchTimeout(ctx, config.fetchTimeoutMs());
      sendFetch(ctx);
    } else {
      armElectionTimer(ctx, randomElectionTimeoutMs(ctx));
    }
  }

  /** A follower's fetch timeout starts over (a successful fetch); the earlier timer must not fire. */
  private void resetFetchTimeout(NodeContext ctx, long ms) {
    if (fetchTimer != null) fetchTimer.cancel();
    fetchTimer = ctx.setTimer(new RaftTimer.FetchTimeout(generation), Durations.millis(ms));
  }

  private void armElectionTimer(NodeContext ctx, long ms) {
    ctx.setTimer(new RaftTimer.ElectionTimeout(generation), Durations.millis(ms));
  }

  /** KafkaRaftClient's randomElectionTimeoutMs: the timeout plus a jitter of up to as much again. */
  private long randomElectionTimeoutMs(NodeContext ctx) {
    return config.electionTimeoutMs() + ctx.random("raft.election").nextInt((int) config.electionTimeoutMs());
  }

  private void onElectionTimeout(NodeContext ctx) {
    if (state instanceof Candidate) {
      // Lost or split: back off (exponentially, with jitter, at most election.backoff.max.ms), then try again.
      backoffRound = Math.min(backoffRound + 1, 10);
      long max = Math.min(config.electionBackoffMaxMs(), 50L << backoffRound);
      ctx.setTimer(new RaftTimer.BackoffExpired(generation), Durations.millis(1 + ctx.random("raft.backoff").nextInt((int) max)));
      return;
    }
    if (state instanceof Leader) return;
    becomeProspective(ctx);
  }

  // ---- elections ----

  private void onVoteRequest(NodeContext ctx, NodeId from, VoteRequest r) {
    if (r.epoch() < state.epoch()) {
      send(ctx, from, new VoteResponse(state.epoch(), false, r.preVote(), Errors.FENCED_LEADER_EPOCH, state.leader()));
      return;
    }
    boolean upToDate = VoteRule.logUpToDate(r.lastEpoch(), r.lastEpochEndOffset(), lastEpoch(), log.logEndOffset());
    boolean granted = VoteRule.canGrant(state, r.candidate(), upToDate, r.preVote(), voteTwice);
    if (granted && !r.preVote() && !r.candidate().equals(state.votedFor()) && !(state instanceof Candidate)) {
      becomeUnattached(ctx, r.epoch(), r.candidate()); // the vote is durable before the answer leaves (outbox)
    }
    ctx.point("kafka.kraft.vote", self + (granted ? " grants " : " refuses ") + (r.preVote() ? "pre-vote" : "vote") + " to " + r.candidate()
        + " for epoch " + r.epoch() + (upToDate ? "" : " (its log is behind)"), "epoch", r.epoch(), "candidate", r.candidate().name(),
        "granted", granted, "preVote", r.preVote());
    send(ctx, from, new VoteResponse(state.epoch(), granted, r.preVote(), Errors.NONE, state.leader()));
  }

  private void onVoteResponse(NodeContext ctx, NodeId from, VoteResponse r) {
    if (state instanceof Prospective p && r.preVote()) {
      if (r.granted()) p.granted().add(from);
      else p.rejected().add(from);
      if (p.granted().size() + 1 >= config.majority()) becomeCandidate(ctx);
      else if (p.rejected().size() > config.voters().size() - config.majority()) {
        // A majority still hears from a leader (or has a longer log): go back instead of disrupting it.
        if (p.leader() != null && !p.leader().equals(self)) becomeFollower(ctx, p.epoch(), p.leader());
        else becomeUnattached(ctx, p.epoch(), p.votedFor());
      }
      return;
    }
    if (!(state instanceof Candidate c) || r.preVote() || r.epoch() != c.epoch()) return;
    if (r.granted()) c.granted().add(from);
    else c.rejected().add(from);
    if (c.granted().size() >= config.majority()) becomeLeader(ctx);
  }

  private void onBeginQuorumEpoch(NodeContext ctx, BeginQuorumEpoch b) {
    if (b.epoch() < state.epoch() || b.leader().equals(self)) return;
    if (!(state instanceof Follower f && f.leader().equals(b.leader()))) becomeFollower(ctx, b.epoch(), b.leader());
  }

  private void onEndQuorumEpoch(NodeContext ctx, EndQuorumEpoch e) {
    if (e.epoch() != state.epoch() || !(state instanceof Follower f) || !f.leader().equals(e.leader())) return;
    resetFetchTimeout(ctx, 1 + ctx.random("raft.backoff").nextInt((int) config.electionBackoffMaxMs()));
  }

  // ---- replication: the leader's side ----

  /** Appends records as one batch of this leader's epoch; returns the batch's last offset, or -1 when not the leader. */
  public long append(NodeContext ctx, List<byte[]> values) {
    if (!(state instanceof Leader l) || values.isEmpty()) return -1;
    long base = log.logEndOffset();
    appendBatch(ctx, MetadataBatches.data(base, l.epoch(), ctx.localTimeMs(), values));
    return base + values.size() - 1;
  }

  private void appendBatch(NodeContext ctx, byte[] batch) {
    log.append(batch);
    log.flush(); // the leader's own end offset counts toward the high watermark once durable (onLogFlushed)
    answerParked(ctx);
  }

  private void onFetchRequest(NodeContext ctx, NodeId from, FetchRequest r) {
    if (!(state instanceof Leader l) || r.epoch() != l.epoch()) {
      Errors error = r.epoch() < state.epoch() ? Errors.FENCED_LEADER_EPOCH : Errors.NOT_LEADER_OR_FOLLOWER;
      send(ctx, from, new FetchResponse(state.epoch(), state.leader(), error, List.of(), -1, -1, -1));
      return;
    }
    boolean voter = config.voters().contains(from);
    if (voter) l.lastFetchMs().put(from, ctx.localTimeMs());
    FetchResponse refusal = LeaderFetches.refusal(mlog, l.epoch(), self, highWatermark, r);
    if (refusal != null) {
      send(ctx, from, refusal);
      return;
    }
    if (voter) {
      l.endOffsets().put(from, r.fetchOffset());
      maybeAdvanceHighWatermark(ctx, l);
    } else {
      fetches.observed(from, r.fetchOffset()); // LeaderState's observer states: shown, never counted toward the high watermark
    }
    fetches.serveOrPark(from, r, log, (to, m) -> send(ctx, to, new FetchResponse(l.epoch(), self, Errors.NONE, m, highWatermark, -1, -1)));
  }

  private void answerParked(NodeContext ctx) {
    if (state instanceof Leader l) fetches.answerParked(log, (to, m) -> send(ctx, to, new FetchResponse(l.epoch(), self, Errors.NONE, m, highWatermark, -1, -1)));
  }

  /**
   * The high watermark is the end offset a majority of voters has durably; it moves only past an offset of this leader's
   * own epoch (Raft's rule: an entry of an earlier epoch is committed only by one of the current epoch above it).
   */
  private void maybeAdvanceHighWatermark(NodeContext ctx, Leader l) {
    l.endOffsets().put(self, log.recoveryPoint());
    long majorityEnd = leaderWithoutMajority ? HighWatermarkRule.next(List.of(log.recoveryPoint()), 1, l.epochStartOffset(), highWatermark)
        : HighWatermarkRule.next(l.endOffsets().values(), config.majority(), l.epochStartOffset(), highWatermark);
    if (majorityEnd == highWatermark) return;
    Check.state(majorityEnd <= log.logEndOffset(), "high watermark %d beyond log end %d", majorityEnd, log.logEndOffset());
    ctx.point("kafka.kraft.hw.advance", "epoch " + l.epoch() + " high watermark " + majorityEnd + " (voters' end offsets " + l.endOffsets() + ")",
        "epoch", l.epoch(), "highWatermark", majorityEnd);
    setHighWatermark(ctx, majorityEnd);
    answerParked(ctx);
  }

  private void leaderTick(NodeContext ctx) {
    if (!(state instanceof Leader l)) return;
    long now = ctx.localTimeMs();
    int recent = 1;
    for (NodeId v : others()) {
      long last = l.lastFetchMs().get(v);
      if (now - last <= config.fetchTimeoutMs() * 3 / 2) recent++;
      if (l.endOffsets().get(v) < 0 && now - last >= config.fetchTimeoutMs() / 2) send(ctx, v, new BeginQuorumEpoch(l.epoch(), self));
    }
    if (recent < config.majority()) {
      becomeResigned(ctx, "no majority fetched within 1.5 x controller.quorum.fetch.timeout.ms=" + config.fetchTimeoutMs());
      return;
    }
    answerParked(ctx); // a parked fetch waits at most the fetch max wait
    ctx.setTimer(new RaftTimer.LeaderTick(generation), Durations.millis(RaftConfig.FETCH_MAX_WAIT_MS));
  }

  // ---- replication: the follower's side ----

  private void sendFetch(NodeContext ctx) {
    if (!(state instanceof Follower f) || awaitingFlush) return;
    fetchId++;
    if (download.active()) send(ctx, f.leader(), download.request(f.epoch(), self, config.fetchSnapshotMaxBytes()));
    else send(ctx, f.leader(), new FetchRequest(f.epoch(), self, log.logEndOffset(), lastEpoch()));
    ctx.setTimer(new RaftTimer.FetchRetry(generation, fetchId), Durations.millis(config.requestTimeoutMs()));
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    if (!(state instanceof Follower f) || r.epoch() != f.epoch() || !f.leader().equals(r.leader()) || awaitingFlush) return;
    if (r.error() != Errors.NONE) return; // retried after the request timeout
    f.fetched()[0] = true;
    resetFetchTimeout(ctx, config.fetchTimeoutMs());
    if (r.diverging()) {
      truncateToDivergence(ctx, r.divergingEpoch(), r.divergingEndOffset());
      sendFetch(ctx);
      return;
    }
    if (r.snapshotId()) {
      if (download.begin(ctx, mlog, new MetadataLog.SnapshotId(r.snapshotEndOffset(), r.snapshotEpoch()), log.logEndOffset())) sendFetch(ctx);
      return; // already stored: the next fetch timeout starts over
    }
    leaderHighWatermark = r.highWatermark();
    boolean appended = false;
    for (RaftMessage.Batch b : r.batches()) {
      if (b.baseOffset() != log.logEndOffset()) continue;
      log.append(b.bytes());
      appended = true;
    }
    if (appended) {
      awaitingFlush = true; // persist before you speak: the next fetch tells the leader an end offset that is durable
      log.flush();
      return;
    }
    setHighWatermark(ctx, Math.min(leaderHighWatermark, log.logEndOffset()));
    sendFetch(ctx);
  }

  // ---- snapshots: FetchSnapshot and the log cleaner ----

  private void onFetchSnapshotRequest(NodeContext ctx, NodeId from, FetchSnapshotRequest r) {
    FetchSnapshotResponse answer = FetchSnapshots.answer(state, leader(), mlog, r);
    if (answer.error() == Errors.NONE && state instanceof Leader l && config.voters().contains(from)) l.lastFetchMs().put(from, ctx.localTimeMs());
    send(ctx, from, answer);
  }

  private void onFetchSnapshotResponse(NodeContext ctx, FetchSnapshotResponse r) {
    if (!(state instanceof Follower f) || r.epoch() != f.epoch() || !f.leader().equals(r.leader())) return;
    FetchSnapshots.Next next = download.onResponse(ctx, r);
    if (next == FetchSnapshots.Next.IGNORE) return;
    f.fetched()[0] = true;
    resetFetchTimeout(ctx, config.fetchTimeoutMs());
    if (next != FetchSnapshots.Next.WAIT) sendFetch(ctx);
  }

  /** The downloaded snapshot is durable and replaced the log: it is committed, so the high watermark is at least its end. */
  private void onSnapshotDownloaded(NodeContext ctx, FetchSnapshots.Downloaded d) {
    if (!download.onDownloaded(ctx, mlog, d)) return;
    truncations++; // an fsync of the replaced log says nothing about the new one
    setHighWatermark(ctx, log.logStartOffset());
    sendFetch(ctx);
  }

  /** KafkaRaftClient's snapshot cleaner: every 60 s the log start may move past a snapshot (KafkaMetadataLog.maybeClean). */
  private void onSnapshotClean(NodeContext ctx) {
    String did = mlog.maybeClean(ctx.localTimeMs(), highWatermark);
    if (did != null) ctx.point("kafka.kraft.log-start", self + ": " + did, "logStartOffset", log.logStartOffset());
    ctx.setTimer(new RaftTimer.SnapshotClean(0), Durations.millis(config.logCleanIntervalMs()));
  }

  /** KafkaRaftClient's truncation on a diverging epoch: to the end of that epoch in both logs, whichever is smaller. */
  private void truncateToDivergence(NodeContext ctx, int divergingEpoch, long divergingEndOffset) {
    truncations++; // an fsync requested before this truncation no longer says anything about the new tail
    DivergingEpoch.truncate(ctx, log, divergingEpoch, divergingEndOffset, self.toString());
  }

  private void onLogFlushed(NodeContext ctx, long upTo) {
    log.markFlushed(upTo);
    if (state instanceof Leader l) {
      maybeAdvanceHighWatermark(ctx, l);
      return;
    }
    if (!awaitingFlush || log.recoveryPoint() < log.logEndOffset()) return;
    awaitingFlush = false;
    setHighWatermark(ctx, Math.min(leaderHighWatermark, log.logEndOffset()));
    sendFetch(ctx);
  }

  private void setHighWatermark(NodeContext ctx, long hw) {
    if (hw <= highWatermark) return;
    highWatermark = hw;
    listener.onHighWatermark(ctx, hw);
  }

  // ---- persist before you speak ----

  private void send(NodeContext ctx, NodeId to, RaftMessage m) {
    stateFile.send(ctx, to, m); // held until the election state it was sent in is durable
  }

  // ---- views ----

  private List<NodeId> others() {
    return config.voters().stream().filter(v -> !v.equals(self)).toList();
  }

  private int lastEpoch() {
    return mlog.lastFetchedEpoch();
  }

  public int epoch() {
    return state.epoch();
  }

  public boolean isLeader() {
    return state instanceof Leader;
  }

  /** The leader this member knows (itself when leading), or null. */
  public NodeId leader() {
    return state instanceof Resigned ? null : state.leader();
  }

  public long highWatermark() {
    return highWatermark;
  }

  /** The offset this leader's epoch starts at (its leader-change record), or -1 when not leading. */
  public long epochStartOffset() {
    return state instanceof Leader l ? l.epochStartOffset() : -1;
  }

  public Log log() {
    return log;
  }

  MetadataLog metadataLog() {
    return mlog;
  }

  /** The end offsets of the snapshots this member holds, oldest first. */
  public List<Long> snapshotEndOffsets() {
    return mlog.snapshots().stream().map(MetadataLog.SnapshotId::endOffset).toList();
  }

  /** The image the committed metadata describes: the latest snapshot below the high watermark, then the log after it. */
  public sim.kafka.broker.MetadataImage committedImage() {
    return MetadataRecords.replay(mlog.imageRecords(highWatermark));
  }

  /** The committed data records (below the high watermark, control batches skipped) from {@code fromOffset}. */
  public List<LogRecord> committed(long fromOffset) {
    return MetadataBatches.dataRecords(log, fromOffset, highWatermark);
  }

  public String describe() {
    return "raft " + state + ", log " + (log == null ? "" : log.logStartOffset() + ".." + log.logEndOffset()) + ", snapshots "
        + (mlog == null ? "" : mlog.snapshots()) + ", high watermark " + highWatermark
        + ", epochs " + (log == null ? "" : log.epochs()) + ", voters " + config.votersConfig()
        + fetches.describeObservers(highWatermark);
  }
}
