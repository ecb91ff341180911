package sim.postgres.engine;

import java.util.Arrays;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.mvcc.Clog;

/**
 * _bt_check_unique with a dirty snapshot: another version with the same key that is live, or whose
 * inserter or deleter is still running, is a conflict (23505) or something to wait for.
 */
final class UniqueCheck {
  private UniqueCheck() {}

  /**
   * Returns 0 when the key is free (the tuple's index entries then exist), else the xid to wait for;
   * throws 23505 on a live duplicate, after {@code beforeViolation} (SSI's conflict-in on the index page,
   * which may report 40001 instead, as _bt_check_unique does).
   */
  static int check(Database db, Table table, Tid self, HeapTuple tuple, int me, Runnable beforeViolation) {
    for (Table.Index ix : table.indexes) {
      if (!ix.unique()) continue;
      Object[] key = key(ix, tuple);
      if (key == null) continue; // NULLs never collide
      int[] waitFor = {0};
      table.forEachTuple((tid, other) -> {
        if (waitFor[0] != 0 || tid.equals(self) || other.indexPending || !Arrays.equals(key, key(ix, other))) return;
        int w = conflict(db, other, me);
        if (w > 0) {
          waitFor[0] = w;
        } else if (w < 0) {
          beforeViolation.run();
          throw RowOps.uniqueViolation(ix);
        }
      });
      if (waitFor[0] != 0) return waitFor[0];
    }
    tuple.indexPending = false;
    return 0;
  }

  /** 0: not a conflict; -1: live duplicate; else the running xid to wait for. */
  private static int conflict(Database db, HeapTuple other, int me) {
    if (other.has(Infomask.HEAP_XMIN_INVALID)) return 0;
    if (other.xmin != me) {
      Clog.Status st = db.clog.status(other.xmin);
      if (st == Clog.Status.IN_PROGRESS) return other.xmin;
      if (st == Clog.Status.ABORTED) return 0;
    }
    int upd = other.xmaxIsLockOnly() ? 0 : db.multis.updateXid(other);
    if (upd == 0) return -1;
    if (upd == me) return 0;
    Clog.Status st = db.clog.status(upd);
    if (st == Clog.Status.IN_PROGRESS) return upd;
    return st == Clog.Status.COMMITTED ? 0 : -1;
  }

  private static Object[] key(Table.Index ix, HeapTuple t) {
    Object[] k = new Object[ix.columns().size()];
    for (int i = 0; i < k.length; i++) {
      k[i] = t.values[ix.columns().get(i)];
      if (k[i] == null) return null;
    }
    return k;
  }
}
