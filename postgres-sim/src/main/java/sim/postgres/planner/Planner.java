package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scan choice for a single-table SELECT, a pure function of the query, the statistics and the settings:
 * set_plain_rel_pathlist's paths (a Seq Scan, per B-tree index an Index Scan or, when the index holds every
 * column the query needs, an Index Only Scan, and a Bitmap Heap Scan over the cheapest Bitmap Index Scan)
 * through add_path's fuzzy dominance (1% on total cost) and set_cheapest.
 */
public final class Planner {
  /** STD_FUZZ_FACTOR of add_path. */
  static final double STD_FUZZ_FACTOR = 1.01;

  private Planner() {}

  /** The query: the columns the output needs (all of them for *) and the WHERE's conjuncts. */
  /**
   * The query: the columns the output needs (all of them for *), the WHERE's conjuncts, an ORDER BY of one
   * output column (null for none; ASC NULLS LAST or DESC NULLS FIRST) and the LIMIT count (null for none).
   */
  public record Query(List<String> outputColumns, List<Qual> quals, String orderColumn, boolean desc, Long limit) {
    public Query {
      outputColumns = List.copyOf(outputColumns);
      quals = List.copyOf(quals);
    }

    public Query(List<String> outputColumns, List<Qual> quals) {
      this(outputColumns, quals, null, false, null);
    }

    /**
     * root->query_pathkeys: the ORDER BY column, unless a {@code col = const} clause puts it in an equivalence
     * class with a constant, which makes the pathkey redundant (every row has the same value): then none.
     */
    String sortColumn() {
      if (orderColumn == null) return null;
      if (quals.stream().anyMatch(x -> x.column().equals(orderColumn) && x.op().equals("=") && !x.isBoolTest())) return null;
      return orderColumn;
    }
  }

  /** A column an equivalence class equates with a constant, or a boolean column a restriction fixes. */
  static boolean pinned(String column, List<Qual> quals) {
    return quals.stream().anyMatch(x -> x.column().equals(column) && x.op().equals("="));
  }

  /** A path: its plan, costs and whether its pathkeys deliver the query's ordering. */
  /** What add_path and set_cheapest compare: costs and whether the pathkeys deliver the wanted order. */
  interface Candidate {
    Costs.Cost cost();

    boolean sorted();
  }

  record Path(Plan plan, Costs.Cost cost, boolean sorted) implements Candidate {
    Path(Plan plan, Costs.Cost cost) {
      this(plan, cost, false);
    }
  }

  public static Plan plan(Query q, RelInfo rel, PlannerSettings s) {
    boolean startup = q.limit() != null; // set_base_rel_consider_startup: tuple_fraction > 0 under a LIMIT
    List<Path> paths = scanPaths(q, rel, s, startup);
    Path best = cheapest(paths);
    double rows = best.plan().rows();
    int width = best.plan().width();
    List<Path> top = new ArrayList<>();
    String key = q.sortColumn();
    for (Path p : paths) { // create_ordered_paths: a Sort over the cheapest path, and every presorted path
      if (key != null && p != best && !p.sorted()) continue;
      Plan plan = p.plan();
      if (key != null && !p.sorted()) {
        Costs.Cost c = Costs.sort(p.cost(), rows, width, startup ? Math.max(q.limit(), 1) : -1.0, s);
        plan = plan.withSort(new Plan.Upper(c.startup(), c.total(), rows), key + (q.desc() ? " DESC" : ""));
      }
      if (q.limit() != null) plan = plan.withLimit(Costs.limit(plan.topCost(), rows, q.limit()));
      // the ordered and final upper rels' add_path: a Limit path fuzzily as cheap but quicker to start wins
      addPath(top, new Path(plan, plan.topCost(), true), startup);
    }
    return cheapest(top).plan();
  }

  /** set_cheapest's cheapest_total_path: least total cost, then least startup, then the better pathkeys. */
  static <P extends Candidate> P cheapest(List<P> paths) {
    P best = paths.get(0);
    for (P p : paths) {
      int c = Double.compare(p.cost().total(), best.cost().total());
      if (c == 0) c = Double.compare(p.cost().startup(), best.cost().startup());
      if (c < 0 || c == 0 && p.sorted() && !best.sorted()) best = p;
    }
    return best;
  }

