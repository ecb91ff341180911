package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.nbtree.BTree;
import sim.postgres.nbtree.PageInspect;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.Ast.TableFunction;
import sim.postgres.sql.SqlException;

/**
 * Set-returning functions in FROM, as a virtual relation the executor scans like a table: generate_series
 * (to build tables in schedules), pageinspect's bt_metap, bt_page_stats, bt_page_items, and pg_visibility's
 * pg_visibility_map (the visibility map's all-visible and all-frozen bits of every heap block).
 */
final class TableFunctions {
  private static final Eval.Row NO_ROW = new Eval.Row(null, null, null);

  /** The function's rows as tuples of a one-off table whose columns are the function's output columns. */
  record Relation(Table table, List<Eval.Row> rows) {}

  private TableFunctions() {}

  static Relation call(Database db, TableFunction f) {
    List<Object> args = new ArrayList<>();
    for (Expr e : f.args()) {
      Eval.validate(e, null);
      args.add(Eval.eval(e, NO_ROW));
    }
    return switch (f.name()) {
      case "generate_series" -> generateSeries(f, args);
      case "bt_metap" -> relation(f, PageInspect.METAP_COLUMNS, List.of(PageInspect.metap(btree(db, f, args, 1))));
      case "bt_page_stats" -> relation(f, PageInspect.STATS_COLUMNS,
          List.of(PageInspect.pageStats(btree(db, f, args, 2), number(args.get(1)))));
      case "bt_page_items" -> relation(f, PageInspect.ITEMS_COLUMNS,
          PageInspect.pageItems(btree(db, f, args, 2), number(args.get(1))));
      case "pg_visibility_map" -> visibilityMap(db, f, args);
      case "brin_metapage_info", "brin_revmap_data", "brin_page_items", "brin_page_type", "brin_summarize_new_values" ->
          BrinFunctions.call(db, f, args);
      default -> throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", f.name() + "(...)");
    };
  }

  /** pg_visibility_map(regclass): one row per heap block, (blkno, all_visible, all_frozen). */
  private static Relation visibilityMap(Database db, TableFunction f, List<Object> args) {
    if (args.size() != 1 || !(args.get(0) instanceof String name)) {
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", f.name() + "(...)");
    }
    Table table = db.tables.get(name);
    if (table == null) throw SqlException.of(SqlException.UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
    List<List<Object>> rows = new ArrayList<>();
    for (sim.postgres.heap.HeapPage p : table.pages) {
      rows.add(List.of((long) p.blockNumber, p.allVisible, p.allVisible && p.allFrozen));
    }
    return relation(f, VISIBILITY_MAP_COLUMNS, rows);
  }

  private static final List<String> VISIBILITY_MAP_COLUMNS = List.of("blkno", "all_visible", "all_frozen");

  private static Relation generateSeries(TableFunction f, List<Object> args) {
    if (args.size() < 2 || args.size() > 3) {
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function generate_series does not exist");
    }
    long start = number(args.get(0));
    long stop = number(args.get(1));
    long step = args.size() == 3 ? number(args.get(2)) : 1;
    if (step == 0) throw SqlException.of("22023", "step size cannot equal zero");
    List<List<Object>> rows = new ArrayList<>();
    for (long v = start; step > 0 ? v <= stop : v >= stop; v += step) rows.add(List.of(v));
    String col = f.alias() != null ? f.alias() : "generate_series";
    return relation(f, List.of(col), rows, SqlType.INT4);
  }

  private static BTree btree(Database db, TableFunction f, List<Object> args, int arity) {
    if (args.size() != arity || !(args.get(0) instanceof String name)) {
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", f.name() + "(...)");
    }
    BTree tree = db.state.btree(name);
    if (tree != null) return tree;
    if (db.tables.containsKey(name)) throw SqlException.of("42809", "\"%s\" is not a btree index", name);
    throw SqlException.of(SqlException.UNDEFINED_TABLE, "relation \"%s\" does not exist", name);
  }

  private static long number(Object v) {
    if (v instanceof Long l) return l;
    throw SqlException.of("42883", "function argument must be an integer, not %s", v);
  }

  static Relation relation(TableFunction f, List<String> columns, List<List<Object>> rows) {
    return relation(f, columns, rows, SqlType.TEXT);
  }

  private static Relation relation(TableFunction f, List<String> columns, List<List<Object>> rows, SqlType type) {
    List<ColumnDef> cols = new ArrayList<>();
    for (String c : columns) cols.add(new ColumnDef(c, type, false));
    Table t = new Table(f.alias() != null ? f.alias() : f.name(), 0, cols);
    List<Eval.Row> out = new ArrayList<>();
    for (List<Object> r : rows) out.add(new Eval.Row(t, null, new HeapTuple(r.toArray(), 0)));
    return new Relation(t, out);
  }
}
