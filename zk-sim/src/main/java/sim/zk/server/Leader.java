package sim.zk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.zk.server.ZkMessage.*;
import sim.zk.server.ZkTimer.*;
import sim.zk.storage.EpochFile;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/**
 * The leading role ({@code Leader} with its {@code LearnerHandler}s), alive for one term: discovery (pick
 * the new epoch once a quorum has connected), synchronization (a DIFF, TRUNC or SNAP per learner, then
 * NEWLEADER), and broadcast (propose, count ACKs, COMMIT in zxid order), plus the session tracker and the
 * syncLimit check that makes a leader without a quorum step down.
 */
final class Leader {
  private final ZkServer self;
  private final NodeContext ctx;
  private final ZkConfig cfg;
  private final ZKDatabase db;
  private final long myid;
  private final long term;
  private long newEpoch;
  private boolean epochChosen;
  private boolean broadcast;
  private long counter;
  private long lastProposed;
  private final TreeMap<Long, LearnerHandler> learners = new TreeMap<>();
  private final TreeMap<Long, TreeSet<Long>> acks = new TreeMap<>();
  private final TreeMap<Long, Txn> outstanding = new TreeMap<>();
  private final SessionTracker sessionTracker = new SessionTracker();
  private final TreeSet<Long> newLeaderAcks = new TreeSet<>();
  private final TreeSet<Long> epochAcks = new TreeSet<>();
  private final SyncRequestProcessor syncProcessor;

  Leader(ZkServer self, long term) {
    this.self = self;
    this.ctx = self.ctx();
    this.cfg = self.cfg();
    this.db = self.db();
    this.myid = self.myid();
    this.term = term;
    this.syncProcessor = new SyncRequestProcessor(ctx, db, term, self.breaks().ackBeforeFsync(), zxid -> countAck(myid, zxid));
  }

  SyncRequestProcessor syncProcessor() {
    return syncProcessor;
  }

  /** {@code Leader.lead}: count myself as a learner, arm initLimit and the tick, wait for a quorum. */
  void lead() {
    LearnerHandler me = new LearnerHandler(myid, self.acceptedEpoch(), db.lastLoggedZxid(), 0);
    learners.put(myid, me);
    ctx.setTimer(new InitDeadline(term), Durations.millis((long) cfg.initLimit() * cfg.tickTimeMs()));
    ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
    maybeChooseEpoch();
  }

  // ==== discovery ==============================================================================================

  void onFollowerInfo(NodeId from, FollowerInfo fi) {
    long sid = cfg.sidOf(from);
    learners.put(sid, new LearnerHandler(sid, fi.acceptedEpoch(), fi.lastZxid(), ctx.localTimeNanos()));
    if (epochChosen) ctx.send(from, new LeaderInfo(newEpoch)); else maybeChooseEpoch();
  }

  /** {@code Leader.getEpochToPropose}: once a quorum has connected, one more than any accepted epoch. */
  private void maybeChooseEpoch() {
    if (self.votes(learners.keySet()) < cfg.quorum()) return;
    long max = 0;
    for (LearnerHandler l : learners.values()) max = Math.max(max, l.acceptedEpoch);
    newEpoch = max + 1;
    epochChosen = true;
    self.persistAcceptedEpoch(newEpoch);
  }

  /** My acceptedEpoch is durable: propose the new epoch to every connected learner. */
  void onAcceptedEpochDurable() {
    ctx.point("zk.zab.discovery", "new epoch " + newEpoch + " proposed to " + (learners.size() - 1) + " followers", "epoch", newEpoch, "learners", learners.size() - 1);
    epochAcks.add(myid);
    for (Map.Entry<Long, LearnerHandler> e : learners.entrySet()) {
      if (e.getKey() != myid) ctx.send(cfg.idOf(e.getKey()), new LeaderInfo(newEpoch));
    }
    maybeEpochQuorum();
  }

