package sim.postgres.mvcc;

import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.lock.MultiXacts;

/**
 * PostgreSQL's tuple visibility rules (heapam_visibility.c). Checking a tuple whose inserter or deleter
 * has finished sets the matching hint bit, as PostgreSQL does on first look.
 */
public final class Visibility {
  public enum VacuumStatus { LIVE, DEAD, RECENTLY_DEAD, INSERT_IN_PROGRESS, DELETE_IN_PROGRESS }

  private final Clog clog;
  private final MultiXacts multis;
  /**
   * Whether a committed xid's hint bit may be set yet: not before its commit record is flushed (with
   * synchronous_commit=off a written page could otherwise outlive the commit in a crash).
   */
  private java.util.function.IntPredicate commitHintAllowed = xid -> true;

  public void setCommitHintAllowed(java.util.function.IntPredicate allowed) {
    this.commitHintAllowed = allowed;
  }

  private void hintCommitted(HeapTuple t, int bit, int xid) {
    if (commitHintAllowed.test(xid)) t.set(bit);
  }

  public Visibility(Clog clog, MultiXacts multis) {
    this.clog = clog;
    this.multis = multis;
  }

  /**
   * HeapTupleHeaderAdvanceLatestRemovedXid: a removed tuple whose inserter committed (and is not also its
   * deleter) may still be seen by a snapshot older than its deleter, so that deleter becomes the newest
   * removed xid if it follows {@code latest}. Returns the new latestRemovedXid (0 = none yet).
   */
  public int advanceLatestRemovedXid(HeapTuple t, int latest) {
    boolean xminCommitted = t.has(Infomask.HEAP_XMIN_COMMITTED)
        || (!t.has(Infomask.HEAP_XMIN_INVALID) && clog.didCommit(t.xmin));
    if (!xminCommitted) return latest;
    int xmax = multis.updateXid(t);
    if (xmax == 0 || xmax == t.xmin) return latest;
    return latest == 0 || Xids.follows(xmax, latest) ? xmax : latest;
  }

  /**
   * HeapTupleSatisfiesMVCC: visible to a scan of the transaction whose own xids are {@code mine} at command
   * {@code curcid} with this snapshot.
   */
  public boolean satisfiesMvcc(HeapTuple t, Snapshot snap, CurrentXids mine, int curcid) {
    if (!t.has(Infomask.HEAP_XMIN_COMMITTED)) {
      if (t.has(Infomask.HEAP_XMIN_INVALID)) return false;
      if (mine.isCurrent(t.xmin)) {
        if (t.cmin >= curcid) return false; // inserted after this scan started
        if (t.xmaxIsLockOnly()) return true;
        int upd = multis.updateXid(t);
        if (!mine.isCurrent(upd)) return true; // deleted by someone else (or a rolled-back subtransaction)
        return t.cmax >= curcid; // deleted after this scan started
      }
      if (snap.isRunning(t.xmin)) return false;
      if (clog.didCommit(t.xmin)) {
        hintCommitted(t, Infomask.HEAP_XMIN_COMMITTED, t.xmin);
      } else {
        t.set(Infomask.HEAP_XMIN_INVALID);
        return false;
      }
    } else if (!t.has(Infomask.HEAP_XMIN_FROZEN) && snap.isRunning(t.xmin)) {
      return false;
    }
    // by here the inserting transaction committed and is visible
    if (t.has(Infomask.HEAP_XMAX_INVALID)) return true;
    if (t.has(Infomask.HEAP_XMAX_LOCK_ONLY)) return true;
    int xmax = t.has(Infomask.HEAP_XMAX_IS_MULTI) ? multis.updateXid(t) : t.xmax;
    if (xmax == 0) return true;
    if (!t.has(Infomask.HEAP_XMAX_COMMITTED)) {
      if (mine.isCurrent(xmax)) return t.cmax >= curcid;
      if (snap.isRunning(xmax)) return true;
      if (!clog.didCommit(xmax)) {
        if (!t.has(Infomask.HEAP_XMAX_IS_MULTI)) t.set(Infomask.HEAP_XMAX_INVALID);
        return true;
      }
      if (!t.has(Infomask.HEAP_XMAX_IS_MULTI)) hintCommitted(t, Infomask.HEAP_XMAX_COMMITTED, xmax);
    } else if (snap.isRunning(xmax)) {
      return true;
    }
    return false;
  }

  /** HeapTupleSatisfiesVacuum: the tuple's fate relative to the oldest xmin any snapshot may still hold. */
  public VacuumStatus satisfiesVacuum(HeapTuple t, int oldestXmin) {
    if (!t.has(Infomask.HEAP_XMIN_COMMITTED)) {
      if (t.has(Infomask.HEAP_XMIN_INVALID)) return VacuumStatus.DEAD;
      if (clog.isInProgress(t.xmin)) {
        int upd = t.xmaxIsLockOnly() ? 0 : multis.updateXid(t);
        return upd == t.xmin ? VacuumStatus.DELETE_IN_PROGRESS : VacuumStatus.INSERT_IN_PROGRESS;
      }
      if (!clog.didCommit(t.xmin)) {
        t.set(Infomask.HEAP_XMIN_INVALID);
        return VacuumStatus.DEAD;
      }
      hintCommitted(t, Infomask.HEAP_XMIN_COMMITTED, t.xmin);
    }
    if (t.xmaxIsLockOnly()) return VacuumStatus.LIVE;
    int upd = multis.updateXid(t);
    if (upd == 0) return VacuumStatus.LIVE;
    if (clog.isInProgress(upd)) return VacuumStatus.DELETE_IN_PROGRESS;
    if (!clog.didCommit(upd)) {
      if (!t.has(Infomask.HEAP_XMAX_IS_MULTI)) t.set(Infomask.HEAP_XMAX_INVALID);
      return VacuumStatus.LIVE;
    }
    if (!t.has(Infomask.HEAP_XMAX_IS_MULTI)) hintCommitted(t, Infomask.HEAP_XMAX_COMMITTED, upd);
    return Xids.precedes(upd, oldestXmin) ? VacuumStatus.DEAD : VacuumStatus.RECENTLY_DEAD;
  }
}
