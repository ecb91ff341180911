package sim.postgres.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.mvcc.Visibility.VacuumStatus;
import sim.postgres.mvcc.Xids;
import sim.postgres.nbtree.BTree;
import sim.postgres.sql.Ast.*;
import sim.postgres.sql.SqlException;
import sim.postgres.ssi.Ssi;

/** Turns a parsed statement into an {@link Execution}: plain reads and DDL finish at once. */
final class Executor {
  private Executor() {}

  static Execution create(Database db, Session s, Transaction tx, Stmt stmt) {
    if (db.recoveryInProgress() && stmt instanceof Vacuum) throw SqlException.of("25006", "cannot execute VACUUM during recovery");
    if (tx.readOnly) checkWritable(stmt);
    if (stmt instanceof Select sel) return select(db, s, tx, sel);
    if (stmt instanceof Sleep sl) return sleep(sl);
    if (stmt instanceof Insert ins) return new InsertExec(db, s, tx, ins);
    if (stmt instanceof Update up) {
      return new ModifyExec(db, s, tx, up.table(), up.where(), ModifyExec.Kind.UPDATE, up.sets(), null);
    }
    if (stmt instanceof Delete del) {
      return new ModifyExec(db, s, tx, del.table(), del.where(), ModifyExec.Kind.DELETE, List.of(), null);
    }
    if (stmt instanceof CreateTable ct) return done(Ddl.createTable(db, ct));
    if (stmt instanceof CreateIndex ci) return done(Ddl.createIndex(db, ci));
    if (stmt instanceof DropTable dt) return done(Ddl.dropTable(db, dt));
    if (stmt instanceof Vacuum v) return done(Ddl.vacuum(db, tx, v));
    if (stmt instanceof Analyze a) return done(Ddl.analyze(db, a));
    if (stmt instanceof Explain e) return done(explain(db, s, e));
    if (stmt instanceof CreateExtension ce) return done(Ddl.createExtension(ce));
    if (stmt instanceof DropIndex di) return done(Ddl.dropIndex(db, di));
    if (stmt instanceof Checkpoint) {
      db.log.checkpoint();
      return done(new Result.Ok());
    }
    throw new IllegalStateException("transaction control is handled by Database: " + stmt);
  }

  private static void checkWritable(Stmt stmt) {
    String what = null;
    if (stmt instanceof Insert) what = "INSERT";
    else if (stmt instanceof Update) what = "UPDATE";
    else if (stmt instanceof Delete) what = "DELETE";
    else if (stmt instanceof CreateTable) what = "CREATE TABLE";
    else if (stmt instanceof CreateIndex) what = "CREATE INDEX";
    else if (stmt instanceof DropTable) what = "DROP TABLE";
    else if (stmt instanceof DropIndex) what = "DROP INDEX";
    else if (stmt instanceof Select sel && sel.lockMode() != null) what = "SELECT " + sel.lockMode().sql;
    if (what != null) throw SqlException.of("25006", "cannot execute %s in a read-only transaction", what);
  }

  /** pg_sleep(seconds): one Sleep step, then a row with the function's void result. */
  private static Execution sleep(Sleep sl) {
    Eval.validate(sl.seconds(), null);
    Object v = Eval.eval(sl.seconds(), new Eval.Row(null, null, null));
    if (!(v instanceof Number n)) throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function pg_sleep(%s) does not exist", "unknown");
    long nanos = Math.max(0, n.longValue()) * 1_000_000_000L;
    boolean[] slept = new boolean[1];
    return () -> {
      if (slept[0]) return new Execution.Done(new Result.Rows(List.of(List.of(""))));
      slept[0] = true;
      return new Execution.Sleep(nanos);
    };
  }

  private static Execution done(Result r) {
    return () -> new Execution.Done(r);
  }

