package sim.postgres.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.planner.JoinPlan;
import sim.postgres.planner.JoinPlanner;
import sim.postgres.planner.JoinQuery;
import sim.postgres.planner.Plan;
import sim.postgres.planner.RelInfo;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.OrderItem;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.SqlException;

/**
 * SELECT over an inner join of tables. On analyzed tables the rows come in the order of the plan the
 * planner chose: a nested loop returns each outer row's matches in the inner's order, a hash join each outer
 * row's matches in the reverse of the order they were hashed (ExecHashTableInsert pushes onto the head of
 * the bucket), a merge join the inputs' key order; otherwise (or outside what the planner models) a nested
 * loop in FROM order. Then the WHERE, ORDER BY, LIMIT and the select list over the joined row, whose
 * columns are named {@code table.column}.
 */
final class JoinExec {
  private final Database db;
  private final Transaction tx;
  private final JoinQueryBuilder from;
  private final Table joined;
  private final List<List<Eval.Row>> base = new ArrayList<>();

  private JoinExec(Database db, Transaction tx, List<Table> tables, Expr where) {
    this.db = db;
    this.tx = tx;
    this.from = new JoinQueryBuilder(tables, where);
    List<ColumnDef> cols = new ArrayList<>();
    for (Table t : tables) for (ColumnDef cd : t.columns) cols.add(new ColumnDef(t.name + "." + cd.name(), cd.type(), cd.notNull()));
    this.joined = new Table("join", 0, cols);
  }

  static List<Table> tables(Database db, Select sel) {
    List<Table> out = new ArrayList<>();
    out.add(Executor.requireTable(db, sel.table()));
    for (String n : sel.joined()) {
      Table t = Executor.requireTable(db, n);
      if (out.contains(t)) throw SqlException.of("42712", "table name \"%s\" specified more than once", n);
      out.add(t);
    }
    return out;
  }

  /** The plan for this join, or null when it is not modelled or a table was never analyzed. */
  private JoinPlan plan(Session s, Select sel, boolean forRows) {
    List<RelInfo> infos = new ArrayList<>();
    for (Table t : from.tables) infos.add(Planning.relInfo(db, t));
    JoinQuery q = from.query(sel, infos, forRows);
    return q == null ? null : JoinPlanner.plan(q, names(), s.planner);
  }

  private List<String> names() {
    return from.tables.stream().map(t -> t.name).toList();
  }

