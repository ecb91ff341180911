package sim.postgres.engine;

import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.CurrentXids;
import sim.postgres.mvcc.Visibility.VacuumStatus;
import sim.postgres.nbtree.BTree;

/**
 * _bt_check_unique: the index's entries with an equal key lead to HOT chains in the heap, searched with a
 * dirty snapshot; a live member, or one whose inserter or deleter is still running, is a conflict (23505)
 * or something to wait for. An entry whose whole chain is dead to everyone is marked LP_DEAD on the way.
 */
final class UniqueCheck {
  private UniqueCheck() {}

  /**
   * Returns 0 when the key is free, else the xid to wait for; throws 23505 on a live duplicate, after
   * {@code beforeViolation} (SSI's conflict-in on the index page, which may report 40001 instead).
   */
  static int check(Database db, Table table, BTree tree, Object[] key, CurrentXids me, Runnable beforeViolation) {
    int horizon = -1;
    BTree.Hit previous = null;
    boolean entryAllDead = true;
    for (BTree.Hit h : tree.equal(key, blk -> { })) {
      if (previous != null && (previous.block() != h.block() || previous.offset() != h.offset())) {
        if (entryAllDead) tree.markDead(previous.block(), previous.offset());
        entryAllDead = true;
      }
      previous = h;
      for (Tid member : HotChain.members(table, h.htid(), db.multis)) {
        HeapTuple other = table.fetch(member);
        int w = conflict(db, other, me);
        if (w > 0) return w;
        if (w < 0) {
          beforeViolation.run();
          throw RowOps.uniqueViolation(tree.name);
        }
        if (horizon == -1) horizon = db.oldestXmin();
        if (db.visibility.satisfiesVacuum(other, horizon) != VacuumStatus.DEAD) entryAllDead = false;
      }
    }
    if (previous != null && entryAllDead) tree.markDead(previous.block(), previous.offset());
    return 0;
  }

  /** 0: not a conflict; -1: live duplicate; else the running xid to wait for. */
  private static int conflict(Database db, HeapTuple other, CurrentXids me) {
    if (other.has(Infomask.HEAP_XMIN_INVALID)) return 0;
    if (!me.isCurrent(other.xmin)) {
      Clog.Status st = db.clog.status(other.xmin);
      if (st == Clog.Status.IN_PROGRESS) return other.xmin;
      if (st == Clog.Status.ABORTED) return 0;
    }
    int upd = other.xmaxIsLockOnly() ? 0 : db.multis.updateXid(other);
    if (upd == 0) return -1;
    if (me.isCurrent(upd)) return 0;
    Clog.Status st = db.clog.status(upd);
    if (st == Clog.Status.IN_PROGRESS) return upd;
    return st == Clog.Status.COMMITTED ? 0 : -1;
  }

  /** The key columns' values, or null when one is NULL: NULLs never collide. */
  static Object[] keyOrNull(Table.Index ix, HeapTuple t) {
    Object[] k = ix.keyOf(t.values);
    for (Object v : k) if (v == null) return null;
    return k;
  }

  static List<Table.Index> uniqueIndexes(Table t) {
    return t.indexes.stream().filter(Table.Index::unique).toList();
  }
}
