package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Table;
import sim.postgres.sql.Ast.Aggregate;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.Literal;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.Ast.Star;
import sim.postgres.sql.SqlException;

/** The select list: plain rows (with ORDER BY) or one row of aggregates. */
final class Projection {
  private Projection() {}

  static List<List<Object>> project(Select sel, Table table, List<Eval.Row> rows) {
    if (Aggregation.applies(sel)) return Aggregation.project(sel, table, rows, false);
    Executor.sort(rows, sel, table);
    List<List<Object>> out = new ArrayList<>();
    for (Eval.Row r : rows) {
      if (sel.limit() != null && out.size() >= sel.limit()) break; // Limit: stops pulling once it has its count
      out.add(projectRow(sel, table, r));
    }
    return out;
  }

  static List<Object> projectRow(Select sel, Table table, Eval.Row r) {
    List<Object> vals = new ArrayList<>();
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof Star) {
        if (table == null) throw new SqlException(SqlException.SYNTAX_ERROR, "SELECT * with no tables specified is not valid");
        for (Object v : r.tuple().values) vals.add(v);
      } else {
        vals.add(Eval.eval(it.expr(), r));
      }
    }
    return vals;
  }

  /** ORDER BY n when the select list has a star: the n-th output column. */
  static Expr starOrItem(Select sel, Eval.Row row, int pos) {
    int i = 0;
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof Star) {
        for (int c = 0; c < row.table().columns.size(); c++) {
          if (++i == pos) return new ColumnRef(row.table().columns.get(c).name());
        }
      } else if (++i == pos) {
        return it.expr();
      }
    }
    throw SqlException.of("42P10", "ORDER BY position %d is not in select list", pos);
  }
}
