package sim.postgres.mvcc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The commit log (pg_xact) plus the proc array: which xids are running, committed or aborted, the next
 * xid to assign and latestCompletedXid. Xids nobody recorded (before a crash) count as aborted, as after
 * PostgreSQL's recovery.
 */
public final class Clog {
  public enum Status { IN_PROGRESS, COMMITTED, ABORTED }

  private final Map<Integer, Status> status = new HashMap<>();
  private final TreeSet<Long> running = new TreeSet<>();
  private int nextXid = Xids.FIRST_NORMAL;
  private int latestCompletedXid = Xids.FIRST_NORMAL - 1;
  private long commitSeq;
  /** pg_subtrans: a subtransaction xid's parent (another subtransaction, or the top level). */
  private final Map<Integer, Integer> parentOf = new HashMap<>();
  /** PGPROC's subxid cache: how many subtransaction xids each running top-level xid has handed out. */
  private final Map<Integer, Integer> subxidsOf = new HashMap<>();
  private long subtransLookups;

  /** PGPROC_MAX_CACHED_SUBXIDS: beyond this many, a backend's snapshot entry "overflows". */
  public static final int MAX_CACHED_SUBXIDS = 64;

  public int assign() {
    int xid = nextXid;
    nextXid = Xids.advance(nextXid);
    status.put(xid, Status.IN_PROGRESS);
    running.add(Integer.toUnsignedLong(xid));
    return xid;
  }

  /** A subtransaction's xid, with its parent recorded in pg_subtrans. */
  public int assignSubxact(int parent, int top) {
    int xid = assign();
    parentOf.put(xid, parent);
    subxidsOf.merge(top, 1, Integer::sum);
    return xid;
  }

  /** SubTransGetTopmostTransaction: follows pg_subtrans up to the top-level xid (each call reads the SLRU). */
  public int topmost(int xid) {
    subtransLookups++;
    Integer p = parentOf.get(xid);
    while (p != null) {
      xid = p;
      p = parentOf.get(xid);
    }
    return xid;
  }

  /** pg_subtrans lookups made so far: what an overflowed snapshot costs every reader. */
  public long subtransLookups() {
    return subtransLookups;
  }

  public void setNextXid(int xid) {
    nextXid = xid;
    latestCompletedXid = xid - 1;
  }

  public int nextXid() {
    return nextXid;
  }

  public void commit(int xid) {
    finish(xid, Status.COMMITTED);
    commitSeq++;
  }

  public void abort(int xid) {
    finish(xid, Status.ABORTED);
  }

  /** Records an outcome replayed from WAL without touching the running set. */
  public void record(int xid, Status s) {
    status.put(xid, s);
    if (s == Status.COMMITTED) commitSeq++;
  }

  /**
   * Hot standby's KnownAssignedXids: an xid the replayed WAL shows at work, running until its commit or
   * abort record is replayed (so no reader takes it for aborted and hints it so).
   */
  public void knownAssigned(int xid) {
    if (!Xids.isNormal(xid) || status.containsKey(xid)) return;
    status.put(xid, Status.IN_PROGRESS);
    running.add(Integer.toUnsignedLong(xid));
    if (!Xids.precedes(xid, nextXid)) nextXid = Xids.advance(xid);
  }

  /**
   * ExpireOldKnownAssignedTransactionIds, on replaying a running-xacts record or a shutdown checkpoint: every
   * known-assigned xid before {@code oldestRunningXid} has ended on the primary without a commit record this
   * standby saw, so it counts as aborted (its backend died, or the primary crashed). latestCompletedXid moves
   * up to just before it, as MaintainLatestCompletedXidRecovery does. Returns how many xids expired.
   */
  public int expireKnownAssigned(int oldestRunningXid) {
    List<Integer> expired = new ArrayList<>();
    for (long l : running) {
      int x = (int) l;
      if (!Xids.precedes(x, oldestRunningXid)) break;
      expired.add(x);
    }
    for (int x : expired) {
      status.put(x, Status.ABORTED);
      running.remove(Integer.toUnsignedLong(x));
      subxidsOf.remove(x);
    }
    int latest = oldestRunningXid - 1;
    if (Xids.isNormal(latest) && Xids.follows(latest, latestCompletedXid)) latestCompletedXid = latest;
    if (Xids.follows(oldestRunningXid, nextXid)) nextXid = oldestRunningXid;
    return expired.size();
  }

  public int latestCompletedXid() {
    return latestCompletedXid;
  }

  /** The running top-level xids, in xid order (xl_running_xacts' xids). */
  public List<Integer> runningTopLevel() {
    List<Integer> out = new ArrayList<>();
    for (long l : running) if (!parentOf.containsKey((int) l)) out.add((int) l);
    return out;
  }

  /** The running subtransaction xids, in xid order (xl_running_xacts' subxids). */
  public List<Integer> runningSubxids() {
    List<Integer> out = new ArrayList<>();
    for (long l : running) if (parentOf.containsKey((int) l)) out.add((int) l);
    return out;
  }

  /** A replayed commit or abort on a hot standby: the xid leaves the running set, snapshots move on. */
  public void replayFinished(int xid, Status s) {
    finish(xid, s);
    if (s == Status.COMMITTED) commitSeq++;
    if (!Xids.precedes(xid, nextXid)) nextXid = Xids.advance(xid);
  }

  private void finish(int xid, Status s) {
    status.put(xid, s);
    running.remove(Integer.toUnsignedLong(xid));
    subxidsOf.remove(xid);
    if (Xids.follows(xid, latestCompletedXid)) latestCompletedXid = xid;
  }

  public Status status(int xid) {
    if (xid == Xids.FROZEN || xid == Xids.BOOTSTRAP) return Status.COMMITTED;
    return status.getOrDefault(xid, Status.ABORTED);
  }

  /** Whether pg_xact or the proc array knows this xid at all (unknown ones count as aborted). */
  public boolean isKnown(int xid) {
    return status.containsKey(xid);
  }

  public boolean isInProgress(int xid) {
    return status(xid) == Status.IN_PROGRESS;
  }

  public boolean didCommit(int xid) {
    return status(xid) == Status.COMMITTED;
  }

  /** Every committed or aborted xid in xid order (what pg_xact holds). */
  public void forEachFinished(java.util.function.BiConsumer<Integer, Status> visit) {
    new java.util.TreeMap<>(status).forEach((xid, st) -> {
      if (st != Status.IN_PROGRESS) visit.accept(xid, st);
    });
  }

  public long commitSeq() {
    return commitSeq;
  }

  /** The oldest running xid, or nextXid when none runs. */
  public int oldestRunning() {
    return running.isEmpty() ? nextXid : (int) (long) running.first();
  }

  /**
   * GetSnapshotData: the running xids below xmax. A backend with more than 64 subtransaction xids has
   * overflowed its cache: the snapshot then lists top-level xids only ("suboverflowed"), and every reader
   * must look a recent xid up in pg_subtrans to learn which top-level transaction it belongs to.
   */
  public Snapshot takeSnapshot() {
    int xmax = Xids.advance(latestCompletedXid);
    boolean overflowed = subxidsOf.values().stream().anyMatch(n -> n > MAX_CACHED_SUBXIDS);
    int[] xip = running.stream().mapToInt(l -> (int) (long) l).filter(x -> Xids.precedes(x, xmax))
        .filter(x -> !overflowed || !parentOf.containsKey(x)).toArray();
    int xmin = xip.length == 0 ? xmax : xip[0];
    return new Snapshot(xmin, xmax, xip, commitSeq, overflowed, overflowed ? this::topmost : null);
  }
}
