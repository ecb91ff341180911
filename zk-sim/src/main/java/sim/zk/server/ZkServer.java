package sim.zk.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.zk.server.ZkMessage.*;
import sim.zk.server.ZkTimer.*;
import sim.zk.storage.EpochFile;
import sim.zk.storage.SnapshotStore;
import sim.zk.storage.TxnLog;
import sim.zk.tree.DataTree;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;
import sim.zk.tree.WatchEvent;

/**
 * One ZooKeeper server ({@code QuorumPeer}): fast leader election while LOOKING, then {@code Leader} or
 * {@code Follower} running ZAB's discovery, synchronization and broadcast, and the client-facing server
 * (sessions, reads, watches) once it is up to date.
 */
public final class ZkServer implements Node {
  /** Simulated time 0 reads as this wall-clock instant (2023-11-14T22:13:20Z) in ctime/mtime. */
  public static final long WALL_CLOCK_BASE_MS = 1_700_000_000_000L;
  private final ZkConfig cfg;
  private final EnsembleObserver observer;
  private long myid;
  private NodeContext ctx;

  // ---- durable state (recovered in start and on every return to LOOKING) ----
  private TxnLog log;
  private SnapshotStore snaps;
  private long acceptedEpoch;
  private long currentEpoch;
  private DataTree tree;
  private TreeMap<Long, Integer> sessions;
  /** Logged txns by zxid, the latest commitLogCount of which serve DIFF ({@code committedLog}). */
  private TreeMap<Long, Txn> history;
  private long lastLoggedZxid;
  private long snapshotZxid;
  private int txnsSinceSnapshot;

  // ---- role ----
  private ServerState state = ServerState.LOOKING;
  private long term;
  private FastLeaderElection fle;
  private int notificationIntervalMs;
  private boolean serving;
  private NodeId leaderId;
  private long leaderContactNanos;
  private boolean gotLeaderInfo;
  /** Follower: a DIFF, TRUNC or SNAP has arrived on this connection, so proposals may follow. */
  private boolean gotSync;
  /** Follower: NEWLEADER has been processed (currentEpoch persisted), so proposals may be logged and ACKed. */
  private boolean gotNewLeader;
  /** Follower: proposals that arrived between the sync and NEWLEADER ({@code packetsNotCommitted}). */
  private final List<Txn> notLoggedYet = new ArrayList<>();
  /** Follower: committed txns received while syncing (DIFF, COMMITs before UPTODATE), applied at UPTODATE. */
  private final List<Txn> applyAtUpToDate = new ArrayList<>();
  private Leading lead;
  /** Follower: logged proposals waiting for COMMIT, in zxid order. */
  private final TreeMap<Long, Txn> pendingTxns = new TreeMap<>();

  // ---- client side ----
  private final TreeMap<Long, NodeId> connections = new TreeMap<>();
  private final TreeMap<Long, ArrayDeque<Pending>> queues = new TreeMap<>();
  private final TreeSet<Long> touched = new TreeSet<>();
  private long nextSessionId;

  /** A client request waiting its turn in its session's queue. */
  private record Pending(NodeId client, long sessionId, int xid, Op op, boolean connect, long waitZxid) {}

  /** The leader's view of one learner ({@code LearnerHandler}). */
  private static final class LearnerState {
    long acceptedEpoch;
    long lastZxid = -1;
    boolean ackedEpoch;
    boolean synced;
    boolean ackedNewLeader;
    long lastContactNanos;
  }

  /** Everything that exists only while leading. */
  private static final class Leading {
    long newEpoch;
    boolean epochChosen;
    boolean broadcast;
    long counter;
    final TreeMap<Long, LearnerState> learners = new TreeMap<>();
    final TreeMap<Long, TreeSet<Long>> acks = new TreeMap<>();
    final TreeMap<Long, Txn> outstanding = new TreeMap<>();
    final SessionTracker sessionTracker = new SessionTracker();
    final TreeSet<Long> newLeaderAcks = new TreeSet<>();
    final TreeSet<Long> epochAcks = new TreeSet<>();
    long lastProposed;
  }

  public ZkServer(ZkConfig cfg, EnsembleObserver observer) {
    this.cfg = cfg;
    this.observer = observer;
  }

