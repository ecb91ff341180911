package sim.postgres.engine;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.postgres.heap.Table;
import sim.postgres.sql.Ast.Aggregate;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.InList;
import sim.postgres.sql.Ast.IsNull;
import sim.postgres.sql.Ast.Literal;
import sim.postgres.sql.Ast.OrderItem;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.Ast.Star;
import sim.postgres.sql.Ast.Unary;
import sim.postgres.sql.SqlException;

/**
 * Aggregates and GROUP BY, as nodeAgg.c runs them: the rows (already filtered by WHERE) are split into groups
 * by the GROUP BY values, HAVING keeps some, and each gives one output row; without GROUP BY all rows are one
 * group, even none. A GroupAggregate's groups come in key order (its input was sorted); a HashAggregate's in
 * the order each group was first seen (PostgreSQL's hash table order is not modelled). Then ORDER BY and LIMIT.
 */
final class Aggregation {
  private Aggregation() {}

  /** Whether the SELECT aggregates: an aggregate call in the select list, a GROUP BY or a HAVING. */
  static boolean applies(Select sel) {
    return sel.grouped() || sel.items().stream().anyMatch(it -> Eval.hasAggregate(it.expr()));
  }

  /** One group: its key values and rows. */
  private record Group(List<Object> key, List<Eval.Row> rows) {}

  static List<List<Object>> project(Select sel, Table table, List<Eval.Row> rows, boolean keyOrder) {
    checkGrouping(sel, table);
    Map<List<Object>, Group> groups = new LinkedHashMap<>();
    if (sel.groupBy().isEmpty()) groups.put(List.of(), new Group(List.of(), rows));
    for (Eval.Row r : sel.groupBy().isEmpty() ? List.<Eval.Row>of() : rows) {
      List<Object> key = Arrays.asList(sel.groupBy().stream().map(e -> Eval.eval(e, r)).toArray());
      groups.computeIfAbsent(key, k -> new Group(k, new ArrayList<>())).rows().add(r);
    }
    List<Group> ordered = new ArrayList<>(groups.values());
    if (keyOrder) ordered.sort(Aggregation::compareKeys);
    List<List<Object>> out = new ArrayList<>();
    List<List<Object>> sortKeys = new ArrayList<>();
    for (Group g : ordered) {
      Eval.Row first = g.rows().isEmpty() ? new Eval.Row(table, null, null) : g.rows().get(0);
      if (sel.having() != null && !Eval.isTrue(Eval.eval(bind(sel.having(), g, table), first))) continue;
      List<Object> row = new ArrayList<>();
      for (SelectItem it : sel.items()) row.add(Eval.eval(bind(it.expr(), g, table), first));
      List<Object> keys = new ArrayList<>();
      for (OrderItem oi : sel.orderBy()) keys.add(orderValue(oi, sel, row, g, table, first));
      out.add(row);
      sortKeys.add(keys);
    }
    return orderAndLimit(sel, out, sortKeys);
  }