  void onAckEpoch(NodeId from, AckEpoch ae) {
    if (!epochChosen) return;
    long sid = cfg.sidOf(from);
    LearnerHandler lh = learners.get(sid);
    if (lh == null) return;
    lh.heardAt(ctx.localTimeNanos());
    lh.lastZxid = ae.lastZxid();
    lh.ackedEpoch = true;
    boolean electionFinished = self.currentEpoch() == newEpoch;
    if (!electionFinished && isMoreRecentThanMe(ae) && !self.breaks().electLowestZxid()) {
      // waitForEpochAck: a follower ahead of the leader means the election went wrong; its handler dies
      dropLearner(from, true, "Follower is ahead of the leader, leader summary: " + self.currentEpoch() + " (current epoch), " + Txn.hex(db.lastLoggedZxid()) + " (last zxid)");
      return;
    }
    epochAcks.add(sid);
    if (self.votes(epochAcks) >= cfg.quorum() && self.currentEpoch() != newEpoch) {
      maybeEpochQuorum();
    } else if (self.currentEpoch() == newEpoch) {
      syncLearner(sid);
    }
  }

  /** {@code StateSummary.isMoreRecentThan}: a higher currentEpoch, or the same and a higher last zxid. */
  private boolean isMoreRecentThanMe(AckEpoch ae) {
    if (ae.currentEpoch() == -1) return false; // it had accepted this epoch already: not checked
    return ae.currentEpoch() > self.currentEpoch() || ae.currentEpoch() == self.currentEpoch() && ae.lastZxid() > db.lastLoggedZxid();
  }

  /**
   * A learner's handler shuts down ({@code LearnerHandler.shutdown}): it is no longer synced, pinged or
   * counted. {@code closeIt} when the leader closes the socket (the learner then goes LOOKING); not when the
   * learner closed it or its process died.
   */
  void dropLearner(NodeId peer, boolean closeIt, String why) {
    long sid = cfg.sidOf(peer);
    if (sid == myid || learners.remove(sid) == null) return;
    ctx.note("dropped " + learnerName(sid) + ": " + why);
    if (closeIt) ctx.send(peer, new Disconnect(why));
  }

  /** {@code Leader.shutdown}: every learner's socket is closed. */
  void closeAll(String why) {
    for (long sid : learners.keySet()) if (sid != myid) ctx.send(cfg.idOf(sid), new Disconnect("leader shut down: " + why));
  }

  private void maybeEpochQuorum() {
    if (self.votes(epochAcks) < cfg.quorum()) return;
    self.persistCurrentEpoch(newEpoch);
  }

  /** A quorum accepted the epoch and my currentEpoch is durable: synchronize them. */
  void onCurrentEpochDurable() {
    counter = 0;
    lastProposed = db.lastLoggedZxid();
    newLeaderAcks.add(myid);
    for (long sid : epochAcks) if (sid != myid) syncLearner(sid);
    maybeEstablished();
  }

  // ==== synchronization ========================================================================================

  /** {@code LearnerHandler.syncFollower}: DIFF, TRUNC or SNAP from the follower's last zxid. */
  private void syncLearner(long sid) {
    LearnerHandler lh = learners.get(sid);
    if (lh == null) return; // its handler was dropped after it acked the epoch
    NodeId to = cfg.idOf(sid);
    long committed = db.lastProcessedZxid();
    SyncPlan plan = SyncPlan.choose(lh.lastZxid, db.committedLog(), committed);
    Object[] attrs = {"learner", sid, "peerZxid", Txn.hex(lh.lastZxid), "committed", Txn.hex(committed), "txns", plan.txns().size()};
    switch (plan.kind()) {
      case DIFF -> {
        ctx.point("zk.sync.diff", learnerName(sid) + " " + plan.why(), attrs);
        ctx.send(to, new Diff(plan.txns()));
      }
      case TRUNC -> {
        ctx.point("zk.sync.trunc", learnerName(sid) + " " + plan.why(), append(attrs, "truncZxid", Txn.hex(plan.truncZxid())));
        ctx.send(to, new Trunc(plan.truncZxid(), plan.txns()));
      }
      case SNAP -> {
        ctx.point("zk.sync.snap", learnerName(sid) + " " + plan.why(), attrs);
        ctx.send(to, new Snap(committed, db.snapshotForLearner()));
      }
    }
    if (!cfg.isObserver(sid)) for (Txn t : outstanding.values()) ctx.send(to, new Proposal(t)); // still in flight
    ctx.send(to, new NewLeader(Txn.makeZxid(newEpoch, 0)));
    lh.synced = true;
  }

  private static Object[] append(Object[] attrs, String key, Object value) {
    Object[] out = java.util.Arrays.copyOf(attrs, attrs.length + 2);
    out[attrs.length] = key;
    out[attrs.length + 1] = value;
    return out;
  }

