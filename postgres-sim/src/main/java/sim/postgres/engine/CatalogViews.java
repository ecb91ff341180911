package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.planner.ColumnStats;
import sim.postgres.planner.PgText;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.SqlType;

/**
 * The catalog as a schedule reads it: {@code pg_stats} (pg_statistic in the view's form; the anyarray and
 * real[] columns in their text output) and {@code pg_class}'s planner columns for tables. Each is a
 * relation the executor scans like a table.
 */
final class CatalogViews {
  static final List<String> PG_STATS = List.of("schemaname", "tablename", "attname", "inherited", "null_frac",
      "avg_width", "n_distinct", "most_common_vals", "most_common_freqs", "histogram_bounds", "correlation");
  static final List<String> PG_CLASS = List.of("relname", "relkind", "relpages", "reltuples", "relallvisible");

  private CatalogViews() {}

  static boolean isView(Database db, String name) {
    return !db.tables.containsKey(name) && (name.equals("pg_stats") || name.equals("pg_class"));
  }

  static TableFunctions.Relation view(Database db, String name) {
    List<List<Object>> rows = new ArrayList<>();
    List<Table> tables = new ArrayList<>(db.tables.values());
    tables.sort((a, b) -> Integer.compare(a.oid, b.oid));
    if (name.equals("pg_class")) {
      for (Table t : tables) {
        rows.add(java.util.Arrays.asList(t.name, "r", (long) t.relPages, (float) t.relTuples, (long) t.relAllVisible));
        for (Table.Index ix : t.indexes) {
          long pages = db.state.btree(ix.name()).blocks();
          rows.add(java.util.Arrays.asList(ix.name(), "i", t.relPages == 0 ? 0L : pages, (float) (t.relPages == 0 ? -1 : t.relTuples), 0L));
        }
      }
      return relation(name, PG_CLASS, rows);
    }
    for (Table t : tables) {
      if (t.stats == null) continue;
      for (var col : t.columns) {
        ColumnStats s = t.stats.columns().get(col.name());
        if (s == null) continue;
        rows.add(java.util.Arrays.asList("public", t.name, col.name(), false, s.nullFrac(), (long) s.avgWidth(),
            s.nDistinct(), s.mcvValues().isEmpty() ? null : PgText.array(s.mcvValues()),
            s.mcvValues().isEmpty() ? null : PgText.floatArray(s.mcvFreqs()),
            s.histogram().isEmpty() ? null : PgText.array(s.histogram()), s.correlation()));
      }
    }
    return relation(name, PG_STATS, rows);
  }

  private static TableFunctions.Relation relation(String name, List<String> columns, List<List<Object>> rows) {
    List<ColumnDef> cols = new ArrayList<>();
    for (String c : columns) cols.add(new ColumnDef(c, SqlType.TEXT, false));
    Table t = new Table(name, 0, cols);
    List<Eval.Row> out = new ArrayList<>();
    for (List<Object> r : rows) out.add(new Eval.Row(t, null, new HeapTuple(r.toArray(), 0)));
    return new TableFunctions.Relation(t, out);
  }
}