  /** set_plain_rel_pathlist: Seq Scan, per index a forward and (for DESC) a backward path, then the bitmap. */
  static List<Path> scanPaths(Query q, RelInfo rel, PlannerSettings s, boolean startup) {
    double rows = Costs.clampRowEst(rel.tuples() * Selectivity.clauselist(q.quals(), rel.columns()));
    int width = 0;
    for (String c : q.outputColumns()) width += rel.width().applyAsInt(c);
    List<Path> paths = new ArrayList<>();
    Costs.Cost seq = Costs.seqScan(rel, q.quals(), s);
    addPath(paths, new Path(Plan.scan(Plan.Kind.SEQ_SCAN, rel.name(), null, List.of(), q.quals(), seq, rows, width), seq), startup);
    List<BitmapChoice.Leaf> leaves = new ArrayList<>();
    for (int position = 0; position < rel.indexes().size(); position++) {
      leaves.addAll(BrinCosts.leaves(rel, q.quals(), s, position)); // BRIN: bitmap candidates only (no amgettuple)
      RelInfo.IndexInfo ix = rel.indexes().get(position);
      List<Qual> indexQuals = indexQuals(ix, q.quals());
      List<Qual> other = q.quals().stream().filter(x -> !indexQuals.contains(x)).toList();
      boolean indexOnly = s.enableIndexonlyscan() && covers(ix, q);
      boolean forward = orders(ix, q, false);
      boolean backward = orders(ix, q, true);
      if (indexQuals.isEmpty() && !indexOnly && !forward && !backward) continue;
      Costs.IndexPath ip = Costs.index(rel, ix, indexQuals, other, indexOnly, 1.0, s);
      Plan.Kind kind = indexOnly ? Plan.Kind.INDEX_ONLY_SCAN : Plan.Kind.INDEX_SCAN;
      List<Qual> shown = other.stream().filter(x -> !Implication.impliedByAny(x, indexQuals, order(rel, x))).toList();
      Plan scan = Plan.scan(kind, rel.name(), ix.name(), indexQuals, shown, ip.cost(), rows, width);
      boolean created = !indexQuals.isEmpty() || indexOnly || forward;
      if (created) addPath(paths, new Path(scan, ip.cost(), forward), startup);
      if (backward) addPath(paths, new Path(scan.backwardScan(), ip.cost(), true), startup);
      // get_index_paths: a path with pathkeys joins the bitmap candidates only if it selects something
      if (created && !forward || ip.indexSelectivity() < 1.0) leaves.add(new BitmapChoice.Leaf(ix, indexQuals, ip));
    }
    leaves.addAll(BrinCosts.leaves(rel, q.quals(), s, rel.indexes().size()));
    if (!leaves.isEmpty()) addPath(paths, bitmapPath(q, rel, s, rows, width, leaves), startup);
    return paths;
  }

  /**
   * build_index_pathkeys + truncate_useless_pathkeys: the index's first column that no restriction pins to a
   * constant is the ORDER BY column, ASC NULLS LAST read forward, DESC NULLS FIRST read backward.
   */
  static boolean orders(RelInfo.IndexInfo ix, Query q, boolean backward) {
    String key = q.sortColumn();
    if (key == null || q.desc() != backward) return false;
    for (String c : ix.columns()) {
      if (c.equals(key)) return true;
      if (!pinned(c, q.quals())) return false;
    }
    return false;
  }

