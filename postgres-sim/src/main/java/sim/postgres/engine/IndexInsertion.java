package sim.postgres.engine;

import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.nbtree.BTree;
import sim.postgres.ssi.Ssi;

/**
 * ExecInsertIndexTuples for one new heap tuple: each index in turn gets its entry, a unique index only
 * after its check passes. The check may have to wait for another transaction; the insertion then resumes at
 * that index (the entries of the earlier indexes are already in, as in PostgreSQL).
 */
final class IndexInsertion {
  private final Database db;
  private final Transaction tx;
  private final Table table;
  final Tid tid;
  private int next;

  IndexInsertion(Database db, Transaction tx, Table table, Tid tid) {
    this.db = db;
    this.tx = tx;
    this.table = table;
    this.tid = tid;
  }

  /** Inserts the remaining entries; returns 0 when all are in, else the xid a unique check waits for. */
  int run() {
    HeapTuple t = table.fetch(tid);
    while (next < table.indexes.size()) {
      Table.Index ix = table.indexes.get(next);
      BTree tree = db.state.btree(ix.name());
      Object[] key = ix.keyOf(t.values);
      Object[] checked = ix.unique() ? UniqueCheck.keyOrNull(ix, t) : null;
      Runnable conflictIn = () -> {
        if (tx.ssi != null) db.ssi.conflictIn(tx.ssi, List.of(Ssi.indexPage(ix.name(), Math.max(1, tree.leafFor(key, null)))));
      };
      boolean uniquedup = false;
      if (checked != null) {
        int w = UniqueCheck.check(db, table, tree, checked, tx, conflictIn);
        if (w != 0) return w;
        uniquedup = tree.anyEqual(checked);
      }
      conflictIn.run();
      tree.insert(key, tid, uniquedup);
      next++;
    }
    return 0;
  }
}
