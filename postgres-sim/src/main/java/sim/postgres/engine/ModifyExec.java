package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.sql.Ast.Assignment;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.RowLockMode;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.SqlException;
import sim.postgres.ssi.Ssi;

/**
 * UPDATE, DELETE and SELECT ... FOR UPDATE/SHARE: scan under the statement snapshot, then visit each
 * matching row, waiting on whoever holds it. In READ COMMITTED a row updated by a committed transaction
 * is followed along its ctid chain and the WHERE clause re-checked on the newest version (EvalPlanQual);
 * REPEATABLE READ and SERIALIZABLE fail with 40001 instead.
 */
final class ModifyExec implements Execution {
  enum Kind { LOCK, UPDATE, DELETE }

  private final Database db;
  private final Session session;
  private final Transaction tx;
  private final Table table;
  private final Expr where;
  private final Kind kind;
  private final List<Assignment> sets;
  private final Select select;
  private final List<Integer> setColumns = new ArrayList<>();
  private final List<Tid> candidates = new ArrayList<>();
  private final List<Eval.Row> locked = new ArrayList<>();
  private int next;
  private Tid current;
  private IndexInsertion pendingIndex;
  /** The current version was reached through EvalPlanQual: lock it and re-check WHERE before acting. */
  private boolean recheck;
  private long count;

