package sim.postgres.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.mvcc.Visibility.VacuumStatus;
import sim.postgres.nbtree.BTree;
import sim.postgres.planner.Analyze;
import sim.postgres.planner.ColumnStats;
import sim.postgres.planner.Plan;
import sim.postgres.planner.Planner;
import sim.postgres.planner.Qual;
import sim.postgres.planner.RelInfo;
import sim.postgres.planner.RelStats;
import sim.postgres.planner.Selectivity;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.Literal;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.Ast.Star;
import sim.postgres.sql.Ast.Unary;
import sim.postgres.sql.SqlException;

/**
 * The engine's side of the planner: ANALYZE (the sample is every live row), the facts plancat.c gathers
 * for a table (estimate_rel_size, get_relation_info), and a SELECT turned into the planner's query. The
 * planner itself ({@code sim.postgres.planner}) sees only these values.
 */
final class Planning {
  /** SizeOfPageHeaderData subtracted from BLCKSZ, and a tuple's MAXALIGN'd header plus its line pointer. */
  private static final int USABLE_BYTES_PER_PAGE = HeapPage.BLCKSZ - HeapPage.PAGE_HEADER_BYTES;
  private static final int OVERHEAD_BYTES_PER_TUPLE = 24 + HeapPage.ITEM_ID_BYTES;
  static final Comparator<Object> ORDER = Eval::compare;

  private Planning() {}

