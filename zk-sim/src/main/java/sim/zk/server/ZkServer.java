package sim.zk.server;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
import sim.zk.tree.DataTree;
import sim.zk.tree.Txn;

/**
 * One ZooKeeper server ({@code QuorumPeer}): fast leader election while LOOKING, then a {@link Leader} or
 * {@link Follower} role for one term, over its {@link ZKDatabase}, with the {@link ClientPort} serving
 * clients once the server is up to date. This class dispatches messages and timers to them and owns the
 * named transitions: {@link #becomeLooking}, {@link #startLeading}, {@link #startFollowing}.
 */
public final class ZkServer implements Node {
  private static final int HEX_CACHED = 64; // more than the writes in flight at once on one server
  private final long[] hexZxids = new long[HEX_CACHED];
  private final String[] hexes = new String[HEX_CACHED];
  /** Simulated time 0 reads as this wall-clock instant (2023-11-14T22:13:20Z) in ctime/mtime. */
  public static final long WALL_CLOCK_BASE_MS = 1_700_000_000_000L;
  private final ZkConfig cfg;
  private final EnsembleObserver observer;
  private long myid;
  private NodeContext ctx;
  private ZKDatabase db;
  private ClientPort clients;
  private RuleBreaks breaks;
  // ---- QuorumPeer's durable epochs: acceptedEpoch (discovery) and currentEpoch (after NEWLEADER) ----
  private long acceptedEpoch;
  private long currentEpoch;
  // ---- role ----
  private ServerState state = ServerState.LOOKING;
  /** Bumped on every transition; timers of an earlier term are stale. */
  private long term;
  private FastLeaderElection fle;
  private int notificationIntervalMs;
  private boolean serving;
  private Leader leader;
  private Follower follower;

  public ZkServer(ZkConfig cfg, EnsembleObserver observer) {
    this.cfg = cfg;
    this.observer = observer;
  }

