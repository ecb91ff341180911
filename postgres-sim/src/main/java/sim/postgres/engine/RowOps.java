package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.CurrentXids;
import sim.postgres.sql.Ast.RowLockMode;
import sim.postgres.sql.SqlException;

/**
 * Tuple-level writes and row locks, taken through xmax like heap_update, heap_delete and heap_lock_tuple:
 * first {@link #check} whether the version can be touched (HeapTupleSatisfiesUpdate), then apply.
 */
final class RowOps {
  enum Outcome { OK, SELF_MODIFIED, UPDATED, DELETED, WAIT }

  record Check(Outcome outcome, int[] waitFor, int updater) {}

  private final Clog clog;
  private final MultiXacts multis;

  RowOps(Clog clog, MultiXacts multis) {
    this.clog = clog;
    this.multis = multis;
  }

  /** Can the transaction whose own xids are {@code me} take {@code mode} on this version at command {@code curcid}? */
  Check check(HeapTuple t, CurrentXids me, RowLockMode mode, int curcid) {
    List<Integer> wait = new ArrayList<>();
    for (Member m : multis.members(t)) {
      if (m.update()) {
        if (me.isCurrent(m.xid())) return new Check(Outcome.SELF_MODIFIED, null, m.xid());
        Clog.Status st = clog.status(m.xid());
        if (st == Clog.Status.COMMITTED) {
          // heap_lock_tuple: KEY SHARE is not blocked by an update that left the key alone, even a committed one
          if (mode == RowLockMode.KEY_SHARE && m.mode() == RowLockMode.NO_KEY_UPDATE) continue;
          boolean moved = !t.ctid.equals(selfTid(t));
          return new Check(moved ? Outcome.UPDATED : Outcome.DELETED, null, m.xid());
        }
        if (st == Clog.Status.IN_PROGRESS && m.mode().conflictsWith(mode)) wait.add(m.xid());
      } else if (!me.isCurrent(m.xid()) && clog.isInProgress(m.xid()) && m.mode().conflictsWith(mode)) {
        wait.add(m.xid());
      }
    }
    if (!wait.isEmpty()) return new Check(Outcome.WAIT, wait.stream().mapToInt(Integer::intValue).toArray(), 0);
    return new Check(Outcome.OK, null, 0);
  }

  private static Tid selfTid(HeapTuple t) {
    return t.selfTid;
  }

  /** Running lockers other than this transaction: they stay on the row (only KEY SHARE can survive an update). */
  private List<Member> otherRunning(HeapTuple t, CurrentXids mine) {
    List<Member> out = new ArrayList<>();
    for (Member m : multis.members(t)) {
      if (!mine.isCurrent(m.xid()) && clog.isInProgress(m.xid())) out.add(m);
    }
    return out;
  }

  /**
   * heap_lock_tuple by xid {@code me} (the current subtransaction's, or the top-level one's). A lock this
   * transaction already holds at least as strongly, at any level, is enough; a weaker lock by the same xid is
   * upgraded; a lock held by an enclosing level stays beside the new one (so rolling back the subtransaction
   * leaves it).
   */
  void lock(HeapTuple t, int me, CurrentXids current, RowLockMode mode) {
    for (Member m : multis.members(t)) {
      if (current.isCurrent(m.xid()) && !m.update() && m.mode().compareTo(mode) >= 0) return;
    }
    List<Member> keep = new ArrayList<>();
    RowLockMode mine = mode;
    for (Member m : multis.members(t)) {
      if (m.xid() == me && !m.update()) {
        if (m.mode().compareTo(mine) > 0) mine = m.mode();
      } else if (clog.isInProgress(m.xid()) || (m.update() && clog.didCommit(m.xid()))) {
        keep.add(m);
      }
    }
    keep.add(new Member(me, mine, false));
    multis.setXmax(t, keep);
    if (t.has(Infomask.HEAP_XMAX_LOCK_ONLY)) t.ctid = t.selfTid; // no forward link from an aborted updater
  }

  void delete(HeapTuple t, int me, CurrentXids current, int curcid) {
    List<Member> members = MultiXacts.with(otherRunning(t, current), new Member(me, RowLockMode.UPDATE, true));
    multis.setXmax(t, members);
    setCmax(t, current, curcid);
    t.ctid = t.selfTid; // heap_delete: no forward chain link
  }

  /** Marks the old version updated and fills in the new one's header; the caller has placed it. */
  void update(HeapTuple old, Tid newTid, HeapTuple neu, int me, CurrentXids current, int curcid, boolean keyUpdate,
      boolean hot) {
    List<Member> lockers = otherRunning(old, current);
    RowLockMode mode = keyUpdate ? RowLockMode.UPDATE : RowLockMode.NO_KEY_UPDATE;
    multis.setXmax(old, MultiXacts.with(lockers, new Member(me, mode, true)));
    setCmax(old, current, curcid);
    old.ctid = newTid;
    neu.xmin = me;
    neu.cmin = curcid;
    neu.set(Infomask.HEAP_UPDATED);
    multis.setXmax(neu, lockers.stream().filter(m -> !m.update()).toList());
    if (hot) {
      old.infomask2 |= Infomask.HEAP_HOT_UPDATED;
      neu.infomask2 |= Infomask.HEAP_ONLY_TUPLE;
    }
  }

  private static void setCmax(HeapTuple t, CurrentXids current, int curcid) {
    t.cmax = curcid;
    if (current.isCurrent(t.xmin)) t.set(Infomask.HEAP_COMBOCID);
  }

  /** Places a new tuple: on {@code preferred} if it fits (a HOT candidate), else the last page, else a new one. */
  static Tid place(Table table, HeapTuple t, HeapPage preferred) {
    HeapPage page = preferred;
    if (page == null || !page.fits(t.sizeBytes)) {
      page = table.freeSpacePage(t.sizeBytes);
    }
    if (page == null) {
      page = new HeapPage(table.pages.size());
      table.pages.add(page);
      table.extendedBy(page);
    }
    int off = page.add(t);
    page.allVisible = false; // heap_insert clears PD_ALL_VISIBLE and the visibility map bits
    page.allFrozen = false;
    Tid tid = new Tid(page.blockNumber, off);
    t.ctid = tid;
    t.selfTid = tid;
    return tid;
  }

  static SqlException uniqueViolation(String index) {
    return SqlException.of(SqlException.UNIQUE_VIOLATION, "duplicate key value violates unique constraint \"%s\"", index);
  }
}
