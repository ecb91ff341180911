package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.sql.Ast;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.Insert;
import sim.postgres.sql.SqlException;
import sim.postgres.ssi.Ssi;

/** INSERT: heap tuple first, then the unique index check, which may wait for an in-progress inserter. */
final class InsertExec implements Execution {
  private static final Eval.Row NO_ROW = new Eval.Row(null, null, null);
  private final Database db;
  private final Session session;
  private final Transaction tx;
  private final Table table;
  private final List<Object[]> rows = new ArrayList<>();
  private int next;
  private IndexInsertion pending;

  InsertExec(Database db, Session session, Transaction tx, Insert ins) {
    this.db = db;
    this.session = session;
    this.tx = tx;
    this.table = Executor.requireTable(db, ins.table());
    List<Integer> targets = new ArrayList<>();
    if (ins.columns() == null) {
      for (int i = 0; i < table.columns.size(); i++) targets.add(i);
    } else {
      for (String c : ins.columns()) {
        int i = table.columnIndex(c);
        if (i < 0) throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" of relation \"%s\" does not exist", c, table.name);
        targets.add(i);
      }
    }
    if (ins.source() != null) {
      Result r = ((Execution.Done) Executor.select(db, session, tx, ins.source()).run()).result();
      for (List<Object> row : ((Result.Rows) r).rows()) {
        if (row.size() > targets.size()) throw new SqlException(SqlException.SYNTAX_ERROR, "INSERT has more expressions than target columns");
        Object[] vals = new Object[table.columns.size()];
        for (int i = 0; i < row.size(); i++) {
          ColumnDef col = table.columns.get(targets.get(i));
          vals[targets.get(i)] = Eval.coerce(row.get(i), col.type(), col.name());
        }
        rows.add(vals);
      }
    }
    int[] target = targets.stream().mapToInt(Integer::intValue).toArray();
    ColumnDef[] cols = new ColumnDef[target.length];
    for (int i = 0; i < target.length; i++) cols[i] = table.columns.get(target[i]);
    for (List<Expr> exprs : ins.rows()) {
      if (exprs.size() > targets.size()) throw new SqlException(SqlException.SYNTAX_ERROR, "INSERT has more expressions than target columns");
      if (exprs.size() < targets.size() && ins.columns() != null) throw new SqlException(SqlException.SYNTAX_ERROR, "INSERT has more target columns than expressions");
      Object[] vals = new Object[table.columns.size()];
      for (int i = 0; i < exprs.size(); i++) {
        Expr e = exprs.get(i);
        Object v;
        if (e instanceof Ast.Literal l) { // VALUES of constants: nothing to validate or evaluate
          v = l.value();
        } else {
          Eval.validate(e, null);
          v = Eval.eval(e, NO_ROW);
        }
        vals[target[i]] = Eval.coerce(v, cols[i].type(), cols[i].name());
      }
      rows.add(vals);
    }
  }

  @Override
  public Step run() {
    while (next < rows.size()) {
      if (pending == null) {
        Tid tid = insert(rows.get(next));
        if (table.indexes.isEmpty()) { // nothing to check or insert into
          next++;
          continue;
        }
        pending = new IndexInsertion(db, tx, table, tid);
      }
      int waitFor = pending.run();
      if (waitFor != 0) return new Wait(new int[] {waitFor}, "unique check on " + table.name + " " + pending.tid);
      pending = null;
      next++;
    }
    return new Done(new Result.Count(rows.size()));
  }

  private Tid insert(Object[] vals) {
    for (int i = 0; i < vals.length; i++) {
      if (vals[i] != null) continue;
      ColumnDef c = table.columns.get(i);
      if (c.notNull()) {
        throw SqlException.of(SqlException.NOT_NULL_VIOLATION, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", c.name(), table.name);
      }
    }
    int xid = db.assignXid(session, tx);
    if (tx.ssi != null) db.ssi.conflictIn(tx.ssi, List.of(Ssi.relation(table.name)));
    HeapTuple t = newTuple(table, vals);
    t.xmin = xid;
    t.cmin = tx.curcid;
    db.multis.setXmax(t, List.of());
    tx.cidUsed = true;
    Tid tid = RowOps.place(table, t, null);
    db.log.insert(table, tid, t);
    if (!table.brinIndexes.isEmpty()) BrinIndexes.inserted(db, table, tid, vals);
    return tid;
  }

  static HeapTuple newTuple(Table table, Object[] vals) {
    HeapTuple t = HeapTuple.of(table, vals);
    for (int i = 0; i < vals.length; i++) {
      if (vals[i] == null) t.set(Infomask.HEAP_HASNULL);
      else if (vals[i] instanceof String) t.set(Infomask.HEAP_HASVARWIDTH);
    }
    t.infomask2 = vals.length;
    return t;
  }
}