  static Result explain(Database db, Session s, Select sel, boolean costs) {
    JoinExec j = new JoinExec(db, null, tables(db, sel), sel.where());
    validate(j, sel);
    JoinPlan p = j.plan(s, sel, false);
    if (p == null) {
      throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED,
          "EXPLAIN of a join is modelled for two tables, one join clause a.x = b.y, and restrictions column op constant");
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String line : JoinPlan.text(p, costs, j.names())) rows.add(List.of(line));
    return new Result.Rows(rows);
  }

  private static void validate(JoinExec j, Select sel) {
    for (SelectItem it : sel.items()) j.from.qualify(it.expr());
    for (OrderItem oi : sel.orderBy()) {
      if (!(oi.expr() instanceof sim.postgres.sql.Ast.Literal)) j.from.qualify(oi.expr());
    }
  }

  static Result select(Database db, Session s, Transaction tx, Select sel) {
    if (sel.lockMode() != null) throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "%s is not modelled for joins", sel.lockMode().sql);
    JoinExec j = new JoinExec(db, tx, tables(db, sel), sel.where());
    validate(j, sel);
    for (Table t : j.from.tables) {
      List<Eval.Row> rows = new ArrayList<>();
      for (Tid tid : Executor.scan(db, tx, t, null)) rows.add(new Eval.Row(t, tid, t.fetch(tid)));
      int i = j.base.size();
      rows.removeIf(r -> !j.from.restrictions.get(i).stream().allMatch(e -> Eval.isTrue(Eval.eval(e, r))));
      j.base.add(rows);
    }
    boolean analyzed = j.from.tables.stream().allMatch(t -> t.stats != null);
    JoinPlan p = analyzed ? j.plan(s, sel, true) : null;
    List<Eval.Row[]> combos = p != null ? j.run(p) : j.nestedInFromOrder();
    List<Eval.Row> rows = new ArrayList<>();
    for (Eval.Row[] c : combos) {
      Eval.Row r = j.joinedRow(c);
      if (j.from.joinConjunctsQualified.stream().allMatch(e -> Eval.isTrue(Eval.eval(e, r)))) rows.add(r);
    }
    Select q = j.qualified(sel);
    return new Result.Rows(Projection.project(q, j.joined, rows));
  }

  /** The select with its columns qualified for the joined row (ORDER BY positions and output names kept). */
  private Select qualified(Select sel) {
    List<SelectItem> items = new ArrayList<>();
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof sim.postgres.sql.Ast.Star st && st.table() != null) { // a.*: that table's columns
        Table t = from.tables.get(from.table(st.table()));
        for (ColumnDef cd : t.columns) items.add(new SelectItem(new sim.postgres.sql.Ast.ColumnRef(t.name + "." + cd.name()), null));
      } else {
        items.add(new SelectItem(from.qualify(it.expr()), it.alias()));
      }
    }
    List<OrderItem> order = new ArrayList<>();
    for (OrderItem oi : sel.orderBy()) {
      Expr e = oi.expr();
      boolean keep = e instanceof sim.postgres.sql.Ast.Literal
          || e instanceof sim.postgres.sql.Ast.ColumnRef c && c.table() == null && sel.items().stream().anyMatch(it -> c.name().equals(it.alias()));
      order.add(new OrderItem(keep ? e : from.qualify(e), oi.desc(), oi.nullsFirst()));
    }
    return new Select(items, "join", null, order, null, null, sel.limit());
  }

  private Eval.Row joinedRow(Eval.Row[] parts) {
    List<Object> vals = new ArrayList<>();
    for (Eval.Row p : parts) for (Object v : p.tuple().values) vals.add(v);
    Object[] values = vals.toArray();
    return new Eval.Row(joined, null, new HeapTuple(values, 0));
  }

  /** Without a plan: each table in FROM order joined on, through a hash of an equality with an earlier one. */
  private List<Eval.Row[]> nestedInFromOrder() {
    List<Eval.Row[]> out = new ArrayList<>();
    out.add(new Eval.Row[from.tables.size()]);
    for (int i = 0; i < from.tables.size(); i++) {
      JoinQuery.Clause c = equality(i);
      Map<Object, List<Eval.Row>> byKey = new HashMap<>();
      if (c != null) {
        JoinQuery.Column mine = c.left().rel() == i ? c.left() : c.right();
        for (Eval.Row r : base.get(i)) {
          Object k = r.tuple().values[r.table().columnIndex(mine.column())];
          if (k != null) byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
      }
      List<Eval.Row[]> next = new ArrayList<>();
      for (Eval.Row[] partial : out) {
        List<Eval.Row> candidates = base.get(i);
        if (c != null) {
          JoinQuery.Column theirs = c.left().rel() == i ? c.right() : c.left();
          Object k = value(partial, theirs.rel(), theirs.column());
          candidates = k == null ? List.of() : byKey.getOrDefault(k, List.of());
        }
        for (Eval.Row r : candidates) {
          Eval.Row[] combo = partial.clone();
          combo[i] = r;
          next.add(combo);
        }
      }
      out = next;
    }
    return out;
  }

  /** A conjunct {@code x.a = t.b} between table {@code i} and an earlier one, of one type, or null. */
  private JoinQuery.Clause equality(int i) {
    for (Expr e : from.joinConjuncts) {
      if (!(e instanceof sim.postgres.sql.Ast.Binary b) || !b.op().equals("=")) continue;
      if (!(b.left() instanceof sim.postgres.sql.Ast.ColumnRef l) || !(b.right() instanceof sim.postgres.sql.Ast.ColumnRef r)) continue;
      int li = from.resolve(l);
      int ri = from.resolve(r);
      boolean sameType = from.tables.get(li).types[from.tables.get(li).columnIndex(l.name())]
          == from.tables.get(ri).types[from.tables.get(ri).columnIndex(r.name())];
      if (!sameType || li == ri) continue;
      if (li == i && ri < i || ri == i && li < i) {
        return new JoinQuery.Clause(new JoinQuery.Column(li, l.name()), new JoinQuery.Column(ri, r.name()));
      }
    }
    return null;
  }

  /** Runs the plan: each node's rows as arrays of the base rows, one slot per relation. */
  private List<Eval.Row[]> run(JoinPlan p) {
    if (p instanceof JoinPlan.Scan s) return scan(s);
    if (p instanceof JoinPlan.Material m) return run(m.child());
    if (p instanceof JoinPlan.Hash h) return run(h.child());
    if (p instanceof JoinPlan.Memoize m) return run(m.child());
    if (p instanceof JoinPlan.Sort s) {
      List<Eval.Row[]> rows = new ArrayList<>(run(s.child()));
      int rel = names().indexOf(s.key().substring(0, s.key().indexOf('.')));
      String col = s.key().substring(s.key().indexOf('.') + 1);
      rows.sort(Comparator.comparing(r -> value(r, rel, col), JoinExec::nullsLast));
      return rows;
    }
    JoinPlan.Join j = (JoinPlan.Join) p;
    List<Eval.Row[]> outer = run(j.outer());
    List<Eval.Row[]> inner = run(j.inner());
    JoinQuery.Clause c = j.clause();
    List<Eval.Row[]> out = new ArrayList<>();
    if (j.method() == JoinPlan.Method.HASH) {
      Map<Object, List<Eval.Row[]>> table = new HashMap<>();
      for (Eval.Row[] i : inner) {
        Object k = key(i, c);
        if (k != null) table.computeIfAbsent(k, x -> new ArrayList<>()).add(0, i); // pushed onto the bucket's head
      }
      for (Eval.Row[] o : outer) {
        Object k = key(o, c);
        if (k == null) continue;
        for (Eval.Row[] i : table.getOrDefault(k, List.of())) out.add(merge(o, i));
      }
      return out;
    }
    for (Eval.Row[] o : outer) {
      Object k = key(o, c);
      if (k == null) continue;
      for (Eval.Row[] i : inner) {
        Object v = key(i, c);
        if (v != null && Eval.compare(k, v) == 0) out.add(merge(o, i));
      }
    }
    return out;
  }

  private List<Eval.Row[]> scan(JoinPlan.Scan s) {
    List<Eval.Row> rows = new ArrayList<>(base.get(s.rel()));
    Plan plan = s.plan();
    if (plan.kind() == Plan.Kind.INDEX_SCAN || plan.kind() == Plan.Kind.INDEX_ONLY_SCAN) {
      Planning.indexOrder(from.tables.get(s.rel()), plan, rows);
    }
    List<Eval.Row[]> out = new ArrayList<>();
    for (Eval.Row r : rows) {
      Eval.Row[] c = new Eval.Row[from.tables.size()];
      c[s.rel()] = r;
      out.add(c);
    }
    return out;
  }

  /** The clause's value on whichever of its sides this partial row holds. */
  private static Object key(Eval.Row[] r, JoinQuery.Clause c) {
    JoinQuery.Column side = r[c.left().rel()] != null ? c.left() : c.right();
    return value(r, side.rel(), side.column());
  }

  private static Object value(Eval.Row[] r, int rel, String col) {
    Eval.Row row = r[rel];
    return row.tuple().values[row.table().columnIndex(col)];
  }

  private static int nullsLast(Object a, Object b) {
    if (a == null || b == null) return a == b ? 0 : a == null ? 1 : -1;
    return Eval.compare(a, b);
  }

  private static Eval.Row[] merge(Eval.Row[] a, Eval.Row[] b) {
    Eval.Row[] out = a.clone();
    for (int i = 0; i < b.length; i++) if (b[i] != null) out[i] = b[i];
    return out;
  }
}