  /** ANALYZE: pg_class's relpages, reltuples, relallvisible and every column's statistics. */
  static void analyze(Database db, Table t) {
    int horizon = db.oldestXmin();
    List<Object[]> rows = new ArrayList<>();
    t.forEachTuple((tid, tup) -> {
      VacuumStatus st = db.visibility.satisfiesVacuum(tup, horizon);
      if (st == VacuumStatus.LIVE || st == VacuumStatus.DELETE_IN_PROGRESS) rows.add(tup.values);
    });
    if (rows.size() > Analyze.SAMPLE_ROWS) {
      throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED,
          "ANALYZE of \"%s\": %d live rows; only tables of at most %d rows (sampled whole) are modelled", t.name, rows.size(), Analyze.SAMPLE_ROWS);
    }
    Map<String, ColumnStats> cols = new TreeMap<>();
    for (int c = 0; c < t.columns.size(); c++) {
      List<Object> sample = new ArrayList<>(rows.size());
      for (Object[] r : rows) sample.add(r[c]);
      cols.put(t.columns.get(c).name(), Analyze.compute(sample, t.types[c], ORDER));
    }
    t.relPages = t.pages.size();
    t.relTuples = rows.size();
    t.relAllVisible = (int) t.pages.stream().filter(p -> p.allVisible).count();
    t.stats = new RelStats(t.relPages, t.relTuples, t.relAllVisible, cols);
  }

  /**
   * index_update_stats after CREATE INDEX: the heap's relpages, reltuples (the tuples the build indexed,
   * recently dead ones too) and relallvisible, unless the table is empty and was never vacuumed (so an index
   * made with CREATE TABLE does not make the table look vacuumed).
   */
  static void indexBuilt(Database db, Table t) {
    int horizon = db.oldestXmin();
    long[] tuples = new long[1];
    t.forEachTuple((tid, tup) -> {
      if (db.visibility.satisfiesVacuum(tup, horizon) != VacuumStatus.DEAD) tuples[0]++;
    });
    if (tuples[0] == 0 && t.relTuples < 0) return;
    t.relPages = t.pages.size();
    t.relTuples = tuples[0];
    t.relAllVisible = (int) t.pages.stream().filter(p -> p.allVisible).count();
  }

  /** estimate_rel_size and get_relation_info for a heap with B-tree indexes. */
  static RelInfo relInfo(Database db, Table t) {
    double curpages = t.pages.size();
    if (curpages < 10 && t.relTuples < 0) curpages = 10; // never vacuumed or analyzed: assume 10 pages
    double tuples;
    if (curpages == 0) {
      tuples = 0;
    } else {
      double density;
      if (t.relTuples >= 0 && t.relPages > 0) {
        density = t.relTuples / t.relPages;
      } else {
        int tupleWidth = OVERHEAD_BYTES_PER_TUPLE;
        for (int c = 0; c < t.columns.size(); c++) tupleWidth += width(t, c);
        density = USABLE_BYTES_PER_PAGE / tupleWidth; // integer division, as plancat.c does
      }
      tuples = Math.rint(density * curpages);
    }
    double allVisFrac = t.relAllVisible == 0 || curpages <= 0 ? 0 : t.relAllVisible >= curpages ? 1 : t.relAllVisible / curpages;
    double relTuples = tuples;
    List<RelInfo.IndexInfo> indexes = new ArrayList<>();
    List<Table.Index> byOid = new ArrayList<>(t.indexes);
    // RelationGetIndexList is in OID order and get_relation_info lcons()es each: newest index first, which
    // decides exact cost ties (add_path keeps the earlier of two equal paths)
    byOid.sort((x, y) -> Integer.compare(y.oid(), x.oid()));
    for (Table.Index ix : byOid) {
      BTree tree = db.state.btree(ix.name());
      List<String> cols = ix.columns().stream().map(i -> t.columns.get(i).name()).toList();
      indexes.add(new RelInfo.IndexInfo(ix.name(), cols, ix.unique(), tree.blocks(), relTuples, tree.rootHeight()));
    }
    Selectivity.Columns columns = name -> var(db, t, name, relTuples);
    return new RelInfo(t.name, curpages, tuples, allVisFrac, indexes, columns, name -> width(t, t.columnIndex(name)),
        BrinPlanning.infos(db, t));
  }

  /** get_attavgwidth, else get_typavgwidth (32 for a text of unknown length). */
  static int width(Table t, int c) {
    ColumnStats st = t.stats == null ? null : t.stats.columns().get(t.columns.get(c).name());
    if (st != null && st.avgWidth() > 0) return st.avgWidth();
    return switch (t.types[c]) {
      case INT4 -> 4;
      case INT8 -> 8;
      case BOOL -> 1;
      case TEXT -> 32;
    };
  }

  private static Selectivity.Var var(Database db, Table t, String name, double relTuples) {
    int c = t.columnIndex(name);
    ColumnStats st = t.stats == null ? null : t.stats.columns().get(name);
    boolean unique = t.indexes.stream().anyMatch(ix -> ix.unique() && ix.columns().size() == 1 && ix.columns().get(0) == c);
    boolean indexed = t.indexes.stream().anyMatch(ix -> ix.columns().get(0) == c);
    Object[] range = indexed ? actualRange(db, t, c) : new Object[2];
    return new Selectivity.Var(st, unique, t.types[c] == SqlType.BOOL, relTuples, ORDER, range[0], range[1], indexed);
  }

  /** get_actual_variable_range: the smallest and largest non-null value not yet dead to everyone. */
  private static Object[] actualRange(Database db, Table t, int c) {
    int horizon = db.oldestXmin();
    Object[] range = new Object[2];
    t.forEachTuple((tid, tup) -> {
      Object v = tup.values[c];
      if (v == null || db.visibility.satisfiesVacuum(tup, horizon) == VacuumStatus.DEAD) return;
      if (range[0] == null || Eval.compare(v, range[0]) < 0) range[0] = v;
      if (range[1] == null || Eval.compare(v, range[1]) > 0) range[1] = v;
    });
    return range;
  }

  /** The planner's query for a single-table SELECT of columns, or null when it is outside what is modelled. */
  static Planner.Query query(Table t, Select sel) {
    List<String> out = new ArrayList<>();
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof Star) t.columns.forEach(cd -> out.add(cd.name()));
      else if (it.expr() instanceof ColumnRef c && t.columnIndex(c.name()) >= 0) out.add(c.name());
      else return null;
    }
    List<Qual> quals = new ArrayList<>();
    if (sel.where() != null && !quals(t, sel.where(), quals)) return null;
    if (sel.orderBy().size() > 1 || sel.lockMode() != null) return null;
    String orderColumn = null;
    boolean desc = false;
    if (!sel.orderBy().isEmpty()) { // one output column, with its direction's default NULLS placement
      sim.postgres.sql.Ast.OrderItem oi = sel.orderBy().get(0);
      if (!(oi.expr() instanceof ColumnRef c) || !out.contains(c.name()) || oi.nullsFirst() != oi.desc()) return null;
      if (sel.items().stream().anyMatch(it -> it.alias() != null)) return null;
      orderColumn = c.name();
      desc = oi.desc();
    }
    List<Qual> ordered = equivalenceOrder(quals);
    return ordered == null ? null : new Planner.Query(out, ordered, orderColumn, desc, sel.limit());
  }

  /**
   * baserestrictinfo's order: {@code col = const} clauses go into equivalence classes and are generated back
   * (generate_base_implied_equalities_const) after the other clauses, one per column and constant. Two
   * different constants for one column make PostgreSQL prove the clause list false (a Result with a
   * One-Time Filter), which is not modelled: null.
   */
  static List<Qual> equivalenceOrder(List<Qual> quals) {
    List<Qual> out = new ArrayList<>();
    List<Qual> equalities = new ArrayList<>();
    for (Qual q : quals) {
      boolean ec = q.op().equals("=") && !q.isBoolTest();
      if (!ec) {
        out.add(q);
        continue;
      }
      Qual same = equalities.stream().filter(e -> e.column().equals(q.column())).findFirst().orElse(null);
      if (same == null) equalities.add(q);
      else if (Eval.compare(same.constant(), q.constant()) != 0) return null;
    }
    out.addAll(equalities);
    return out;
  }

  static boolean quals(Table t, Expr e, List<Qual> out) {
    if (!(e instanceof Binary b)) return false;
    if (b.op().equals("and")) return quals(t, b.left(), out) && quals(t, b.right(), out);
    String op = b.op().equals("!=") ? "<>" : b.op();
    if (!List.of("=", "<>", "<", "<=", ">", ">=").contains(op)) return false;
    Object[] k;
    if (b.left() instanceof ColumnRef c && (k = constant(b.right())) != null) return add(t, c.name(), op, k[0], out);
    if (b.right() instanceof ColumnRef c && (k = constant(b.left())) != null) return add(t, c.name(), Qual.commute(op), k[0], out);
    return false;
  }

  private static boolean add(Table t, String col, String op, Object v, List<Qual> out) {
    int c = t.columnIndex(col);
    if (c < 0 || v == null) return false;
    SqlType type = t.types[c];
    boolean numeric = type == SqlType.INT4 || type == SqlType.INT8;
    if (numeric != v instanceof Long || type == SqlType.BOOL != v instanceof Boolean) return false;
    if (v instanceof Boolean bv) { // simplify_boolean_equality: f = true is f, f <> true is NOT f
      if (!op.equals("=") && !op.equals("<>")) return false;
      v = op.equals("=") == bv;
      op = "=";
    }
    out.add(new Qual(col, op, v));
    return true;
  }

  /** A literal (a negated number too), boxed so a null constant is told from no constant. */
  private static Object[] constant(Expr e) {
    if (e instanceof Literal l) return new Object[] {l.value()};
    if (e instanceof Unary u && u.op().equals("-") && u.operand() instanceof Literal l && l.value() instanceof Long n) {
      return new Object[] {-n};
    }
    return null;
  }

  static Plan plan(Database db, Session s, Table t, Planner.Query q) {
    return Planner.plan(q, relInfo(db, t), s.planner);
  }

  /** Rows an index scan returns: by index key (NULLs last, as ASC), then heap TID. */
  static void indexOrder(Table t, Plan p, List<Eval.Row> rows) {
    Table.Index ix = t.indexes.stream().filter(i -> i.name().equals(p.index())).findFirst().orElseThrow();
    Comparator<Eval.Row> cmp = (a, b) -> {
      for (int col : ix.columns()) {
        Object x = a.tuple().values[col];
        Object y = b.tuple().values[col];
        if (x == null || y == null) {
          if (x != y) return x == null ? 1 : -1;
          continue;
        }
        int c = Eval.compare(x, y);
        if (c != 0) return c;
      }
      return a.tid().compareTo(b.tid());
    };
    rows.sort(cmp);
  }
}
