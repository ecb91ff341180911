package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.brin.BrinIndex;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.mvcc.Visibility;
import sim.postgres.sql.Ast.CreateIndex;
import sim.postgres.sql.SqlException;

/**
 * The engine's side of BRIN: CREATE INDEX ... USING brin, brininsert for each new heap tuple (a non-HOT
 * update's new version included), VACUUM's brinvacuumcleanup and brin_summarize_new_values(), each reading
 * the heap as heapam_index_build_range_scan does.
 */
public final class BrinIndexes {
  private BrinIndexes() {}

  static Result create(Database db, CreateIndex ci) {
    Table t = Executor.requireTable(db, ci.table());
    if (ci.unique()) throw SqlException.of("0A000", "access method \"brin\" does not support unique indexes");
    if (ci.columns().size() != 1) {
      throw SqlException.of("0A000", "multi-column BRIN indexes are not modelled"); // PostgreSQL allows up to 32 columns
    }
    int col = t.requireColumn(ci.columns().get(0));
    String name = ci.name() != null ? ci.name() : ci.table() + "_" + ci.columns().get(0) + "_idx";
    if (db.state.btree(name) != null || db.state.brins.containsKey(name) || db.tables.containsKey(name)) {
      throw SqlException.of(SqlException.DUPLICATE_TABLE, "relation \"%s\" already exists", name);
    }
    int ppr = ci.pagesPerRange() > 0 ? ci.pagesPerRange() : BrinIndex.BRIN_DEFAULT_PAGES_PER_RANGE;
    Table.Brin def = new Table.Brin(name, db.newOid(), col, ppr);
    BrinIndex ix = new BrinIndex(name, def.oid(), t.types[col], ppr);
    t.brinIndexes.add(def);
    register(db, t, ix);
    int horizon = db.oldestXmin();
    ix.build((start, n) -> values(db, t, col, start, n, horizon), lastTupleBlock(db, t, horizon));
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  static void register(Database db, Table t, BrinIndex ix) {
    db.state.brins.put(ix.name, ix);
    ix.setInsertSkipsSummary(db.brinInsertSkipsSummary());
    db.log.brinCreated(t, ix);
  }

  /** DROP INDEX of a BRIN index; false if {@code name} is none. */
  static boolean drop(Database db, String name) {
    for (Table t : db.tables.values()) {
      if (t.brinIndexes.removeIf(b -> b.name().equals(name))) {
        db.state.brins.remove(name);
        db.log.catalogChanged(db.tables);
        return true;
      }
    }
    return false;
  }

  /** brininsert for the tuple now at {@code tid}: each BRIN index's range summary takes its value. */
  static void inserted(Database db, Table t, Tid tid, Object[] values) {
    for (Table.Brin b : t.brinIndexes) {
      BrinIndex ix = db.state.brins.get(b.name());
      if (ix != null) ix.insert(tid.block(), values[b.column()]);
    }
  }

  /** brinvacuumcleanup: VACUUM summarizes the unsummarized ranges, but not a last range still filling. */
  static void vacuumed(Database db, Table t) {
    int horizon = db.oldestXmin();
    for (Table.Brin b : t.brinIndexes) {
      BrinIndex ix = db.state.brins.get(b.name());
      if (ix != null) ix.summarize((s, n) -> values(db, t, b.column(), s, n, horizon), t.pages.size(), false);
    }
  }

  /** brin_summarize_new_values(index): every unsummarized range, the partial last one included. */
  static long summarizeNewValues(Database db, String name) {
    for (Table t : db.tables.values()) {
      for (Table.Brin b : t.brinIndexes) {
        if (!b.name().equals(name)) continue;
        int horizon = db.oldestXmin();
        return db.state.brins.get(name).summarize((s, n) -> values(db, t, b.column(), s, n, horizon), t.pages.size(), true);
      }
    }
    if (db.tables.containsKey(name) || db.state.btree(name) != null) throw SqlException.of("42809", "\"%s\" is not a BRIN index", name);
    throw SqlException.of(SqlException.UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
  }

  /**
   * The key values of the tuples an index build indexes in heap blocks [start, start + n): all but those dead
   * to everyone, and but recently dead versions a HOT update replaced (their chain's newest member stands in).
   */
  static List<Object> values(Database db, Table t, int col, int start, int n, int horizon) {
    List<Object> out = new ArrayList<>();
    for (int b = start; b < Math.min(start + n, t.pages.size()); b++) {
      HeapPage p = t.pages.get(b);
      for (int off = 1; off <= p.items.size(); off++) {
        HeapTuple tup = p.tuple(off);
        if (tup != null && indexed(db.visibility, tup, horizon)) out.add(tup.values[col]);
      }
    }
    return out;
  }

  private static boolean indexed(Visibility vis, HeapTuple tup, int horizon) {
    Visibility.VacuumStatus s = vis.satisfiesVacuum(tup, horizon);
    if (s == Visibility.VacuumStatus.DEAD) return false;
    return s != Visibility.VacuumStatus.RECENTLY_DEAD || !tup.has2(Infomask.HEAP_HOT_UPDATED);
  }

  /** The last heap block with a tuple on it, -1 for none: brinbuild's scan summarizes up to its range. */
  private static int lastTupleBlock(Database db, Table t, int horizon) {
    for (int b = t.pages.size() - 1; b >= 0; b--) {
      HeapPage p = t.pages.get(b);
      for (int off = 1; off <= p.items.size(); off++) {
        if (p.tuple(off) != null && indexed(db.visibility, p.tuple(off), horizon)) return b;
      }
    }
    return -1;
  }
}