  /** create_bitmap_heap_path over choose_bitmap_and's tree; Recheck Cond is its index quals in tree order. */
  private static Path bitmapPath(Query q, RelInfo rel, PlannerSettings s, double rows, int width,
      List<BitmapChoice.Leaf> leaves) {
    BitmapChoice.Tree tree = BitmapChoice.choose(leaves, rel, q.quals(), rows, s);
    Costs.Cost cost = Costs.bitmapHeap(rel, tree.cost(), tree.selectivity(), q.quals(), s);
    List<Qual> recheck = new ArrayList<>();
    List<Plan.BitmapIndex> nodes = new ArrayList<>();
    for (BitmapChoice.Leaf l : tree.leaves()) {
      recheck.addAll(l.quals());
      nodes.add(new Plan.BitmapIndex(l.index().name(), l.quals(), l.path().indexTotalCost(),
          Costs.clampRowEst(l.path().indexSelectivity() * rel.tuples())));
    }
    List<Qual> filter = q.quals().stream()
        .filter(x -> !recheck.contains(x) && !Implication.impliedByAny(x, recheck, order(rel, x))).toList();
    double andRows = Costs.clampRowEst(tree.selectivity() * rel.tuples());
    Plan plan = new Plan(Plan.Kind.BITMAP_HEAP_SCAN, rel.name(), null, recheck, filter, cost.startup(), cost.total(),
        rows, width, nodes, tree.cost(), andRows);
    return new Path(plan, cost);
  }

  private static java.util.Comparator<Object> order(RelInfo rel, Qual q) {
    return rel.columns().var(q.column()).order();
  }

  /** match_clause_to_index for a B-tree: {@code col op const} on a key column, op a btree strategy (not <>). */
  static List<Qual> indexQuals(RelInfo.IndexInfo ix, List<Qual> quals) {
    List<Qual> out = new ArrayList<>();
    for (String col : ix.columns()) {
      for (Qual q : quals) {
        if (q.column().equals(col) && !q.op().equals("<>") && !q.isBoolTest() && q.constant() != null) out.add(q);
      }
    }
    return out;
  }

  /** check_index_only: every column the output and the quals use is an index key column. */
  static boolean covers(RelInfo.IndexInfo ix, Query q) {
    Set<String> needed = new TreeSet<>(q.outputColumns());
    for (Qual x : q.quals()) needed.add(x.column());
    return ix.columns().containsAll(needed);
  }

  enum Cmp { EQUAL, BETTER1, BETTER2, DIFFERENT }

  /** compare_path_costs_fuzzily; with {@code startup} (consider_startup) a path cheaper to start is DIFFERENT. */
  static Cmp fuzzily(Costs.Cost a, Costs.Cost b, double fuzz, boolean startup) {
    if (a.total() > b.total() * fuzz) return startup && b.startup() > a.startup() * fuzz ? Cmp.DIFFERENT : Cmp.BETTER2;
    if (b.total() > a.total() * fuzz) return startup && a.startup() > b.startup() * fuzz ? Cmp.DIFFERENT : Cmp.BETTER1;
    if (a.startup() > b.startup() * fuzz) return Cmp.BETTER2;
    if (b.startup() > a.startup() * fuzz) return Cmp.BETTER1;
    return Cmp.EQUAL;
  }

  /**
   * add_path among unparameterized paths of equal rows and parallel safety: a path is dropped when another is
   * fuzzily no worse on cost and has pathkeys at least as good (sorted beats unsorted).
   */
  static <P extends Candidate> void addPath(List<P> paths, P added, boolean startup) {
    boolean accept = true;
    for (var it = paths.iterator(); it.hasNext(); ) {
      P old = it.next();
      Cmp c = fuzzily(added.cost(), old.cost(), STD_FUZZ_FACTOR, startup);
      if (c == Cmp.DIFFERENT) continue;
      int keys = Boolean.compare(added.sorted(), old.sorted()); // compare_pathkeys: >0 BETTER1, <0 BETTER2
      boolean removeOld = false;
      if (c == Cmp.EQUAL) {
        if (keys > 0) removeOld = true;
        else if (keys < 0) accept = false;
        else if (fuzzily(added.cost(), old.cost(), 1.0000000001, startup) == Cmp.BETTER1) removeOld = true;
        else accept = false;
      } else if (c == Cmp.BETTER1) {
        removeOld = keys >= 0;
      } else if (keys <= 0) {
        accept = false;
      }
      if (removeOld) it.remove();
      if (!accept) break;
    }
    if (accept) paths.add(added);
  }
}