  private String learnerName(long sid) {
    return (cfg.isObserver(sid) ? "observer " : "follower ") + sid;
  }

  void onInitDeadline() {
    if (!broadcast) self.becomeLooking("no quorum synced within initLimit");
  }

  private void maybeEstablished() {
    if (broadcast || self.votes(newLeaderAcks) < cfg.quorum()) return;
    broadcast = true;
    ctx.point("zk.zab.newleader", "quorum acked NEWLEADER for epoch " + newEpoch + ": broadcast begins", "epoch", newEpoch, "acks", self.votes(newLeaderAcks),
        "lastZxid", Txn.hex(db.lastLoggedZxid()));
    // A quorum has the leader's whole history durably: it is committed in the new epoch.
    self.observer().leaderEstablished(myid, newEpoch, db.committedLog(), db.lastLoggedZxid());
    for (long sid : newLeaderAcks) if (sid != myid) ctx.send(cfg.idOf(sid), new UpToDate());
    sessionTracker.trackAll(db.sessions(), ctx.localTimeNanos());
    self.startServing();
  }

  // ==== broadcast ==============================================================================================

  /** A write from a client of this server or forwarded by a learner ({@code PrepRequestProcessor}). */
  void submit(long sessionId, int cxid, Op op) {
    if (!broadcast) return;
    if (op instanceof Op.CloseSession && !sessionTracker.startClosing(sessionId)) return;
    if (!(op instanceof Op.CreateSession) && !db.hasSession(sessionId) && !(op instanceof Op.CloseSession)) {
      // PrepRequestProcessor's checkSession: the session expired while the request was on its way
      self.clients().replyFailed(sessionId, cxid, KeeperCode.SESSIONEXPIRED);
      return;
    }
    propose(sessionId, cxid, op);
  }

  void onForwardedRequest(NodeId from, Request r) {
    if (!broadcast) return; // the follower's client will time out and retry
    LearnerHandler lh = learners.get(cfg.sidOf(from));
    if (lh != null) lh.heardAt(ctx.localTimeNanos());
    touch(r.sessionId());
    submit(r.sessionId(), r.cxid(), r.op());
  }

  /** Give a write its zxid and send the proposal to every synced follower, then log it. */
  private void propose(long sessionId, int cxid, Op op) {
    long zxid = Txn.makeZxid(newEpoch, ++counter);
    Txn t = new Txn(zxid, sessionId, cxid, ZkServer.WALL_CLOCK_BASE_MS + ctx.localTimeMs(), op);
    outstanding.put(zxid, t);
    acks.put(zxid, new TreeSet<>());
    lastProposed = zxid;
    String z = self.hex(zxid);
    String session = ClientPort.sessionHex(sessionId);
    ctx.point("zk.zab.proposal", z + " " + op.verb() + (op.path() == null ? "" : " " + op.path()) + " from session " + session,
        "zxid", z, "epoch", newEpoch, "counter", counter, "op", op.verb(), "path", op.path() == null ? "" : op.path(), "session", session, "cxid", cxid);
    Proposal proposal = new Proposal(t);
    for (Map.Entry<Long, LearnerHandler> e : learners.entrySet()) {
      if (e.getKey() != myid && e.getValue().synced && !cfg.isObserver(e.getKey())) ctx.send(cfg.idOf(e.getKey()), proposal);
    }
    syncProcessor.log(t); // AckRequestProcessor: my own ACK, once the log write is durable
  }

  void onAck(NodeId from, Ack a) {
    long sid = cfg.sidOf(from);
    LearnerHandler lh = learners.get(sid);
    if (lh == null) return;
    lh.heardAt(ctx.localTimeNanos());
    if (Txn.counterOf(a.zxid()) == 0 && Txn.epochOf(a.zxid()) == newEpoch) {
      lh.ackedNewLeader = true;
      newLeaderAcks.add(sid);
      if (broadcast) ctx.send(from, new UpToDate()); else maybeEstablished();
      return;
    }
    countAck(sid, a.zxid());
  }

  /** A follower logs in zxid order, so its ACK of {@code zxid} also vouches for every earlier proposal. */
  private void countAck(long sid, long zxid) {
    if (cfg.isObserver(sid)) return; // observers do not ACK proposals; if one did, it would not count
    for (TreeSet<Long> set : acks.headMap(zxid, true).values()) set.add(sid);
    tryToCommit();
  }