  // ==== lifecycle ============================================================================================

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    this.myid = cfg.sidOf(ctx.self());
    this.log = new TxnLog(ctx.disk());
    this.snaps = new SnapshotStore(ctx.disk());
    // SessionTrackerImpl.initializeNextSessionId: the clock in the middle bits, the server id in the top byte
    this.nextSessionId = ((WALL_CLOCK_BASE_MS + ctx.localTimeMs()) << 24 >>> 8) | (myid << 56);
    try {
      loadFromDisk();
    } catch (SimIOException e) {
      failStop(e);
      return;
    }
    ctx.setTimer(new Boot(), 0);
  }

  /** {@code ZKDatabase.loadDataBase}: newest valid snapshot, then every logged txn after it. */
  private void loadFromDisk() {
    acceptedEpoch = EpochFile.read(ctx.disk(), "acceptedEpoch");
    currentEpoch = EpochFile.read(ctx.disk(), "currentEpoch");
    SnapshotStore.Snapshot s = snaps.loadNewest();
    tree = s == null ? new DataTree() : s.tree();
    sessions = s == null ? new TreeMap<>() : new TreeMap<>(s.sessions());
    snapshotZxid = s == null ? 0 : s.zxid();
    history = new TreeMap<>();
    TxnLog.Recovered r = log.recover();
    if (r.truncatedTail() != null) ctx.note("txn log tail cut off at " + r.truncatedTail());
    for (Txn t : r.txns()) {
      if (t.zxid() <= tree.lastProcessedZxid()) continue;
      history.put(t.zxid(), t);
      applyToState(t);
    }
    lastLoggedZxid = tree.lastProcessedZxid();
    txnsSinceSnapshot = history.size();
    trimHistory();
  }

  // ==== dispatch ==============================================================================================

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    try {
      dispatch(from, m);
    } catch (SimIOException e) {
      failStop(e);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    try {
      dispatchTimer(t);
    } catch (SimIOException e) {
      failStop(e);
    }
  }

  /** ZooKeeper exits when it cannot write its txn log, snapshot or epoch files; a restart recovers from disk. */
  private void failStop(SimIOException e) {
    ctx.panic("disk error, exiting as ZooKeeper does: " + e.getMessage());
  }

  private void dispatch(NodeId from, Message m) {
    if (fle == null) return; // not booted yet: nothing listens on the ports
    if (m instanceof Notification n) onNotification(from, n);
    else if (m instanceof FollowerInfo fi) onFollowerInfo(from, fi);
    else if (m instanceof LeaderInfo li) onLeaderInfo(from, li);
    else if (m instanceof AckEpoch ae) onAckEpoch(from, ae);
    else if (m instanceof Diff d) onDiff(from, d);
    else if (m instanceof Trunc t) onTrunc(from, t);
    else if (m instanceof Snap s) onSnap(from, s);
    else if (m instanceof NewLeader nl) onNewLeader(from, nl);
    else if (m instanceof UpToDate) onUpToDate(from);
    else if (m instanceof Proposal p) onProposal(from, p);
    else if (m instanceof Ack a) onAck(from, a);
    else if (m instanceof Commit c) onCommit(from, c);
    else if (m instanceof Inform i) onInform(from, i);
    else if (m instanceof Request r) onForwardedRequest(from, r);
    else if (m instanceof Ping p) onPing(from, p);
    else if (m instanceof SyncRequest s) onSyncRequest(from, s);
    else if (m instanceof SyncReply s) onSyncReply(from, s);
    else if (m instanceof Connect c) onConnect(from, c);
    else if (m instanceof ClientRequest r) onClientRequest(from, r);
    else if (m instanceof ClientPing p) onClientPing(from, p);
    else if (m instanceof SetWatches w) onSetWatches(from, w);
  }

  private void dispatchTimer(Timer t) {
    if (t instanceof Boot) becomeLooking("start");
    else if (t instanceof ElectionRetry r) onElectionRetry(r);
    else if (t instanceof FinalizeWait f) onFinalizeWait(f);
    else if (t instanceof Tick k) onTick(k);
    else if (t instanceof Logged l) onLogged(l);
    else if (t instanceof InitDeadline d) onInitDeadline(d);
  }

  // ==== fast leader election ===================================================================================

  private void becomeLooking(String why) {
    if (state != ServerState.LOOKING || term > 0) ctx.note("LOOKING: " + why);
    dropClients("server is LOOKING (" + why + ")");
    state = ServerState.LOOKING;
    term++;
    serving = false;
    lead = null;
    leaderId = null;
    pendingTxns.clear();
    if (fle == null) fle = new FastLeaderElection(myid, cfg.quorum(), sid -> !cfg.isObserver(sid)); // booting: loaded in start
    else loadFromDisk(); // the database is cleared and reloaded from disk, as ZooKeeperServer.shutdown does
    fle.start(lastLoggedZxid, currentEpoch);
    notificationIntervalMs = cfg.finalizeWaitMs();
    ctx.point("zk.fle.vote", "round " + fle.logicalclock + ": vote for myself (" + myid + ", zxid " + Txn.hex(lastLoggedZxid) + ", epoch " + currentEpoch + ")");
    broadcastVote();
    ctx.setTimer(new ElectionRetry(term), Durations.millis(notificationIntervalMs));
  }

  private void broadcastVote() {
    Notification n = fle.myNotification(state);
    for (NodeId peer : cfg.servers()) if (!peer.equals(ctx.self())) ctx.send(peer, n);
  }

  private void onNotification(NodeId from, Notification n) {
    if (!isObserver() && cfg.isObserver(n.sid())) {
      // an observer's vote counts for nothing; it is told ours so it can find the leader
      ctx.send(from, state == ServerState.LOOKING ? fle.myNotification(state) : decidedVote());
      return;
    }
    if (state == ServerState.FOLLOWING && from.equals(leaderId) && n.state() == ServerState.LOOKING
        && (serving || n.electionEpoch() < fle.logicalclock)) {
      // Our established leader is electing again (it restarted or stepped down): the connection is gone.
      // (A leader still finishing the election that chose it is LOOKING in the same round: not this.)
      becomeLooking("leader " + leaderId + " is LOOKING");
    }
    if (state != ServerState.LOOKING) {
      // WorkerReceiver: a LOOKING peer is told whom we follow or that we lead.
      if (n.state() == ServerState.LOOKING) ctx.send(from, decidedVote());
      return;
    }
    if (n.state() == ServerState.LOOKING && n.electionEpoch() < fle.logicalclock) {
      ctx.send(from, fle.myNotification(state)); // a peer behind in rounds learns ours
    }
    long before = fle.proposalVersion;
    FastLeaderElection.Step step = fle.onNotification(n, lastLoggedZxid, currentEpoch);
    if (fle.proposalVersion != before) {
      ctx.point("zk.fle.vote", "round " + fle.logicalclock + ": now vote for " + fle.proposal.leader() + " (zxid " + Txn.hex(fle.proposal.zxid()) + ", epoch " + fle.proposal.peerEpoch() + ") after " + n);
      broadcastVote();
    }
    if (step == FastLeaderElection.Step.DECIDED) {
      concludeElection();
    } else if (step == FastLeaderElection.Step.QUORUM || step == FastLeaderElection.Step.BROADCAST && fle.proposalVersion != before) {
      ctx.setTimer(new FinalizeWait(fle.logicalclock, fle.proposalVersion), Durations.millis(cfg.finalizeWaitMs()));
    }
  }

  /** What a server that follows or leads tells a LOOKING peer. */
  private Notification decidedVote() {
    long leader = state == ServerState.LEADING ? myid : cfg.sidOf(leaderId);
    return new Notification(leader, lastLoggedZxid, fle.logicalclock, currentEpoch, state, myid);
  }

  private boolean isObserver() {
    return cfg.isObserver(myid);
  }

  /** How many of {@code sids} are voting servers: only they make a quorum. */
  private int votes(java.util.Collection<Long> sids) {
    int n = 0;
    for (long sid : sids) if (!cfg.isObserver(sid)) n++;
    return n;
  }

  private void onFinalizeWait(FinalizeWait f) {
    if (state != ServerState.LOOKING || f.round() != fle.logicalclock) return;
    if (fle.finalizeIfUnchanged(f.proposalVersion()) == FastLeaderElection.Step.DECIDED) concludeElection();
  }

  private void onElectionRetry(ElectionRetry r) {
    if (state != ServerState.LOOKING || r.term() != term) return;
    broadcastVote();
    notificationIntervalMs = Math.min(notificationIntervalMs * 2, cfg.maxNotificationIntervalMs());
    ctx.setTimer(new ElectionRetry(term), Durations.millis(notificationIntervalMs));
  }

  private void concludeElection() {
    long leader = fle.decidedLeader;
    ctx.point("zk.fle.elected", "round " + fle.logicalclock + ": leader is " + leader + (leader == myid ? " (me)" : ""));
    term++;
    if (leader == myid) startLeading(); else startFollowing(cfg.idOf(leader));
  }

  // ==== leader: discovery and synchronization ==================================================================

  private void startLeading() {
    state = ServerState.LEADING;
    lead = new Leading();
    LearnerState me = new LearnerState();
    me.acceptedEpoch = acceptedEpoch;
    me.lastZxid = lastLoggedZxid;
    lead.learners.put(myid, me);
    ctx.setTimer(new InitDeadline(term), Durations.millis((long) cfg.initLimit() * cfg.tickTimeMs()));
    ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
    maybeChooseEpoch();
  }

  private void onFollowerInfo(NodeId from, FollowerInfo fi) {
    if (state != ServerState.LEADING) return;
    long sid = cfg.sidOf(from);
    LearnerState ls = new LearnerState();
    ls.acceptedEpoch = fi.acceptedEpoch();
    ls.lastZxid = fi.lastZxid();
    ls.lastContactNanos = ctx.localTimeNanos();
    lead.learners.put(sid, ls);
    if (lead.epochChosen) ctx.send(from, new LeaderInfo(lead.newEpoch)); else maybeChooseEpoch();
  }

  /** {@code Leader.getEpochToPropose}: once a quorum has connected, one more than any accepted epoch. */
  private void maybeChooseEpoch() {
    if (votes(lead.learners.keySet()) < cfg.quorum()) return;
    long max = 0;
    for (LearnerState l : lead.learners.values()) max = Math.max(max, l.acceptedEpoch);
    lead.newEpoch = max + 1;
    lead.epochChosen = true;
    acceptedEpoch = lead.newEpoch;
    EpochFile.write(ctx.disk(), "acceptedEpoch", acceptedEpoch);
    ctx.point("zk.zab.discovery", "new epoch " + lead.newEpoch + " proposed to " + (lead.learners.size() - 1) + " followers");
    lead.epochAcks.add(myid);
    for (Map.Entry<Long, LearnerState> e : lead.learners.entrySet()) {
      if (e.getKey() != myid) ctx.send(cfg.idOf(e.getKey()), new LeaderInfo(lead.newEpoch));
    }
    maybeEpochQuorum();
  }

  private void onAckEpoch(NodeId from, AckEpoch ae) {
    if (state != ServerState.LEADING || !lead.epochChosen) return;
    long sid = cfg.sidOf(from);
    LearnerState ls = lead.learners.get(sid);
    if (ls == null) return;
    ls.lastContactNanos = ctx.localTimeNanos();
    ls.lastZxid = ae.lastZxid();
    ls.ackedEpoch = true;
    // waitForEpochAck: a follower ahead of the leader means this election was wrong.
    if (ae.currentEpoch() > currentEpoch || ae.currentEpoch() == currentEpoch && ae.lastZxid() > lastLoggedZxid) {
      becomeLooking("follower " + sid + " is ahead of me (epoch " + ae.currentEpoch() + ", zxid " + Txn.hex(ae.lastZxid()) + ")");
      return;
    }
    lead.epochAcks.add(sid);
    if (votes(lead.epochAcks) >= cfg.quorum() && currentEpoch != lead.newEpoch) {
      maybeEpochQuorum();
    } else if (currentEpoch == lead.newEpoch) {
      syncLearner(sid);
    }
  }

  private void maybeEpochQuorum() {
    if (votes(lead.epochAcks) < cfg.quorum()) return;
    currentEpoch = lead.newEpoch;
    EpochFile.write(ctx.disk(), "currentEpoch", currentEpoch);
    lead.counter = 0;
    lead.lastProposed = lastLoggedZxid;
    lead.newLeaderAcks.add(myid);
    for (long sid : lead.epochAcks) if (sid != myid) syncLearner(sid);
    maybeEstablished();
  }

  /** {@code LearnerHandler.syncFollower}: DIFF, TRUNC or SNAP from the follower's last zxid. */
  private void syncLearner(long sid) {
    LearnerState ls = lead.learners.get(sid);
    NodeId to = cfg.idOf(sid);
    long committed = tree.lastProcessedZxid();
    SyncPlan plan = SyncPlan.choose(ls.lastZxid, history, committed);
    switch (plan.kind()) {
      case DIFF -> {
        ctx.point("zk.sync.diff", learnerName(sid) + " " + plan.why());
        ctx.send(to, new Diff(plan.txns()));
      }
      case TRUNC -> {
        ctx.point("zk.sync.trunc", learnerName(sid) + " " + plan.why());
        ctx.send(to, new Trunc(plan.truncZxid(), plan.txns()));
      }
      case SNAP -> {
        ctx.point("zk.sync.snap", learnerName(sid) + " " + plan.why());
        ctx.send(to, new Snap(committed, new SnapshotStore.Snapshot(committed, copyTree(), new TreeMap<>(sessions))));
      }
    }
    if (!cfg.isObserver(sid)) for (Txn t : lead.outstanding.values()) ctx.send(to, new Proposal(t)); // still in flight
    ctx.send(to, new NewLeader(Txn.makeZxid(lead.newEpoch, 0)));
    ls.synced = true;
  }

  private String learnerName(long sid) {
    return (cfg.isObserver(sid) ? "observer " : "follower ") + sid;
  }

  private DataTree copyTree() {
    return DataTree.fromSnapshot(tree.snapshotNodes(), tree.lastProcessedZxid());
  }

  private void onInitDeadline(InitDeadline d) {
    if (d.term() != term) return;
    if (state == ServerState.LEADING && !lead.broadcast) becomeLooking("no quorum synced within initLimit");
    else if (state == ServerState.FOLLOWING && !serving) becomeLooking("leader did not sync me within initLimit");
  }

  private void maybeEstablished() {
    if (lead.broadcast || votes(lead.newLeaderAcks) < cfg.quorum()) return;
    lead.broadcast = true;
    ctx.point("zk.zab.newleader", "quorum acked NEWLEADER for epoch " + lead.newEpoch + ": broadcast begins");
    // A quorum has the leader's whole history durably: it is committed in the new epoch.
    if (observer != null) observer.leaderEstablished(myid, lead.newEpoch, history, lastLoggedZxid);
    for (long sid : lead.newLeaderAcks) if (sid != myid) ctx.send(cfg.idOf(sid), new UpToDate());
    long now = ctx.localTimeNanos();
    lead.sessionTracker.trackAll(sessions, now);
    serving = true;
  }

  // ==== follower: discovery and synchronization ================================================================

  private void startFollowing(NodeId leader) {
    state = ServerState.FOLLOWING;
    leaderId = leader;
    leaderContactNanos = ctx.localTimeNanos();
    gotLeaderInfo = false;
    gotSync = false;
    gotNewLeader = false;
    notLoggedYet.clear();
    applyAtUpToDate.clear();
    ctx.send(leader, new FollowerInfo(acceptedEpoch, lastLoggedZxid));
    ctx.setTimer(new InitDeadline(term), Durations.millis((long) cfg.initLimit() * cfg.tickTimeMs()));
    ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
  }

  private boolean fromLeader(NodeId from) {
    if (state != ServerState.FOLLOWING || !from.equals(leaderId)) return false;
    leaderContactNanos = ctx.localTimeNanos();
    return true;
  }

  private void onLeaderInfo(NodeId from, LeaderInfo li) {
    if (!fromLeader(from)) return;
    gotLeaderInfo = true;
    if (li.newEpoch() > acceptedEpoch) {
      long ce = currentEpoch;
      acceptedEpoch = li.newEpoch();
      EpochFile.write(ctx.disk(), "acceptedEpoch", acceptedEpoch);
      ctx.send(from, new AckEpoch(ce, lastLoggedZxid));
    } else if (li.newEpoch() == acceptedEpoch) {
      ctx.send(from, new AckEpoch(-1, lastLoggedZxid));
    } else {
      becomeLooking("leader's epoch " + li.newEpoch() + " is less than my accepted epoch " + acceptedEpoch);
    }
  }

  private void onDiff(NodeId from, Diff d) {
    if (!fromLeader(from)) return;
    gotSync = true;
    for (Txn t : d.txns()) {
      if (t.zxid() <= lastLoggedZxid) continue;
      logAndRemember(t); // durable before NEWLEADER is ACKed (ZOOKEEPER-3911)
      applyAtUpToDate.add(t); // Learner.syncWithLeader applies DIFF txns once the leader says UPTODATE
    }
  }

  private void onTrunc(NodeId from, Trunc t) {
    if (!fromLeader(from)) return;
    ctx.note("TRUNC: dropping logged txns after " + Txn.hex(t.truncZxid()));
    log.truncateAfter(t.truncZxid());
    snaps.deleteAfter(t.truncZxid());
    loadFromDisk();
    onDiff(from, new Diff(t.txns()));
  }

  private void onSnap(NodeId from, Snap s) {
    if (!fromLeader(from)) return;
    gotSync = true;
    snaps.deleteAll();
    log.clear();
    snaps.write(s.zxid(), s.snapshot().tree(), s.snapshot().sessions());
    loadFromDisk();
  }

  private void onNewLeader(NodeId from, NewLeader nl) {
    if (!fromLeader(from)) return;
    if (!gotSync) {
      // Over TCP the sync packet cannot go missing; here a lost one means the connection broke.
      becomeLooking("NEWLEADER arrived without DIFF, TRUNC or SNAP before it");
      return;
    }
    currentEpoch = Txn.epochOf(nl.zxid());
    EpochFile.write(ctx.disk(), "currentEpoch", currentEpoch);
    gotNewLeader = true;
    for (Txn t : notLoggedYet) logAndRemember(t);
    if (log.fsyncTarget() != null) ctx.disk().fsync(log.fsyncTarget());
    ctx.send(from, new Ack(nl.zxid()));
    for (Txn t : notLoggedYet) {
      ctx.point("zk.zab.ack", "logged and fsynced " + Txn.hex(t.zxid()) + " (received during sync): ACK to " + leaderId);
      ctx.send(from, new Ack(t.zxid()));
    }
    notLoggedYet.clear();
  }

  private void onUpToDate(NodeId from) {
    if (!fromLeader(from)) return;
    if (!gotNewLeader) {
      becomeLooking("UPTODATE arrived before NEWLEADER");
      return;
    }
    for (Txn t : applyAtUpToDate) commitApply(t);
    applyAtUpToDate.clear();
    serving = true;
    ctx.note("UPTODATE from " + from + ": serving clients");
  }

  // ==== broadcast =============================================================================================

  /** Leader: give a write its zxid and send the proposal to every synced follower. */
  private void propose(long sessionId, int cxid, Op op) {
    long zxid = Txn.makeZxid(lead.newEpoch, ++lead.counter);
    Txn t = new Txn(zxid, sessionId, cxid, WALL_CLOCK_BASE_MS + ctx.localTimeMs(), op);
    lead.outstanding.put(zxid, t);
    lead.acks.put(zxid, new TreeSet<>());
    lead.lastProposed = zxid;
    ctx.point("zk.zab.proposal", Txn.hex(zxid) + " " + op.verb() + (op.path() == null ? "" : " " + op.path()) + " from session 0x" + Long.toHexString(sessionId));
    for (Map.Entry<Long, LearnerState> e : lead.learners.entrySet()) {
      if (e.getKey() != myid && e.getValue().synced && !cfg.isObserver(e.getKey())) ctx.send(cfg.idOf(e.getKey()), new Proposal(t));
    }
    logAndRemember(t);
    ctx.fsyncThen(log.fsyncTarget(), new Logged(term, zxid));
  }

  private void onProposal(NodeId from, Proposal p) {
    if (!fromLeader(from)) return;
    if (!gotSync) return; // the leader's packets to our previous incarnation's connection
    Txn t = p.txn();
    long last = Math.max(lastLoggedZxid, pendingTxns.isEmpty() ? 0 : pendingTxns.lastKey());
    if (t.zxid() <= last) return; // a duplicate
    if (!isNext(t.zxid(), last)) {
      becomeLooking("gap in proposals: got " + Txn.hex(t.zxid()) + " after " + Txn.hex(last));
      return;
    }
    pendingTxns.put(t.zxid(), t);
    if (!gotNewLeader) {
      notLoggedYet.add(t); // Learner.syncWithLeader: logged once NEWLEADER has set the epoch
      return;
    }
    logAndRemember(t);
    ctx.fsyncThen(log.fsyncTarget(), new Logged(term, t.zxid()));
  }

  /** The log write is durable: now (and only now) the proposal may be acknowledged. */
  private void onLogged(Logged l) {
    if (l.term() != term) return;
    if (state == ServerState.FOLLOWING) {
      ctx.point("zk.zab.ack", "logged and fsynced " + Txn.hex(l.zxid()) + ": ACK to " + leaderId);
      ctx.send(leaderId, new Ack(l.zxid()));
    } else if (state == ServerState.LEADING) {
      countAck(myid, l.zxid());
    }
  }

  private void onAck(NodeId from, Ack a) {
    if (state != ServerState.LEADING) return;
    long sid = cfg.sidOf(from);
    LearnerState ls = lead.learners.get(sid);
    if (ls == null) return;
    ls.lastContactNanos = ctx.localTimeNanos();
    if (Txn.counterOf(a.zxid()) == 0 && Txn.epochOf(a.zxid()) == lead.newEpoch) {
      ls.ackedNewLeader = true;
      lead.newLeaderAcks.add(sid);
      if (lead.broadcast) ctx.send(from, new UpToDate()); else maybeEstablished();
      return;
    }
    countAck(sid, a.zxid());
  }

  /** A follower logs in zxid order, so its ACK of {@code zxid} also vouches for every earlier proposal. */
  private void countAck(long sid, long zxid) {
    if (cfg.isObserver(sid)) return; // observers do not ACK proposals; if one did, it would not count
    for (TreeSet<Long> set : lead.acks.headMap(zxid, true).values()) set.add(sid);
    tryToCommit();
  }

  /** {@code Leader.tryToCommit}: commit in zxid order, each once a quorum has it durably logged. */
  private void tryToCommit() {
    while (!lead.outstanding.isEmpty()) {
      long zxid = lead.outstanding.firstKey();
      if (votes(lead.acks.get(zxid)) < cfg.quorum()) return;
      Txn t = lead.outstanding.remove(zxid);
      lead.acks.remove(zxid);
      ctx.point("zk.zab.commit", Txn.hex(zxid) + " acked by " + cfg.quorum() + "+ of " + cfg.servers().size() + ": COMMIT");
      if (observer != null) observer.committed(t);
      for (Map.Entry<Long, LearnerState> e : lead.learners.entrySet()) {
        if (e.getKey() == myid || !e.getValue().synced) continue;
        ctx.send(cfg.idOf(e.getKey()), cfg.isObserver(e.getKey()) ? new Inform(t) : new Commit(zxid));
      }
      commitApply(t);
    }
  }

  /** Within an epoch zxids are consecutive; a new epoch starts at counter 1. Anything else is a lost packet. */
  private static boolean isNext(long zxid, long last) {
    return Txn.epochOf(zxid) == Txn.epochOf(last) ? Txn.counterOf(zxid) == Txn.counterOf(last) + 1 : Txn.counterOf(zxid) == 1;
  }

  /** Observer: a committed txn; log it and apply it (no ACK: the leader does not wait for observers). */
  private void onInform(NodeId from, Inform i) {
    if (!fromLeader(from) || !gotSync) return;
    Txn t = i.txn();
    if (t.zxid() <= lastLoggedZxid) return; // a duplicate
    if (!isNext(t.zxid(), lastLoggedZxid)) {
      becomeLooking("gap in INFORMs: got " + Txn.hex(t.zxid()) + " after " + Txn.hex(lastLoggedZxid));
      return;
    }
    logAndRemember(t);
    if (serving) commitApply(t); else applyAtUpToDate.add(t);
  }

  private void onCommit(NodeId from, Commit c) {
    if (!fromLeader(from) || !gotSync) return;
    if (pendingTxns.isEmpty() || pendingTxns.firstKey() != c.zxid()) {
      becomeLooking("COMMIT " + Txn.hex(c.zxid()) + " but next pending is " + (pendingTxns.isEmpty() ? "none" : Txn.hex(pendingTxns.firstKey())));
      return;
    }
    Txn t = pendingTxns.remove(c.zxid());
    if (serving) commitApply(t); else applyAtUpToDate.add(t);
  }

  private void logAndRemember(Txn t) {
    log.append(t);
    history.put(t.zxid(), t);
    lastLoggedZxid = Math.max(lastLoggedZxid, t.zxid());
    trimHistory();
  }

  private void trimHistory() {
    while (history.size() > cfg.commitLogCount()) history.pollFirstEntry();
  }

  // ==== applying committed txns ================================================================================

  private DataTree.Applied applyToState(Txn t) {
    DataTree.Applied a = tree.apply(t);
    if (t.op() instanceof Op.CreateSession cs) sessions.put(t.sessionId(), cs.timeoutMs());
    if (t.op() instanceof Op.CloseSession) sessions.remove(t.sessionId());
    return a;
  }

  /** {@code FinalRequestProcessor}: apply, fire watches, answer the client if it is connected here. */
  private void commitApply(Txn t) {
    DataTree.Applied a = applyToState(t);
    if (observer != null) observer.appliedCommitted(myid, t);
    if (lead != null) {
      if (t.op() instanceof Op.CreateSession cs) lead.sessionTracker.add(t.sessionId(), cs.timeoutMs(), ctx.localTimeNanos());
      if (t.op() instanceof Op.CloseSession) lead.sessionTracker.removed(t.sessionId());
    }
    for (WatchEvent e : a.events()) {
      NodeId client = connections.get(e.sessionId());
      if (client != null) ctx.send(client, new WatcherEvent(e.type(), e.path(), e.zxid()));
    }
    ArrayDeque<Pending> q = queues.get(t.sessionId());
    if (q != null && !q.isEmpty() && q.peek().op().isWrite() && q.peek().xid() == t.cxid()) {
      Pending p = q.poll();
      if (p.connect()) ctx.send(p.client(), new Connected(t.sessionId(), sessions.getOrDefault(t.sessionId(), 0)));
      else ctx.send(p.client(), new ClientReply(p.xid(), t.zxid(), a.result()));
      if (t.op() instanceof Op.CloseSession) {
        connections.remove(t.sessionId());
        queues.remove(t.sessionId());
      }
    } else if (t.op() instanceof Op.CloseSession) {
      NodeId client = connections.remove(t.sessionId());
      queues.remove(t.sessionId());
      // expired under its feet: the server closes the connection; on reconnect the client learns it expired
      if (client != null) ctx.send(client, new Refused("session 0x" + Long.toHexString(t.sessionId()) + " expired"));
    }
    serveQueues();
    if (++txnsSinceSnapshot >= cfg.snapCount()) takeSnapshot();
  }

  private void takeSnapshot() {
    snaps.write(tree.lastProcessedZxid(), tree, sessions);
    snapshotZxid = tree.lastProcessedZxid();
    log.rollOnNextAppend();
    snaps.purge(cfg.snapRetainCount(), log);
    txnsSinceSnapshot = 0;
    ctx.note("snapshot at " + Txn.hex(snapshotZxid) + " (" + tree.nodeCount() + " nodes); next txn starts a new log");
  }

  // ==== ticks: pings, liveness, session expiry =================================================================

  private void onTick(Tick k) {
    if (k.term() != term) return;
    long now = ctx.localTimeNanos();
    long syncLimitNanos = Durations.millis((long) cfg.syncLimit() * cfg.tickTimeMs());
    if (state == ServerState.FOLLOWING) {
      if (now - leaderContactNanos > (serving ? syncLimitNanos : Durations.millis((long) cfg.initLimit() * cfg.tickTimeMs()))) {
        becomeLooking("no word from leader " + leaderId + " for " + Durations.format(now - leaderContactNanos));
        return;
      }
      // Learner.connectToLeader retries: the leader may not have been listening yet.
      if (!gotLeaderInfo) ctx.send(leaderId, new FollowerInfo(acceptedEpoch, lastLoggedZxid));
    } else if (state == ServerState.LEADING) {
      if (lead.broadcast) {
        int live = 1;
        for (Map.Entry<Long, LearnerState> e : lead.learners.entrySet()) {
          if (e.getKey() == myid || !e.getValue().ackedNewLeader) continue;
          ctx.send(cfg.idOf(e.getKey()), new Ping(List.of()));
          if (now - e.getValue().lastContactNanos <= syncLimitNanos && !cfg.isObserver(e.getKey())) live++;
        }
        if (live < cfg.quorum()) {
          becomeLooking("leader lost quorum: only " + live + " of " + cfg.voters() + " voters in touch within syncLimit");
          return;
        }
        expireSessions(now);
      }
    }
    ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
  }

  private void onPing(NodeId from, Ping p) {
    if (state == ServerState.LEADING) {
      LearnerState ls = lead.learners.get(cfg.sidOf(from));
      if (ls == null) return;
      ls.lastContactNanos = ctx.localTimeNanos();
      for (long s : p.touchedSessions()) touchAtLeader(s);
      return;
    }
    if (!fromLeader(from)) return;
    ctx.send(from, new Ping(new ArrayList<>(touched)));
    touched.clear();
  }

  /** {@code SessionTrackerImpl}: sessions whose deadline passed are closed by a closeSession txn. */
  private void expireSessions(long now) {
    for (long s : lead.sessionTracker.expired(now)) {
      ctx.point("zk.session.expire", "session 0x" + Long.toHexString(s) + " expired (timeout " + sessions.getOrDefault(s, 0) + "ms): closeSession removes " + tree.ephemerals(s).size() + " ephemerals");
      propose(s, 0, new Op.CloseSession());
    }
  }

  private void touch(long sessionId) {
    if (state == ServerState.LEADING) touchAtLeader(sessionId); else touched.add(sessionId);
  }

  private void touchAtLeader(long sessionId) {
    if (lead != null) lead.sessionTracker.touch(sessionId, ctx.localTimeNanos());
  }

  // ==== clients ===============================================================================================

  private void onConnect(NodeId client, Connect c) {
    if (!serving) {
      ctx.send(client, new Refused("ZooKeeperServer not running"));
      return;
    }
    if (c.lastZxidSeen() > tree.lastProcessedZxid()) {
      String why = "Refusing session request for client as it has seen zxid " + Txn.hex(c.lastZxidSeen()) + " our last zxid is " + Txn.hex(tree.lastProcessedZxid()) + " client must try another server";
      ctx.point("zk.session.refused", client + ": " + why);
      ctx.send(client, new Refused(why));
      return;
    }
    int timeout = cfg.negotiateTimeout(c.timeoutMs());
    if (c.sessionId() != 0) {
      if (!sessions.containsKey(c.sessionId())) {
        ctx.send(client, new Connected(c.sessionId(), 0));
        return;
      }
      connections.put(c.sessionId(), client);
      touch(c.sessionId());
      ctx.send(client, new Connected(c.sessionId(), sessions.get(c.sessionId())));
      return;
    }
    long id = nextSessionId++;
    connections.put(id, client);
    enqueue(new Pending(client, id, 0, new Op.CreateSession(timeout), true, 0));
  }

  private void onClientRequest(NodeId client, ClientRequest r) {
    if (!serving || !client.equals(connections.get(r.sessionId()))) {
      ctx.send(client, new Refused("session 0x" + Long.toHexString(r.sessionId()) + " is not connected here"));
      return;
    }
    touch(r.sessionId());
    enqueue(new Pending(client, r.sessionId(), r.xid(), r.op(), false, 0));
  }

  private void onClientPing(NodeId client, ClientPing p) {
    if (!serving || !client.equals(connections.get(p.sessionId()))) return;
    touch(p.sessionId());
    ctx.send(client, new PingReply(tree.lastProcessedZxid()));
  }

  private void onSetWatches(NodeId client, SetWatches w) {
    if (!serving || !client.equals(connections.get(w.sessionId()))) return;
    for (WatchEvent e : tree.setWatches(w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(), w.sessionId())) {
      ctx.send(client, new WatcherEvent(e.type(), e.path(), e.zxid()));
    }
  }

  private void enqueue(Pending p) {
    ArrayDeque<Pending> q = queues.computeIfAbsent(p.sessionId(), k -> new ArrayDeque<>());
    q.add(p);
    if (q.size() == 1) startHead(p);
  }

  /** Requests of one session are served in order; a read waits for the session's earlier writes. */
  private void serveQueues() {
    for (Map.Entry<Long, ArrayDeque<Pending>> e : new ArrayList<>(queues.entrySet())) {
      ArrayDeque<Pending> q = e.getValue();
      while (!q.isEmpty()) {
        Pending head = q.peek();
        if (head.op() instanceof Op.Sync && head.waitZxid() >= 0 && head.waitZxid() <= tree.lastProcessedZxid() && head.waitZxid() != Long.MAX_VALUE) {
          q.poll();
          ctx.send(head.client(), new ClientReply(head.xid(), tree.lastProcessedZxid(), new OpResult.Synced(head.op().path())));
          if (!q.isEmpty()) startHead(q.peek());
          continue;
        }
        break;
      }
    }
  }

  private void startHead(Pending p) {
    ArrayDeque<Pending> q = queues.get(p.sessionId());
    if (p.op() instanceof Op.Sync) {
      q.poll();
      q.addFirst(new Pending(p.client(), p.sessionId(), p.xid(), p.op(), false, Long.MAX_VALUE));
      if (state == ServerState.LEADING) onSyncRequest(ctx.self(), new SyncRequest(p.sessionId(), p.xid()));
      else ctx.send(leaderId, new SyncRequest(p.sessionId(), p.xid()));
      return;
    }
    if (!p.op().isWrite()) {
      q.poll();
      ctx.send(p.client(), new ClientReply(p.xid(), tree.lastProcessedZxid(), tree.read(p.op(), p.sessionId())));
      if (!q.isEmpty()) startHead(q.peek());
      return;
    }
    if (state == ServerState.LEADING) submitAtLeader(p.sessionId(), p.xid(), p.op());
    else ctx.send(leaderId, new Request(p.sessionId(), p.xid(), p.op()));
  }

  private void onForwardedRequest(NodeId from, Request r) {
    if (state != ServerState.LEADING || !lead.broadcast) return; // the follower's client will time out and retry
    LearnerState ls = lead.learners.get(cfg.sidOf(from));
    if (ls != null) ls.lastContactNanos = ctx.localTimeNanos();
    touchAtLeader(r.sessionId());
    submitAtLeader(r.sessionId(), r.cxid(), r.op());
  }

  private void submitAtLeader(long sessionId, int cxid, Op op) {
    if (!lead.broadcast) return;
    if (op instanceof Op.CloseSession && !lead.sessionTracker.startClosing(sessionId)) return;
    if (!(op instanceof Op.CreateSession) && !sessions.containsKey(sessionId) && !(op instanceof Op.CloseSession)) {
      // PrepRequestProcessor's checkSession: the session expired while the request was on its way
      replyFailed(sessionId, cxid, KeeperCode.SESSIONEXPIRED);
      return;
    }
    propose(sessionId, cxid, op);
  }

  private void replyFailed(long sessionId, int cxid, KeeperCode code) {
    ArrayDeque<Pending> q = queues.get(sessionId);
    if (q == null || q.isEmpty() || q.peek().xid() != cxid) return;
    Pending p = q.poll();
    ctx.send(p.client(), new ClientReply(p.xid(), tree.lastProcessedZxid(), OpResult.Failed.of(code)));
  }

  private void onSyncRequest(NodeId from, SyncRequest s) {
    if (state != ServerState.LEADING || !lead.broadcast) return;
    long upTo = lead.lastProposed;
    if (from.equals(ctx.self())) onSyncReply(from, new SyncReply(s.sessionId(), s.cxid(), upTo));
    else ctx.send(from, new SyncReply(s.sessionId(), s.cxid(), upTo));
  }

  private void onSyncReply(NodeId from, SyncReply s) {
    if (!from.equals(ctx.self()) && !fromLeader(from)) return;
    ArrayDeque<Pending> q = queues.get(s.sessionId());
    if (q == null || q.isEmpty() || q.peek().xid() != s.cxid()) return;
    Pending p = q.poll();
    q.addFirst(new Pending(p.client(), p.sessionId(), p.xid(), p.op(), false, s.zxid()));
    serveQueues();
  }

  private void dropClients(String why) {
    for (NodeId client : new TreeSet<>(connections.values())) ctx.send(client, new Refused(why));
    connections.clear();
    queues.clear();
    touched.clear();
  }

  // ==== inspection ============================================================================================

  public ServerState state() {
    return state;
  }

  public boolean isServing() {
    return serving;
  }

  public long myid() {
    return myid;
  }

  public long currentEpoch() {
    return currentEpoch;
  }

  public long acceptedEpoch() {
    return acceptedEpoch;
  }

  public long lastLoggedZxid() {
    return lastLoggedZxid;
  }

  public long lastProcessedZxid() {
    return tree.lastProcessedZxid();
  }

  public DataTree tree() {
    return tree;
  }

  public Map<Long, Integer> sessions() {
    return java.util.Collections.unmodifiableMap(sessions);
  }

  /** The epoch this server leads in broadcast, or -1. */
  public long leadingEpoch() {
    return state == ServerState.LEADING && lead != null && lead.broadcast ? lead.newEpoch : -1;
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder();
    b.append("myid ").append(myid).append(" ").append(state);
    if (state == ServerState.FOLLOWING) b.append(isObserver() ? " as OBSERVER" : "").append(" (leader ").append(leaderId).append(serving ? ", up to date)" : ", syncing)");
    if (state == ServerState.LEADING) b.append(lead.broadcast ? " (broadcast, epoch " + lead.newEpoch + ")" : " (discovery/sync)");
    b.append("\n  acceptedEpoch ").append(acceptedEpoch).append(", currentEpoch ").append(currentEpoch);
    b.append("\n  last logged zxid ").append(Txn.hex(lastLoggedZxid)).append(", last committed (applied) zxid ").append(Txn.hex(tree.lastProcessedZxid()));
    b.append("\n  snapshot at ").append(Txn.hex(snapshotZxid)).append(", ").append(tree.nodeCount()).append(" znodes, digest ").append(Long.toHexString(tree.digest()));
    b.append("\n  sessions ").append(sessions.size());
    for (Map.Entry<Long, Integer> s : sessions.entrySet()) {
      b.append("\n    0x").append(Long.toHexString(s.getKey())).append(" timeout ").append(s.getValue()).append("ms")
          .append(connections.containsKey(s.getKey()) ? " connected here" : "").append(", ephemerals ").append(tree.ephemerals(s.getKey()));
    }
    if (state == ServerState.LOOKING && fle != null) b.append("\n  round ").append(fle.logicalclock).append(", voting for ").append(fle.proposal);
    if (!pendingTxns.isEmpty()) b.append("\n  logged, awaiting COMMIT: ").append(pendingTxns.size());
    if (lead != null && !lead.outstanding.isEmpty()) b.append("\n  outstanding proposals: ").append(lead.outstanding.size());
    return b.toString();
  }
}