  ModifyExec(Database db, Session session, Transaction tx, String tableName, Expr where, Kind kind,
      List<Assignment> sets, Select select) {
    this.db = db;
    this.session = session;
    this.tx = tx;
    this.table = Executor.requireTable(db, tableName);
    this.where = where;
    this.kind = kind;
    this.sets = sets;
    this.select = select;
    for (Assignment a : sets) {
      int i = table.columnIndex(a.column());
      if (i < 0) throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" of relation \"%s\" does not exist", a.column(), table.name);
      Eval.validate(a.value(), table);
      setColumns.add(i);
    }
    if (where != null) Eval.validate(where, table);
    List<Eval.Row> rows = new ArrayList<>();
    for (Tid tid : Executor.scan(db, tx, table, where)) {
      Eval.Row r = new Eval.Row(table, tid, table.fetch(tid));
      if (where == null || Eval.isTrue(Eval.eval(where, r))) rows.add(r);
    }
    if (select != null) Executor.sort(rows, select, table);
    rows.forEach(r -> candidates.add(r.tid()));
  }

  private RowLockMode mode() {
    return switch (kind) {
      case LOCK -> select.lockMode();
      case DELETE -> RowLockMode.UPDATE;
      case UPDATE -> setColumns.stream().anyMatch(table::isKey) ? RowLockMode.UPDATE : RowLockMode.NO_KEY_UPDATE;
    };
  }

  @Override
  public Step run() {
    if (pendingIndex != null) {
      Step s = insertIndexEntries();
      if (s != null) return s;
      advance();
    }
    while (next < candidates.size()) {
      int me = db.assignXid(session, tx);
      Tid tid = current != null ? current : candidates.get(next);
      HeapTuple t = table.fetch(tid);
      if (t == null) { // pruned away meanwhile
        advance();
        continue;
      }
      RowOps.Check c = db.rowOps.check(t, tx, mode(), tx.curcid);
      switch (c.outcome()) {
        case WAIT -> {
          current = tid;
          return new Wait(c.waitFor(), kind.name().toLowerCase(java.util.Locale.ROOT) + " of " + table.name + " " + tid);
        }
        case SELF_MODIFIED -> advance();
        case UPDATED, DELETED -> {
          if (tx.level.usesTransactionSnapshot()) throw serializationFailure(c.outcome());
          Tid last = c.outcome() == RowOps.Outcome.UPDATED ? lastVersion(t, c.updater()) : null;
          if (last == null) { // deleted (or vacuumed away): nothing to do for this row
            advance();
            continue;
          }
          current = last; // EvalPlanQual: lock the newest version, then re-check the WHERE clause on it
          recheck = true;
        }
        case OK -> {
          if (recheck) {
            recheck = false;
            if (kind != Kind.LOCK) {
              db.rowOps.lock(t, me, tx, mode()); // the lock stays even if the row no longer qualifies
              db.log.lock(table, tid, t);
              tx.cidUsed = true;
            }
            if (where != null && !Eval.isTrue(Eval.eval(where, new Eval.Row(table, tid, t)))) {
              if (kind == Kind.LOCK) {
                db.rowOps.lock(t, me, tx, mode());
                db.log.lock(table, tid, t);
              }
              advance();
              continue;
            }
          }
          Step s = act(tid, t, me);
          if (s != null) return s;
          advance();
        }
      }
    }
    if (kind == Kind.LOCK) return new Done(new Result.Rows(project()));
    return new Done(new Result.Count(count));
  }

  private void advance() {
    next++;
    current = null;
    recheck = false;
  }

  /**
   * Follows t_ctid from a version {@code updater} replaced, through versions whose updaters committed, to
   * the newest one (TUPLE_LOCK_FLAG_FIND_LAST_VERSION); null if the row was deleted on the way.
   */
  private Tid lastVersion(HeapTuple t, int updater) {
    HeapTuple cur = t;
    int xid = updater;
    for (int hops = 0; hops < 10_000; hops++) {
      Tid nextTid = cur.ctid;
      HeapTuple newer = table.fetch(nextTid);
      if (newer == null || newer.xmin != xid) return null;
      int upd = db.multis.updateXid(newer);
      if (upd == 0 || !db.clog.didCommit(upd)) return nextTid; // live, or being changed: check() decides
      if (newer.ctid.equals(nextTid)) return null; // deleted by a committed transaction
      cur = newer;
      xid = upd;
    }
    return null;
  }

  private SqlException serializationFailure(RowOps.Outcome o) {
    boolean deleted = o == RowOps.Outcome.DELETED;
    String what = kind == Kind.LOCK || !deleted ? "update" : "delete";
    return SqlException.of(SqlException.SERIALIZATION_FAILURE, "could not serialize access due to concurrent %s", what);
  }

  private Step act(Tid tid, HeapTuple t, int me) {
    tx.cidUsed = true;
    switch (kind) {
      case LOCK -> {
        db.rowOps.lock(t, me, tx, mode());
        table.pages.get(tid.block()).allFrozen = false; // heap_lock_tuple clears the all-frozen bit
        db.log.lock(table, tid, t);
        locked.add(new Eval.Row(table, tid, t));
        lockUpdatedVersions(t, me);
      }
      case DELETE -> {
        if (tx.ssi != null) db.ssi.conflictIn(tx.ssi, List.of(Ssi.tuple(table.name, tid), Ssi.relation(table.name)));
        db.rowOps.delete(t, me, tx, tx.curcid);
        table.pages.get(tid.block()).setPrunable(me);
        table.pages.get(tid.block()).allVisible = false;
        table.pages.get(tid.block()).allFrozen = false;
        db.log.delete(table, tid, t);
        table.deadTuples++;
        count++;
      }
      case UPDATE -> {
        if (tx.ssi != null) db.ssi.conflictIn(tx.ssi, List.of(Ssi.tuple(table.name, tid), Ssi.relation(table.name)));
        return update(tid, t, me);
      }
    }
    return null;
  }

  /**
   * heap_lock_updated_tuple: a KEY SHARE lock taken on a version another transaction (non-key) updated,
   * running or committed, also goes on the newer versions, so the key stays protected.
   */
  private void lockUpdatedVersions(HeapTuple t, int me) {
    HeapTuple cur = t;
    for (int hops = 0; hops < 1000; hops++) {
      int updater = db.multis.updateXid(cur);
      if (updater == 0 || tx.isCurrent(updater) || cur.ctid.equals(cur.selfTid)) return;
      if (db.clog.status(updater) == sim.postgres.mvcc.Clog.Status.ABORTED) return;
      Tid next = cur.ctid;
      HeapTuple newer = table.fetch(next);
      if (newer == null || newer.xmin != updater) return;
      db.rowOps.lock(newer, me, tx, mode());
      db.log.lock(table, next, newer);
      cur = newer;
    }
  }

  private Step update(Tid tid, HeapTuple old, int me) {
    Object[] vals = old.values.clone();
    Eval.Row row = new Eval.Row(table, tid, old);
    boolean indexedChanged = false;
    boolean keyChanged = false;
    for (int i = 0; i < sets.size(); i++) {
      int col = setColumns.get(i);
      ColumnDef def = table.columns.get(col);
      Object v = Eval.coerce(Eval.eval(sets.get(i).value(), row), def.type(), def.name());
      if (v == null && def.notNull()) {
        throw SqlException.of(SqlException.NOT_NULL_VIOLATION, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", def.name(), table.name);
      }
      boolean changed = !java.util.Objects.equals(v, old.values[col]);
      if (changed && table.isIndexed(col)) indexedChanged = true;
      if (changed && table.isKey(col)) keyChanged = true;
      vals[col] = v;
    }
    HeapTuple neu = InsertExec.newTuple(table, vals);
    HeapPage page = table.pages.get(tid.block());
    boolean hot = !indexedChanged && page.fits(neu.sizeBytes);
    Tid newTid = RowOps.place(table, neu, page); // heap_update keeps the new version on the old page when it fits
    hot = hot && newTid.block() == tid.block();
    if (newTid.block() != tid.block()) page.full = true; // a hint that the old page could use pruning
    page.allVisible = false;
    page.allFrozen = false;
    db.rowOps.update(old, newTid, neu, me, tx, tx.curcid, keyChanged, hot);
    page.setPrunable(me);
    db.log.update(table, tid, old, newTid, neu, hot);
    table.deadTuples++;
    count++;
    if (hot) return null;
    if (!table.brinIndexes.isEmpty()) BrinIndexes.inserted(db, table, newTid, vals);
    pendingIndex = new IndexInsertion(db, tx, table, newTid); // a non-HOT version gets its own index entries
    return insertIndexEntries();
  }

  /** The new version's entries, each unique index's after its check (which may wait). */
  private Step insertIndexEntries() {
    int w = pendingIndex.run();
    if (w != 0) return new Wait(new int[] {w}, "unique check on " + table.name + " " + pendingIndex.tid);
    pendingIndex = null;
    return null;
  }

  private List<List<Object>> project() {
    List<List<Object>> out = new ArrayList<>();
    for (Eval.Row r : locked) out.add(Projection.projectRow(select, table, r));
    return out;
  }
}
