package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import sim.postgres.heap.Table;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.InList;
import sim.postgres.sql.Ast.Literal;

/**
 * The executor's own index path, kept for its SIREAD locks and LP_DEAD marking (the cost-based planner in
 * {@code sim.postgres.planner} decides EXPLAIN and the row order on analyzed tables): a WHERE clause
 * that pins every column of a unique index to constants ({@code id = 2}, {@code id in (1, 2)}) is an
 * index scan, as PostgreSQL's planner picks for a small never-analyzed table (estimated 10 pages); anything
 * else is a sequential scan.
 */
record IndexLookup(Table.Index index, List<Object[]> keys) {
  static IndexLookup of(Table table, Expr where) {
    if (where == null) return null;
    List<Expr> conjuncts = new ArrayList<>();
    flatten(where, conjuncts);
    for (Table.Index ix : table.indexes) {
      if (!ix.unique()) continue;
      List<List<Object>> perColumn = new ArrayList<>();
      for (int col : ix.columns()) {
        List<Object> vals = valuesFor(table.columns.get(col).name(), conjuncts);
        if (vals == null) break;
        perColumn.add(vals);
      }
      if (perColumn.size() != ix.columns().size()) continue;
      long combos = perColumn.stream().mapToLong(List::size).reduce(1, (a, b) -> a * b);
      if (combos > 1 && perColumn.size() > 1) continue; // IN lists only on one-column keys
      TreeSet<Object[]> sorted = new TreeSet<>(IndexLookup::compareKeys);
      if (perColumn.size() == 1) perColumn.get(0).forEach(v -> sorted.add(new Object[] {v}));
      else sorted.add(perColumn.stream().map(l -> l.get(0)).toArray());
      return new IndexLookup(ix, List.copyOf(sorted));
    }
    return null;
  }

  private static void flatten(Expr e, List<Expr> out) {
    if (e instanceof Binary b && b.op().equals("and")) {
      flatten(b.left(), out);
      flatten(b.right(), out);
    } else {
      out.add(e);
    }
  }

  /** Constant values the conjuncts pin this column to, or null if none does. */
  private static List<Object> valuesFor(String column, List<Expr> conjuncts) {
    for (Expr e : conjuncts) {
      if (e instanceof Binary b && b.op().equals("=")) {
        if (b.left() instanceof ColumnRef c && c.name().equals(column) && b.right() instanceof Literal l && l.value() != null) return List.of(l.value());
        if (b.right() instanceof ColumnRef c && c.name().equals(column) && b.left() instanceof Literal l && l.value() != null) return List.of(l.value());
      }
      if (e instanceof InList in && !in.negated() && in.operand() instanceof ColumnRef c && c.name().equals(column)
          && in.values().stream().allMatch(v -> v instanceof Literal l && l.value() != null)) {
        return in.values().stream().map(v -> ((Literal) v).value()).toList();
      }
    }
    return null;
  }

  static int compareKeys(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Eval.compare(a[i], b[i]);
      if (c != 0) return c;
    }
    return 0;
  }
}
