package sim.zk.server;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.zk.storage.SnapshotStore;
import sim.zk.storage.TxnLog;
import sim.zk.tree.DataTree;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/**
 * A server's durable state and its in-memory image ({@code ZKDatabase} over {@code FileTxnSnapLog}): the
 * txn log and snapshots on disk, the data tree and session table they rebuild, and the committed log the
 * leader DIFFs from. Logging ({@link #append}) and applying ({@link #apply}) are separate steps, as in
 * ZooKeeper: a txn is logged when proposed, applied when committed.
 */
final class ZKDatabase {
  private final NodeContext ctx;
  private final ZkConfig cfg;
  private final TxnLog log;
  private final SnapshotStore snaps;
  private DataTree tree;
  private TreeMap<Long, Integer> sessions;
  /** Logged txns by zxid, the latest commitLogCount of which serve DIFF ({@code committedLog}). */
  private TreeMap<Long, Txn> committedLog;
  private long lastLoggedZxid;
  private long snapshotZxid;
  private int txnsSinceSnapshot;

  ZKDatabase(NodeContext ctx, ZkConfig cfg) {
    this.ctx = ctx;
    this.cfg = cfg;
    this.log = new TxnLog(ctx.disk());
    this.snaps = new SnapshotStore(ctx.disk());
  }

  /** {@code ZKDatabase.loadDataBase}: newest valid snapshot, then every logged txn after it. */
  void load() {
    SnapshotStore.Snapshot s = snaps.loadNewest();
    tree = s == null ? new DataTree() : s.tree();
    sessions = s == null ? new TreeMap<>() : new TreeMap<>(s.sessions());
    snapshotZxid = s == null ? 0 : s.zxid();
    committedLog = new TreeMap<>();
    TxnLog.Recovered r = log.recover();
    if (r.truncatedTail() != null) ctx.note("txn log tail cut off at " + r.truncatedTail());
    for (Txn t : r.txns()) {
      if (t.zxid() <= tree.lastProcessedZxid()) continue;
      committedLog.put(t.zxid(), t);
      apply(t);
    }
    lastLoggedZxid = tree.lastProcessedZxid();
    txnsSinceSnapshot = committedLog.size();
    trimCommittedLog();
  }

  /** Appends {@code t} to the txn log (the page cache: durable once {@link #fsyncTarget} is fsynced). */
  void append(Txn t) {
    log.append(t);
    committedLog.put(t.zxid(), t);
    lastLoggedZxid = Math.max(lastLoggedZxid, t.zxid());
    trimCommittedLog();
  }

  /** The file an fsync must cover before the appended txns may be acknowledged. */
  String fsyncTarget() {
    return log.fsyncTarget();
  }

  private void trimCommittedLog() {
    while (committedLog.size() > cfg.commitLogCount()) committedLog.pollFirstEntry();
  }

  /** Applies a committed txn to the tree and the session table. */
  DataTree.Applied apply(Txn t) {
    DataTree.Applied a = tree.apply(t);
    if (t.op() instanceof Op.CreateSession cs) sessions.put(t.sessionId(), cs.timeoutMs());
    if (t.op() instanceof Op.CloseSession) sessions.remove(t.sessionId());
    return a;
  }

  /** Counts a committed txn toward the next snapshot, taken every {@code snapCount} txns. */
  void countTowardSnapshot() {
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

  /**
   * TRUNC: drop every logged txn after {@code zxid} (and snapshots past it), then reload from disk. Returns
   * the log files cut, which the sync must make durable before it ACKs.
   */
  List<String> truncateAfter(long zxid) {
    List<String> cut = log.truncateAfter(zxid);
    snaps.deleteAfter(zxid);
    load();
    return cut;
  }

  /**
   * SNAP ({@code ZKDatabase.deserializeSnapshot}): the leader's state replaces the one in memory; the disk
   * keeps the old one until {@link #persistSnapshot} (at NEWLEADER), so a crash before that loses nothing.
   */
  void deserializeSnapshot(SnapshotStore.Snapshot s) {
    tree = DataTree.fromSnapshot(s.tree().snapshotNodes(), s.zxid());
    sessions = new TreeMap<>(s.sessions());
    committedLog = new TreeMap<>();
    lastLoggedZxid = s.zxid();
    txnsSinceSnapshot = 0;
  }

  /** {@code takeSnapshot(syncSnapshot)} after a SNAP, first half: the state under a temp name, to be made durable. */
  String writeSnapshotTemp() {
    return snaps.writeTemp(tree.lastProcessedZxid(), tree, sessions);
  }

  /** Second half, once the temp file is durable: it becomes the only snapshot, and the old logs go. */
  void installSnapshot() {
    snapshotZxid = tree.lastProcessedZxid();
    snaps.install(snapshotZxid);
    snaps.deleteAllBut(snapshotZxid);
    log.clear();
  }

  /** A copy of the committed state, for a SNAP to a learner. */
  SnapshotStore.Snapshot snapshotForLearner() {
    long committed = tree.lastProcessedZxid();
    return new SnapshotStore.Snapshot(committed, DataTree.fromSnapshot(tree.snapshotNodes(), committed), new TreeMap<>(sessions));
  }

  DataTree tree() {
    return tree;
  }

  Map<Long, Integer> sessions() {
    return sessions;
  }

  boolean hasSession(long sessionId) {
    return sessions.containsKey(sessionId);
  }

  int sessionTimeoutMs(long sessionId) {
    return sessions.getOrDefault(sessionId, 0);
  }

  NavigableMap<Long, Txn> committedLog() {
    return committedLog;
  }

  long lastLoggedZxid() {
    return lastLoggedZxid;
  }

  long lastProcessedZxid() {
    return tree.lastProcessedZxid();
  }

  long snapshotZxid() {
    return snapshotZxid;
  }
}