  static Table requireTable(Database db, String name) {
    Table t = db.tables.get(name);
    if (t == null) throw SqlException.of(SqlException.UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
    return t;
  }

  static Execution select(Database db, Session s, Transaction tx, Select sel) {
    if (sel.function() != null) return relationSelect(sel, TableFunctions.call(db, sel.function()));
    if (sel.table() != null && CatalogViews.isView(db, sel.table())) return relationSelect(sel, CatalogViews.view(db, sel.table()));
    if (!sel.joined().isEmpty()) return done(JoinExec.select(db, s, tx, sel));
    Table table = sel.table() == null ? null : requireTable(db, sel.table());
    validate(sel, table);
    if (sel.lockMode() != null) {
      if (table == null) throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "%s is not allowed without a FROM clause", sel.lockMode().sql);
      return new ModifyExec(db, s, tx, sel.table(), sel.where(), ModifyExec.Kind.LOCK, List.of(), sel);
    }
    List<Eval.Row> rows = new ArrayList<>();
    if (table == null) rows.add(new Eval.Row(null, null, null));
    else for (Tid tid : scan(db, tx, table, sel.where())) rows.add(new Eval.Row(table, tid, table.fetch(tid)));
    if (sel.where() != null) rows.removeIf(r -> !Eval.isTrue(Eval.eval(sel.where(), r)));
    if (table != null && Aggregation.applies(sel)) {
      sim.postgres.planner.AggPlan plan = table.stats == null ? null : AggPlanning.plan(db, s, table, sel);
      return done(new Result.Rows(Aggregation.project(sel, table, rows, plan != null && plan.sortedOutput())));
    }
    if (table != null) followPlan(db, s, table, sel, rows);
    return done(new Result.Rows(Projection.project(sel, table, rows)));
  }

  /**
   * An analyzed table's rows in the order of the plan the planner chose: an Index Scan or Index Only Scan
   * returns them in index order; a Bitmap Heap Scan in ctid order, as the sequential scan already read them.
   * The unique-key lookup ({@link IndexLookup}) keeps its own path (and its SIREAD locks).
   */
  private static void followPlan(Database db, Session s, Table table, Select sel, List<Eval.Row> rows) {
    if (table.stats == null || IndexLookup.of(table, sel.where()) != null) return;
    sim.postgres.planner.Planner.Query q = Planning.query(table, sel);
    if (q == null) return;
    sim.postgres.planner.Plan p = Planning.plan(db, s, table, q);
    if (p.kind() == sim.postgres.planner.Plan.Kind.BITMAP_HEAP_SCAN) {
      BrinPlanning.restrict(db, table, p, rows); // a BRIN bitmap: only its ranges' pages are read
    }
    if (p.kind() == sim.postgres.planner.Plan.Kind.INDEX_SCAN || p.kind() == sim.postgres.planner.Plan.Kind.INDEX_ONLY_SCAN) {
      Planning.indexOrder(table, p, rows);
      // a backward scan returns the keys descending, but a posting list's TIDs still ascending (_bt_readpage
      // saves them in that order): the ORDER BY's stable sort of this index order gives just that
    }
  }

  /** Every column the select list and the WHERE name exists in {@code table} (none: a FROM-less SELECT). */
  private static void validate(Select sel, Table table) {
    for (SelectItem it : sel.items()) Eval.validate(it.expr(), table);
    if (sel.where() != null) Eval.validate(sel.where(), table);
    for (Expr g : sel.groupBy()) Eval.validate(g, table);
    if (sel.having() != null) Eval.validate(sel.having(), table);
  }

