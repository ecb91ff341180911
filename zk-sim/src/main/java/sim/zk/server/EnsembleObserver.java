package sim.zk.server;

import java.util.Map;
import java.util.TreeMap;
import sim.zk.tree.Txn;

/**
 * The checkers' view of an ensemble, fed by the servers as they lead, commit and apply. It is not part of
 * any server's state (a crash does not touch it); it records what ZAB promises and reports the first breach.
 */
public final class EnsembleObserver {
  private final TreeMap<Long, Long> leaderOfEpoch = new TreeMap<>();
  private final TreeMap<Long, Long> establishedAtNanos = new TreeMap<>();
  /** Every committed txn by zxid, with when and in which epoch (one map: this is on every commit). */
  private final TreeMap<Long, Commit> committed = new TreeMap<>();
  private final java.util.function.LongSupplier clock;
  private String violation;
  private static final int TREES_KEPT = 100_000;
  /** zxid → server and digest of the first server that applied it, the newest {@link #TREES_KEPT} only. */
  private final ZxidDigests treeAt = new ZxidDigests(TREES_KEPT);
  private String treeViolation;
  private long commits;

  /**
   * A committed txn, when it was committed, and the epoch whose leader committed it (by a quorum of ACKs,
   * or by establishing with it).
   */
  private record Commit(Txn txn, long atNanos, long epoch) {}

  public EnsembleObserver(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  /** The newest zxid committed at or before {@code atNanos}, or 0. */
  public long committedBy(long atNanos) {
    long z = 0;
    for (Commit c : committed.values()) if (c.atNanos() <= atNanos) z = Math.max(z, c.txn().zxid());
    return z;
  }

  /**
   * A leader finished synchronization in {@code epoch} with {@code history} (everything it logged): ZAB's
   * integrity says it has every txn committed in an earlier epoch, and what it now commits with its history
   * no leader of a later epoch may lack. (A txn committed in a later epoch need not be here: a slow
   * leader of an older epoch can finish its synchronization after a newer epoch began, and can then commit
   * nothing new, its followers having moved on.)
   */
  public void leaderEstablished(long sid, long epoch, Map<Long, Txn> history, long lastLoggedZxid) {
    Long other = leaderOfEpoch.putIfAbsent(epoch, sid);
    establishedAtNanos.putIfAbsent(epoch, clock.getAsLong());
    if (other != null && other != sid) fail("two leaders in epoch " + epoch + ": " + other + " and " + sid);
    long oldestInMemory = history.isEmpty() ? lastLoggedZxid + 1 : ((java.util.TreeMap<Long, Txn>) history).firstKey();
    for (Map.Entry<Long, Commit> c : committed.entrySet()) {
      if (c.getValue().epoch() >= epoch) continue; // committed in this epoch or a later one
      if (c.getKey() < oldestInMemory && c.getKey() <= lastLoggedZxid) continue; // in its snapshot; the tree digests cover it
      Txn mine = history.get(c.getKey());
      if (mine == null) {
        fail("committed txn " + Txn.hex(c.getKey()) + " is missing from the history of new leader " + sid + " (epoch " + epoch + ")");
      } else if (!same(mine, c.getValue().txn())) {
        fail("new leader " + sid + " has " + mine + " where " + c.getValue().txn() + " was committed");
      }
    }
    Long later = leaderOfEpoch.higherKey(epoch);
    for (Txn t : history.values()) {
      if (later != null && !committed.containsKey(t.zxid())) fail("epoch " + epoch + " commits " + t + " which the leader of the later epoch " + later + " lacked");
      committed(t, epoch);
    }
  }

  /** A txn was committed by a quorum of ACKs in its own epoch. */
  public void committed(Txn t) {
    committed(t, Txn.epochOf(t.zxid()));
  }

  private void committed(Txn t, long epoch) {
    Commit before = committed.putIfAbsent(t.zxid(), new Commit(t, clock.getAsLong(), epoch));
    if (before == null) commits++;
    else if (!same(before.txn(), t)) fail("zxid " + Txn.hex(t.zxid()) + " committed as " + before.txn() + " and as " + t);
  }

  /** A server applied a txn it was told is committed (COMMIT, DIFF, its own commit). */
  public void appliedCommitted(long sid, Txn t) {
    Commit commit = committed.get(t.zxid());
    Txn c = commit == null ? null : commit.txn();
    if (c == null) fail("server " + sid + " applied " + t + " that no leader committed");
    else if (!same(c, t)) fail("server " + sid + " applied " + t + " but " + c + " was committed at that zxid");
  }

  /**
   * A server's tree right after applying committed {@code zxid}: every server that applies it must then
   * hold the same tree (the digest covers path, data and Stat of every node). Kept for the newest zxids.
   */
  public void treeAfter(long sid, long zxid, long digest) {
    int first = treeAt.putIfAbsent(zxid, sid, digest);
    if (first >= 0 && treeAt.digestAt(first) != digest && treeViolation == null) {
      treeViolation = "servers " + treeAt.sidAt(first) + " and " + sid + " are both at " + Txn.hex(zxid) + " with different trees";
    }
  }

  /** Null while servers that applied the same committed zxid hold the same tree. */
  public String treeViolation() {
    return treeViolation;
  }

  private static boolean same(Txn a, Txn b) {
    return a.zxid() == b.zxid() && a.sessionId() == b.sessionId() && a.cxid() == b.cxid() && a.op().equals(b.op());
  }

  private void fail(String what) {
    if (violation == null) violation = what;
  }

  /** Null while every promise holds. */
  public String violation() {
    return violation;
  }

  public long commitCount() {
    return commits;
  }

  /** The txn committed at {@code zxid}, or null. */
  public Txn committedAt(long zxid) {
    Commit c = committed.get(zxid);
    return c == null ? null : c.txn();
  }

  public boolean isCommitted(long zxid) {
    return committed.containsKey(zxid);
  }

  public java.util.NavigableMap<Long, Long> leaders() {
    return leaderOfEpoch;
  }

  /** When each epoch's leader was established (a quorum ACKed its NEWLEADER), by epoch. */
  public java.util.NavigableMap<Long, Long> establishedAtNanos() {
    return establishedAtNanos;
  }
}