  // ==== lifecycle ============================================================================================

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    this.myid = cfg.sidOf(ctx.self());
    this.breaks = RuleBreaks.of(ctx);
    this.db = new ZKDatabase(ctx, cfg);
    this.clients = new ClientPort(this);
    try {
      loadFromDisk();
    } catch (SimIOException e) {
      failStop(e);
      return;
    }
    ctx.setTimer(new Boot(), 0);
  }

  /** The epochs, then the database ({@code QuorumPeer.loadDataBase}). */
  private void loadFromDisk() {
    acceptedEpoch = EpochFile.read(ctx.disk(), "acceptedEpoch");
    currentEpoch = EpochFile.read(ctx.disk(), "currentEpoch");
    db.load();
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
    else if (m instanceof Connect c) clients.onConnect(from, c);
    else if (m instanceof ClientRequest r) clients.onClientRequest(from, r);
    else if (m instanceof ClientPing p) clients.onClientPing(from, p);
    else if (m instanceof SetWatches w) clients.onSetWatches(from, w);
    else if (m instanceof ClientClose c) clients.onClientClose(from, c);
    else if (m instanceof SyncReply s) onSyncReply(from, s);
    else if (leader != null) toLeader(from, m);
    else if (m instanceof FollowerInfo) ctx.send(from, new Disconnect(NOT_LEADING)); // no one listens on the quorum port
    else if (follower != null) toFollower(from, m);
  }

  /** What a learner hears when it connects to a server that is not leading: connection refused. */
  static final String NOT_LEADING = "connection refused: not leading";

  private void toLeader(NodeId from, Message m) {
    if (m instanceof FollowerInfo fi) leader.onFollowerInfo(from, fi);
    else if (m instanceof AckEpoch ae) leader.onAckEpoch(from, ae);
    else if (m instanceof Ack a) leader.onAck(from, a);
    else if (m instanceof Request r) leader.onForwardedRequest(from, r);
    else if (m instanceof SyncRequest s) leader.onSyncRequest(from, s);
    else if (m instanceof Ping p) leader.onPing(from, p);
    else if (m instanceof Disconnect) leader.dropLearner(from, false, "it closed the connection");
  }

  private void toFollower(NodeId from, Message m) {
    if (m instanceof LeaderInfo li) follower.onLeaderInfo(from, li);
    else if (m instanceof Diff d) follower.onDiff(from, d);
    else if (m instanceof Trunc t) follower.onTrunc(from, t);
    else if (m instanceof Snap s) follower.onSnap(from, s);
    else if (m instanceof NewLeader nl) follower.onNewLeader(from, nl);
    else if (m instanceof UpToDate) follower.onUpToDate(from);
    else if (m instanceof Proposal p) follower.onProposal(from, p);
    else if (m instanceof Commit c) follower.onCommit(from, c);
    else if (m instanceof Inform i) follower.onInform(from, i);
    else if (m instanceof Ping) follower.onPing(from);
    else if (m instanceof Disconnect d) follower.onDisconnect(from, d);
  }

  /**
   * A peer's process died and its connection to me was reset (TCP RST): a follower whose leader died goes
   * LOOKING at once, a leader drops the learner's handler, and a client's connection is closed (its session
   * stays until the leader's session tracker expires it). Partitions and pauses send nothing: there
   * ZooKeeper waits for syncLimit or the session timeout.
   */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (fle == null) return;
    if (cfg.sidOf(peer) < 0) {
      clients.onClientGone(peer);
    } else if (follower != null && peer.equals(follower.leaderId())) {
      becomeLooking("connection to leader " + peer + " reset: its process died", peer);
    } else if (leader != null) {
      leader.dropLearner(peer, false, "its connection was reset: its process died");
    }
  }

  private void dispatchTimer(Timer t) {
    if (t instanceof Boot) becomeLooking("start");
    else if (t instanceof ElectionRetry r) onElectionRetry(r);
    else if (t instanceof FinalizeWait f) onFinalizeWait(f);
    else if (t instanceof Tick k && k.term() == term) onTick();
    else if (t instanceof Logged l && l.term() == term) onLogged();
    else if (t instanceof AcceptedEpochDurable a && a.term() == term) onAcceptedEpochDurable(a.epoch());
    else if (t instanceof CurrentEpochDurable c && c.term() == term) onCurrentEpochDurable(c.epoch());
    else if (t instanceof SyncLogged l && l.term() == term && follower != null) follower.onSyncLogged();
    else if (t instanceof SnapshotDurable d && d.term() == term && follower != null) follower.onSnapshotDurable();
    else if (t instanceof ConnectRetry r && r.term() == term && follower != null) follower.onConnectRetry(r.tries());
    else if (t instanceof InitDeadline d && d.term() == term) onInitDeadline();
  }

  private void onTick() {
    boolean stillInRole = leader != null ? leader.tick() : follower == null || follower.tick();
    if (stillInRole) ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
  }

  private void onLogged() {
    if (follower != null) follower.syncProcessor().onFlushed();
    else if (leader != null) leader.syncProcessor().onFlushed();
  }

  private void onAcceptedEpochDurable(long epoch) {
    EpochFile.install(ctx.disk(), "acceptedEpoch");
    acceptedEpoch = epoch;
    if (leader != null) leader.onAcceptedEpochDurable();
    else if (follower != null) follower.onAcceptedEpochDurable();
  }

  private void onCurrentEpochDurable(long epoch) {
    EpochFile.install(ctx.disk(), "currentEpoch");
    currentEpoch = epoch;
    if (leader != null) leader.onCurrentEpochDurable();
    else if (follower != null) follower.onCurrentEpochDurable();
  }

  private void onInitDeadline() {
    if (leader != null) leader.onInitDeadline();
    else if (follower != null) follower.onInitDeadline();
  }

  private void onSyncReply(NodeId from, SyncReply s) {
    if (!from.equals(ctx.self()) && (follower == null || !follower.fromLeader(from))) return;
    clients.onSyncReply(s);
  }

  // ==== transitions ===========================================================================================

  /** Back to LOOKING: close the clients, drop the role, reload the database from disk, vote for myself. */
  void becomeLooking(String why) {
    becomeLooking(why, null);
  }

  /** As {@link #becomeLooking(String)}; {@code deadPeer}'s connection was reset, so nothing is sent to it. */
  private void becomeLooking(String why, NodeId deadPeer) {
    if (state != ServerState.LOOKING || term > 0) ctx.note("LOOKING: " + why);
    clients.dropAll("server is LOOKING (" + why + ")");
    // Leader.shutdown closes every learner's socket; a follower closes its socket to the leader
    if (leader != null) leader.closeAll(why);
    if (follower != null && !follower.leaderId().equals(deadPeer)) ctx.send(follower.leaderId(), new Disconnect(why));
    state = ServerState.LOOKING;
    term++;
    serving = false;
    leader = null;
    follower = null;
    if (fle == null) fle = new FastLeaderElection(myid, cfg.quorum(), sid -> !cfg.isObserver(sid), breaks.electLowestZxid()); // booting: loaded in start
    else loadFromDisk(); // the database is cleared and reloaded from disk, as ZooKeeperServer.shutdown does
    fle.start(db.lastLoggedZxid(), currentEpoch);
    notificationIntervalMs = cfg.finalizeWaitMs();
    ctx.point("zk.fle.vote", "round " + fle.logicalclock + ": vote for myself (" + myid + ", zxid " + Txn.hex(db.lastLoggedZxid()) + ", epoch " + currentEpoch + ")",
        voteAttributes());
    broadcastVote();
    // sendNotifications includes myself: alone in the ensemble, my own vote is a quorum
    if (cfg.quorum() == 1) ctx.setTimer(new FinalizeWait(fle.logicalclock, fle.proposalVersion), Durations.millis(cfg.finalizeWaitMs()));
    ctx.setTimer(new ElectionRetry(term), Durations.millis(notificationIntervalMs));
  }

  /** The election chose me: {@code QuorumPeer} runs {@code Leader.lead}. */
  private void startLeading() {
    state = ServerState.LEADING;
    leader = new Leader(this, term);
    leader.lead();
  }

  /** The election chose {@code leaderId}: {@code QuorumPeer} runs {@code Follower.followLeader}. */
  private void startFollowing(NodeId leaderId) {
    state = ServerState.FOLLOWING;
    follower = new Follower(this, term, leaderId);
    follower.followLeader();
  }

  /** Synced with a quorum (leader) or told UPTODATE (follower): clients may connect. */
  void startServing() {
    serving = true;
  }

  // ==== fast leader election ===================================================================================

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
    if (follower != null && from.equals(follower.leaderId()) && n.state() == ServerState.LOOKING
        && (serving || n.electionEpoch() < fle.logicalclock)) {
      // Our established leader is electing again (it restarted or stepped down): the connection is gone.
      // (A leader still finishing the election that chose it is LOOKING in the same round: not this.)
      becomeLooking("leader " + follower.leaderId() + " is LOOKING");
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
    FastLeaderElection.Step step = fle.onNotification(n, db.lastLoggedZxid(), currentEpoch);
    if (fle.proposalVersion != before) {
      ctx.point("zk.fle.vote", "round " + fle.logicalclock + ": now vote for " + fle.proposal.leader() + " (zxid " + Txn.hex(fle.proposal.zxid()) + ", epoch " + fle.proposal.peerEpoch() + ") after " + n,
          voteAttributes());
      broadcastVote();
    }
    if (step == FastLeaderElection.Step.DECIDED) {
      concludeElection();
    } else if (step == FastLeaderElection.Step.QUORUM || step == FastLeaderElection.Step.BROADCAST && fle.proposalVersion != before) {
      ctx.setTimer(new FinalizeWait(fle.logicalclock, fle.proposalVersion), Durations.millis(cfg.finalizeWaitMs()));
    }
  }

  private Object[] voteAttributes() {
    return new Object[] {"round", fle.logicalclock, "leader", fle.proposal.leader(), "zxid", Txn.hex(fle.proposal.zxid()), "epoch", fle.proposal.peerEpoch()};
  }

  /** What a server that follows or leads tells a LOOKING peer. */
  private Notification decidedVote() {
    long leaderSid = state == ServerState.LEADING ? myid : cfg.sidOf(follower.leaderId());
    return new Notification(leaderSid, db.lastLoggedZxid(), fle.logicalclock, currentEpoch, state, myid);
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
    long elected = fle.decidedLeader;
    ctx.point("zk.fle.elected", "round " + fle.logicalclock + ": leader is " + elected + (elected == myid ? " (me)" : ""),
        "round", fle.logicalclock, "leader", elected);
    term++;
    if (elected == myid) startLeading(); else startFollowing(cfg.idOf(elected));
  }

  // ==== what the roles and the client port share ===============================================================

  /** {@code FinalRequestProcessor}: apply a committed txn, tell the session tracker and the clients. */
  void applyCommitted(Txn t) {
    DataTree.Applied a = db.apply(t);
    observer.appliedCommitted(myid, t);
    observer.treeAfter(myid, t.zxid(), db.tree().digest());
    if (leader != null) leader.applied(t);
    clients.applied(t, a);
    db.countTowardSnapshot();
  }

  /** A client's write: proposed here when leading, else forwarded to the leader ({@code Learner.request}). */
  void forwardWrite(long sessionId, int cxid, sim.zk.tree.Op op) {
    if (leader != null) leader.submit(sessionId, cxid, op);
    else ctx.send(follower.leaderId(), new Request(sessionId, cxid, op));
  }

  /** A client's sync goes through the leader, which answers with the last zxid it proposed. */
  void forwardSync(SyncRequest s) {
    if (leader != null) leader.onSyncRequest(ctx.self(), s);
    else ctx.send(follower.leaderId(), s);
  }

  /** A session was heard from: the leader's tracker extends it, a follower reports it in its next ping. */
  void touch(long sessionId) {
    if (leader != null) leader.touch(sessionId);
    else if (follower != null) follower.touch(sessionId);
  }

  /**
   * {@code QuorumPeer.setAcceptedEpoch}: written to a temp file and made durable through the kernel's door
   * while the peer's thread waits ({@code writeLongToFile}), then renamed; the role continues in
   * {@code onAcceptedEpochDurable}.
   */
  void persistAcceptedEpoch(long epoch) {
    String tmp = EpochFile.writeTemp(ctx.disk(), "acceptedEpoch", epoch);
    ctx.fsyncBlocking(List.of(tmp), new AcceptedEpochDurable(term, epoch));
  }

  /** {@code QuorumPeer.setCurrentEpoch}, the same way; the role continues in {@code onCurrentEpochDurable}. */
  void persistCurrentEpoch(long epoch) {
    String tmp = EpochFile.writeTemp(ctx.disk(), "currentEpoch", epoch);
    ctx.fsyncBlocking(List.of(tmp), new CurrentEpochDurable(term, epoch));
  }

  RuleBreaks breaks() {
    return breaks;
  }

  /**
   * {@link Txn#hex} through a small cache: a write's zxid is narrated several times on one server (proposal
   * and commit on the leader, ACK and reply on a follower), and one string object also hashes once in the trace.
   */
  String hex(long zxid) {
    int i = (int) zxid & (HEX_CACHED - 1);
    if (hexes[i] == null || hexZxids[i] != zxid) {
      hexZxids[i] = zxid;
      hexes[i] = Txn.hex(zxid);
    }
    return hexes[i];
  }

  /** How many of {@code sids} are voting servers: only they make a quorum. */
  int votes(Collection<Long> sids) {
    int n = 0;
    for (long sid : sids) if (!cfg.isObserver(sid)) n++;
    return n;
  }

  NodeContext ctx() {
    return ctx;
  }

  ZkConfig cfg() {
    return cfg;
  }

  ZKDatabase db() {
    return db;
  }

  ClientPort clients() {
    return clients;
  }

  EnsembleObserver observer() {
    return observer;
  }

  private boolean isObserver() {
    return cfg.isObserver(myid);
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
    return db.lastLoggedZxid();
  }

  public long lastProcessedZxid() {
    return db.lastProcessedZxid();
  }

  public DataTree tree() {
    return db.tree();
  }

  public Map<Long, Integer> sessions() {
    return Collections.unmodifiableMap(db.sessions());
  }

  /** The epoch this server leads in broadcast, or -1. */
  public long leadingEpoch() {
    return leader == null ? -1 : leader.broadcastEpoch();
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder();
    b.append("myid ").append(myid).append(" ").append(state);
    if (follower != null) b.append(follower.describe());
    if (leader != null) b.append(leader.describe());
    b.append("\n  acceptedEpoch ").append(acceptedEpoch).append(", currentEpoch ").append(currentEpoch);
    b.append("\n  last logged zxid ").append(Txn.hex(db.lastLoggedZxid())).append(", last committed (applied) zxid ").append(Txn.hex(db.lastProcessedZxid()));
    DataTree tree = db.tree();
    b.append("\n  snapshot at ").append(Txn.hex(db.snapshotZxid())).append(", ").append(tree.nodeCount()).append(" znodes, digest ").append(Long.toHexString(tree.digest()));
    b.append("\n  sessions ").append(db.sessions().size());
    for (Map.Entry<Long, Integer> s : db.sessions().entrySet()) {
      b.append("\n    0x").append(Long.toHexString(s.getKey())).append(" timeout ").append(s.getValue()).append("ms")
          .append(clients.isConnectedHere(s.getKey()) ? " connected here" : "").append(", ephemerals ").append(tree.ephemerals(s.getKey()));
    }
    if (state == ServerState.LOOKING && fle != null) b.append("\n  round ").append(fle.logicalclock).append(", voting for ").append(fle.proposal);
    return b.toString();
  }
}