  /** EXPLAIN [(COSTS OFF)]: the chosen plan's text, one row per line. */
  private static Result explain(Database db, Session s, Explain e) {
    Select sel = e.select();
    if (!sel.joined().isEmpty()) return JoinExec.explain(db, s, sel, e.costs());
    Table table = sel.table() == null || sel.function() != null ? null : requireTable(db, sel.table());
    if (table == null) throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "EXPLAIN is modelled for single-table SELECTs only");
    validate(sel, table);
    if (Aggregation.applies(sel)) return AggPlanning.explain(db, s, table, sel, e.costs());
    sim.postgres.planner.Planner.Query q = Planning.query(table, sel);
    if (q == null) {
      throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED,
          "EXPLAIN is modelled for SELECT of columns with a WHERE of conjunctions of column op constant");
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String line : sim.postgres.planner.Explain.text(Planning.plan(db, s, table, q), e.costs())) rows.add(List.of(line));
    return new Result.Rows(rows);
  }

  /** SELECT ... FROM a set-returning function or a catalog view: its rows, filtered, projected and ordered like a table's. */
  private static Execution relationSelect(Select sel, TableFunctions.Relation rel) {
    if (sel.lockMode() != null) {
      throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "%s cannot be applied to a function", sel.lockMode().sql);
    }
    validate(sel, rel.table());
    List<Eval.Row> rows = new ArrayList<>(rel.rows());
    if (sel.where() != null) rows.removeIf(r -> !Eval.isTrue(Eval.eval(sel.where(), r)));
    return done(new Result.Rows(Projection.project(sel, rel.table(), rows)));
  }

  /**
   * The statement's scan under its snapshot: visible tuples, in physical order for a sequential scan or
   * key order for an index scan. Under SERIALIZABLE it takes SIREAD locks (the relation for a sequential
   * scan; the index leaf page and each returned tuple for an index scan) and checks the tuples it examines
   * for rw-conflicts out, as heapgetpage and heap_hot_search_buffer do.
   */
  static List<Tid> scan(Database db, Transaction tx, Table table, Expr where) {
    IndexLookup lookup = IndexLookup.of(table, where);
    return lookup == null ? seqScan(db, tx, table) : indexScan(db, tx, table, lookup);
  }

  private static List<Tid> seqScan(Database db, Transaction tx, Table table) {
    Snapshot snap = tx.snapshot();
    if (tx.ssi != null) db.ssi.lock(tx.ssi, Ssi.relation(table.name));
    List<Tid> out = new ArrayList<>();
    for (sim.postgres.heap.HeapPage p : table.pages) db.pruneOnRead(table, p); // heapgetpage prunes each page it reads
    table.forEachTuple((tid, t) -> {
      boolean visible = db.visibility.satisfiesMvcc(t, snap, tx, tx.curcid);
      if (tx.ssi != null) conflictOut(db, tx, t, visible);
      if (visible) out.add(tid);
    });
    return out;
  }

  /**
   * An index scan: the B-tree's entries for each key (SIREAD lock on every leaf page read), then
   * heap_hot_search_buffer along each entry's HOT chain to the member this snapshot sees. An entry whose
   * whole chain is dead to everyone is marked LP_DEAD afterwards (kill_prior_tuple, _bt_killitems).
   */
  private static List<Tid> indexScan(Database db, Transaction tx, Table table, IndexLookup lookup) {
    Snapshot snap = tx.snapshot();
    BTree tree = db.state.btree(lookup.index().name());
    List<Tid> out = new ArrayList<>();
    List<BTree.Hit> killed = new ArrayList<>();
    int horizon = -1;
    for (Object[] key : lookup.keys()) {
      List<BTree.Hit> hits = tree.equal(key, blk -> {
        if (tx.ssi != null) db.ssi.lock(tx.ssi, Ssi.indexPage(tree.name, blk));
      });
      int lastBlock = -1;
      for (BTree.Hit hit : hits) {
        if (hit.htid().block() != lastBlock && hit.htid().block() < table.pages.size()) {
          lastBlock = hit.htid().block();
          db.pruneOnRead(table, table.pages.get(lastBlock)); // heapam_index_fetch_tuple prunes a page it moves to
        }
        boolean allDead = true;
        for (Tid tid : HotChain.members(table, hit.htid(), db.multis)) {
          HeapTuple t = table.fetch(tid);
          boolean visible = db.visibility.satisfiesMvcc(t, snap, tx, tx.curcid);
          if (tx.ssi != null) conflictOut(db, tx, t, visible);
          if (visible) {
            if (tx.ssi != null && !tx.isCurrent(t.xmin)) db.ssi.lock(tx.ssi, Ssi.tuple(table.name, tid));
            out.add(tid);
            allDead = false;
            break;
          }
          if (horizon == -1) horizon = db.oldestXmin();
          if (db.visibility.satisfiesVacuum(t, horizon) != VacuumStatus.DEAD) allDead = false;
        }
        if (allDead) killed.add(hit);
      }
    }
    // an IN list is a Bitmap Index Scan in PostgreSQL's plan for these tables, and bitmap scans never set LP_DEAD
    if (lookup.keys().size() == 1) killItems(tree, killed);
    return out;
  }

  /** _bt_killitems: an entry is marked LP_DEAD when every heap TID it holds was found dead to all. */
  private static void killItems(BTree tree, List<BTree.Hit> killed) {
    java.util.Map<Long, Integer> deadTids = new java.util.LinkedHashMap<>();
    for (BTree.Hit h : killed) deadTids.merge(((long) h.block() << 16) | h.offset(), 1, Integer::sum);
    for (var e : deadTids.entrySet()) {
      int block = (int) (e.getKey() >>> 16);
      int off = (int) (e.getKey() & 0xffff);
      if (tree.heapTidCount(block, off) == e.getValue()) tree.markDead(block, off);
    }
  }

  /** HeapCheckForSerializableConflictOut. */
  private static void conflictOut(Database db, Transaction tx, HeapTuple t, boolean visible) {
    db.ssi.checkReadable(tx.ssi);
    Snapshot snap = tx.snapshot();
    VacuumStatus st = db.visibility.satisfiesVacuum(t, snap.xmin());
    int xid;
    switch (st) {
      case LIVE -> {
        if (visible) return;
        xid = t.xmin;
      }
      case RECENTLY_DEAD, DELETE_IN_PROGRESS -> {
        xid = visible ? db.multis.updateXid(t) : t.xmin;
        if (Xids.precedes(xid, snap.xmin())) return;
      }
      case INSERT_IN_PROGRESS -> xid = t.xmin;
      default -> {
        return;
      }
    }
    db.ssi.conflictOut(tx.ssi, xid, snap);
  }

  /** Sorts rows for ORDER BY: position numbers, output names, or expressions over the row. */
  static void sort(List<Eval.Row> rows, Select sel, Table table) {
    if (sel.orderBy().isEmpty()) return;
    Comparator<Eval.Row> cmp = null;
    for (OrderItem oi : sel.orderBy()) {
      Comparator<Eval.Row> c = (a, b) -> compareNullable(orderValue(oi, sel, a), orderValue(oi, sel, b), oi);
      cmp = cmp == null ? c : cmp.thenComparing(c);
    }
    rows.sort(cmp);
  }

  static Object orderValue(OrderItem oi, Select sel, Eval.Row row) {
    Expr e = oi.expr();
    if (e instanceof Literal l && l.value() instanceof Long pos) {
      if (pos < 1 || pos > sel.items().size() || sel.items().get((int) (pos - 1)).expr() instanceof Star) {
        return Eval.eval(Projection.starOrItem(sel, row, pos.intValue()), row);
      }
      return Eval.eval(sel.items().get((int) (pos - 1)).expr(), row);
    }
    if (e instanceof ColumnRef c) {
      for (SelectItem it : sel.items()) if (c.name().equals(it.alias())) return Eval.eval(it.expr(), row);
    }
    return Eval.eval(e, row);
  }

  static int compareNullable(Object a, Object b, OrderItem oi) {
    if (a == null || b == null) {
      if (a == b) return 0;
      return (a == null) == oi.nullsFirst() ? -1 : 1;
    }
    int c = Eval.compare(a, b);
    return oi.desc() ? -c : c;
  }
}
