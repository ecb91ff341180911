package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Table;
import sim.postgres.planner.AggPlan;
import sim.postgres.planner.AggQuery;
import sim.postgres.planner.Grouping;
import sim.postgres.planner.Qual;
import sim.postgres.sql.Ast.Aggregate;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.Literal;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.Ast.Unary;
import sim.postgres.sql.SqlException;

/**
 * The engine's side of the grouping planner: a single-table SELECT of grouping columns and aggregates of
 * columns (GROUP BY columns, HAVING conjuncts {@code agg op const}) turned into the planner's {@link AggQuery}.
 */
final class AggPlanning {
  private AggPlanning() {}

  static Result explain(Database db, Session s, Table t, Select sel, boolean costs) {
    AggPlan p = plan(db, s, t, sel);
    if (p == null) {
      throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED,
          "EXPLAIN of an aggregate is modelled for GROUP BY columns, aggregates of columns and HAVING agg op constant");
    }
    List<List<Object>> rows = new ArrayList<>();
    for (String line : p.text(costs)) rows.add(List.of(line));
    return new Result.Rows(rows);
  }

  /** The plan PostgreSQL would choose, or null when the query is outside what is modelled. */
  static AggPlan plan(Database db, Session s, Table t, Select sel) {
    AggQuery q = query(t, sel);
    return q == null ? null : Grouping.plan(q, Planning.relInfo(db, t), s.planner);
  }

  static AggQuery query(Table t, Select sel) {
    if (!sel.orderBy().isEmpty() || sel.limit() != null || sel.lockMode() != null) return null;
    List<String> groups = new ArrayList<>();
    for (Expr e : sel.groupBy()) {
      if (!(e instanceof ColumnRef c) || t.columnIndex(c.name()) < 0 || groups.contains(c.name())) return null;
      groups.add(c.name());
    }
    List<AggQuery.Target> targets = new ArrayList<>();
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof ColumnRef c && groups.contains(c.name())) targets.add(new AggQuery.Target(c.name(), null));
      else if (it.expr() instanceof Aggregate a && agg(t, a) != null) targets.add(new AggQuery.Target(null, agg(t, a)));
      else return null;
    }
    List<AggQuery.Having> having = new ArrayList<>();
    if (sel.having() != null && !having(t, sel.having(), having)) return null;
    List<Qual> quals = new ArrayList<>();
    if (sel.where() != null && !Planning.quals(t, sel.where(), quals)) return null;
    List<Qual> ordered = Planning.equivalenceOrder(quals);
    if (ordered == null) return null;
    List<String> needed = new ArrayList<>(groups);
    for (AggQuery.Target x : targets) if (x.agg() != null) need(needed, x.agg().column());
    for (AggQuery.Having h : having) need(needed, h.agg().column());
    if (targets.stream().noneMatch(x -> x.agg() != null) && having.isEmpty() && groups.isEmpty()) return null;
    return new AggQuery(groups, targets, List.of(), having, needed, ordered);
  }

  private static void need(List<String> needed, String column) {
    if (column != null && !needed.contains(column)) needed.add(column);
  }

  /** An aggregate of a column (or count(*)) of a type it exists for. */
  private static AggQuery.Agg agg(Table t, Aggregate a) {
    if (a.argument() == null) return new AggQuery.Agg(a.function(), null, null);
    if (!(a.argument() instanceof ColumnRef c) || t.columnIndex(c.name()) < 0) return null;
    SqlType type = t.types[t.columnIndex(c.name())];
    String name = switch (type) {
      case INT4 -> "int4";
      case INT8 -> "int8";
      case TEXT -> "text";
      case BOOL -> "bool";
    };
    if (!a.function().equals("count") && (type == SqlType.BOOL || type == SqlType.TEXT && !a.function().startsWith("m"))) return null;
    return new AggQuery.Agg(a.function(), c.name(), name);
  }

  /** HAVING as conjuncts {@code agg op const} (the constant on either side), op an inequality. */
  private static boolean having(Table t, Expr e, List<AggQuery.Having> out) {
    if (!(e instanceof Binary b)) return false;
    if (b.op().equals("and")) return having(t, b.left(), out) && having(t, b.right(), out);
    if (!List.of("<", "<=", ">", ">=").contains(b.op())) return false;
    String op = b.op();
    Expr aggSide = b.left();
    Expr constSide = b.right();
    if (!(aggSide instanceof Aggregate)) {
      aggSide = b.right();
      constSide = b.left();
      op = Qual.commute(op);
    }
    if (!(aggSide instanceof Aggregate a) || agg(t, a) == null) return false;
    Object k = constant(constSide);
    AggQuery.Agg agg = agg(t, a);
    boolean textArg = "text".equals(agg.resultType());
    if (k == null || textArg != k instanceof String || !textArg && !(k instanceof Long)) return false;
    out.add(new AggQuery.Having(agg, op, k));
    return true;
  }

  private static Object constant(Expr e) {
    if (e instanceof Literal l) return l.value();
    if (e instanceof Unary u && u.op().equals("-") && u.operand() instanceof Literal l && l.value() instanceof Long n) return -n;
    return null;
  }
}