  /** ORDER BY over the groups' output rows (a stable sort, as the rows came), then LIMIT. */
  private static List<List<Object>> orderAndLimit(Select sel, List<List<Object>> out, List<List<Object>> sortKeys) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) idx.add(i);
    for (int k = sel.orderBy().size() - 1; k >= 0; k--) {
      OrderItem oi = sel.orderBy().get(k);
      int kk = k;
      idx.sort((a, b) -> Executor.compareNullable(sortKeys.get(a).get(kk), sortKeys.get(b).get(kk), oi));
    }
    List<List<Object>> result = new ArrayList<>();
    for (int i : idx) {
      if (sel.limit() != null && result.size() >= sel.limit()) break;
      result.add(out.get(i));
    }
    return result;
  }

  /** An ORDER BY item: an output position, an output alias, or an expression over the group. */
  private static Object orderValue(OrderItem oi, Select sel, List<Object> row, Group g, Table table, Eval.Row first) {
    Expr e = oi.expr();
    if (e instanceof Literal l && l.value() instanceof Long pos) {
      if (pos < 1 || pos > row.size()) throw SqlException.of("42P10", "ORDER BY position %d is not in select list", pos);
      return row.get((int) (pos - 1));
    }
    if (e instanceof ColumnRef c) {
      for (int i = 0; i < sel.items().size(); i++) if (c.name().equals(sel.items().get(i).alias())) return row.get(i);
    }
    checkGrouped(e, sel, table);
    return Eval.eval(bind(e, g, table), first);
  }

  /** GroupAggregate's order: the key values ascending, NULLs last. */
  private static int compareKeys(Group a, Group b) {
    for (int i = 0; i < a.key().size(); i++) {
      Object x = a.key().get(i);
      Object y = b.key().get(i);
      if (x == null || y == null) {
        if (x != y) return x == null ? 1 : -1;
        continue;
      }
      int c = Eval.compare(x, y);
      if (c != 0) return c;
    }
    return 0;
  }

  /** parseCheckAggregates: a column outside an aggregate must be a GROUP BY expression. */
  private static void checkGrouping(Select sel, Table table) {
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof Star) checkGrouped(new ColumnRef(firstColumn(table)), sel, table);
      else checkGrouped(it.expr(), sel, table);
    }
    if (sel.having() != null) checkGrouped(sel.having(), sel, table);
  }

  private static String firstColumn(Table table) {
    return table == null || table.columns.isEmpty() ? "?column?" : table.columns.get(0).name();
  }

  private static void checkGrouped(Expr e, Select sel, Table table) {
    if (e instanceof Aggregate || sel.groupBy().contains(e)) return;
    if (e instanceof ColumnRef c) {
      throw SqlException.of(SqlException.GROUPING_ERROR,
          "column \"%s.%s\" must appear in the GROUP BY clause or be used in an aggregate function",
          c.table() != null ? c.table() : table == null ? "" : table.name, c.name());
    }
    if (e instanceof Unary u) checkGrouped(u.operand(), sel, table);
    if (e instanceof Binary b) {
      checkGrouped(b.left(), sel, table);
      checkGrouped(b.right(), sel, table);
    }
    if (e instanceof IsNull n) checkGrouped(n.operand(), sel, table);
    if (e instanceof InList in) {
      checkGrouped(in.operand(), sel, table);
      in.values().forEach(v -> checkGrouped(v, sel, table));
    }
  }

  /** The expression with each aggregate call replaced by its value over the group. */
  private static Expr bind(Expr e, Group g, Table table) {
    if (e instanceof Aggregate a) return new Literal(aggregate(a, g.rows(), table));
    if (e instanceof Unary u) return new Unary(u.op(), bind(u.operand(), g, table));
    if (e instanceof Binary b) return new Binary(b.op(), bind(b.left(), g, table), bind(b.right(), g, table));
    if (e instanceof IsNull n) return new IsNull(bind(n.operand(), g, table), n.negated());
    if (e instanceof InList in) {
      return new InList(bind(in.operand(), g, table), in.values().stream().map(v -> bind(v, g, table)).toList(), in.negated());
    }
    return e;
  }

  /** The argument's type: a column's, otherwise int4 (the integer expressions this SQL subset has). */
  static SqlType argType(Aggregate a, Table table) {
    if (a.argument() instanceof ColumnRef c && table != null && table.columnIndex(c.name()) >= 0) {
      return table.types[table.columnIndex(c.name())];
    }
    return SqlType.INT4;
  }

  /** count bigint; sum(int) bigint, sum(bigint) numeric; avg numeric at numeric_div's scale; min, max the argument's. */
  static Object aggregate(Aggregate a, List<Eval.Row> rows, Table table) {
    if (a.argument() == null) return (long) rows.size();
    SqlType type = argType(a, table);
    if (!a.function().equals("count") && type == SqlType.BOOL || (a.function().equals("sum") || a.function().equals("avg")) && type == SqlType.TEXT) {
      String name = type == SqlType.BOOL ? "boolean" : "text";
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s(%s) does not exist", a.function(), name);
    }
    long count = 0;
    BigInteger sum = BigInteger.ZERO;
    Object best = null;
    for (Eval.Row r : rows) {
      Object v = Eval.eval(a.argument(), r);
      if (v == null) continue;
      count++;
      switch (a.function()) {
        case "sum", "avg" -> sum = sum.add(BigInteger.valueOf(Eval.asLong(v)));
        case "min" -> best = best == null || Eval.compare(v, best) < 0 ? v : best;
        case "max" -> best = best == null || Eval.compare(v, best) > 0 ? v : best;
        default -> { }
      }
    }
    return switch (a.function()) {
      case "count" -> count;
      case "sum" -> count == 0 ? null : type == SqlType.INT8 ? new BigDecimal(sum) : (Object) sum.longValueExact();
      case "avg" -> count == 0 ? null : NumericDiv.divide(sum, BigInteger.valueOf(count));
      default -> best;
    };
  }

}