  /** {@code Leader.tryToCommit}: commit in zxid order, each once a quorum has it durably logged. */
  private void tryToCommit() {
    while (!outstanding.isEmpty()) {
      long zxid = outstanding.firstKey();
      int acked = self.votes(acks.get(zxid));
      if (acked < (self.breaks().commitWithoutQuorum() ? 1 : cfg.quorum())) return;
      Txn t = outstanding.remove(zxid);
      acks.remove(zxid);
      String z = self.hex(zxid);
      ctx.point("zk.zab.commit", z + " acked by " + acked + " of " + cfg.voters() + " voters: COMMIT", "zxid", z,
          "epoch", Txn.epochOf(zxid), "counter", Txn.counterOf(zxid), "acks", acked, "quorum", cfg.quorum());
      self.observer().committed(t);
      for (Map.Entry<Long, LearnerHandler> e : learners.entrySet()) {
        if (e.getKey() == myid || !e.getValue().synced) continue;
        ctx.send(cfg.idOf(e.getKey()), cfg.isObserver(e.getKey()) ? new Inform(t) : new Commit(zxid));
      }
      self.applyCommitted(t);
    }
  }

  /** The session tracker follows what the committed txns do to sessions. */
  void applied(Txn t) {
    if (t.op() instanceof Op.CreateSession cs) sessionTracker.add(t.sessionId(), cs.timeoutMs(), ctx.localTimeNanos());
    if (t.op() instanceof Op.CloseSession) sessionTracker.removed(t.sessionId());
  }

  // ==== sync (the client's "sync" call) ========================================================================

  void onSyncRequest(NodeId from, SyncRequest s) {
    if (!broadcast) return;
    long upTo = lastProposed;
    if (from.equals(ctx.self())) self.clients().onSyncReply(new SyncReply(s.sessionId(), s.cxid(), upTo));
    else ctx.send(from, new SyncReply(s.sessionId(), s.cxid(), upTo));
  }

  // ==== ticks: pings, the syncLimit check, session expiry =====================================================

  /** Half a tick has passed; false if the leader stepped down. */
  boolean tick() {
    if (!broadcast) return true;
    long now = ctx.localTimeNanos();
    long syncLimitNanos = Durations.millis((long) cfg.syncLimit() * cfg.tickTimeMs());
    int live = 1;
    for (Map.Entry<Long, LearnerHandler> e : learners.entrySet()) {
      if (e.getKey() == myid || !e.getValue().ackedNewLeader) continue;
      ctx.send(cfg.idOf(e.getKey()), new Ping(List.of()));
      if (now - e.getValue().lastContactNanos <= syncLimitNanos && !cfg.isObserver(e.getKey())) live++;
    }
    if (live < cfg.quorum()) {
      self.becomeLooking("leader lost quorum: only " + live + " of " + cfg.voters() + " voters in touch within syncLimit");
      return false;
    }
    expireSessions(now);
    return true;
  }

  void onPing(NodeId from, Ping p) {
    LearnerHandler lh = learners.get(cfg.sidOf(from));
    if (lh == null) return;
    lh.heardAt(ctx.localTimeNanos());
    for (long s : p.touchedSessions()) touch(s);
  }

  /** {@code SessionTrackerImpl}: sessions whose deadline passed are closed by a closeSession txn. */
  private void expireSessions(long now) {
    for (long s : sessionTracker.expired(now)) {
      int ephemerals = db.tree().ephemerals(s).size();
      ctx.point("zk.session.expire", "session 0x" + Long.toHexString(s) + " expired (timeout " + db.sessionTimeoutMs(s) + "ms): closeSession removes " + ephemerals + " ephemerals",
          "session", ClientPort.sessionHex(s), "timeoutMs", db.sessionTimeoutMs(s), "ephemerals", ephemerals);
      propose(s, 0, new Op.CloseSession());
    }
  }

  void touch(long sessionId) {
    sessionTracker.touch(sessionId, ctx.localTimeNanos());
  }

  // ==== inspection =============================================================================================

  /** The epoch this leader leads in broadcast, or -1 before it is established. */
  long broadcastEpoch() {
    return broadcast ? newEpoch : -1;
  }

  String describe() {
    String s = broadcast ? " (broadcast, epoch " + newEpoch + ")" : " (discovery/sync)";
    return outstanding.isEmpty() ? s : s + "\n  outstanding proposals: " + outstanding.size();
  }
}
