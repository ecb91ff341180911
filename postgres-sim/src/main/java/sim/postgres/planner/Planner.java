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
  public record Query(List<String> outputColumns, List<Qual> quals) {
    public Query {
      outputColumns = List.copyOf(outputColumns);
      quals = List.copyOf(quals);
    }
  }

  private record Path(Plan plan, Costs.Cost cost) {}

  public static Plan plan(Query q, RelInfo rel, PlannerSettings s) {
    double rows = Costs.clampRowEst(rel.tuples() * Selectivity.clauselist(q.quals(), rel.columns()));
    int width = 0;
    for (String c : q.outputColumns()) width += rel.width().applyAsInt(c);
    List<Path> paths = new ArrayList<>();
    Costs.Cost seq = Costs.seqScan(rel, q.quals(), s);
    addPath(paths, new Path(Plan.scan(Plan.Kind.SEQ_SCAN, rel.name(), null, List.of(), q.quals(), seq, rows, width), seq));
    List<BitmapChoice.Leaf> leaves = new ArrayList<>();
    for (RelInfo.IndexInfo ix : rel.indexes()) {
      List<Qual> indexQuals = indexQuals(ix, q.quals());
      List<Qual> other = q.quals().stream().filter(x -> !indexQuals.contains(x)).toList();
      boolean indexOnly = s.enableIndexonlyscan() && covers(ix, q);
      if (indexQuals.isEmpty() && !indexOnly) continue;
      Costs.IndexPath ip = Costs.index(rel, ix, indexQuals, other, indexOnly, rows, s);
      Plan.Kind kind = indexOnly ? Plan.Kind.INDEX_ONLY_SCAN : Plan.Kind.INDEX_SCAN;
      List<Qual> shown = other.stream().filter(x -> !Implication.impliedByAny(x, indexQuals, order(rel, x))).toList();
      addPath(paths, new Path(Plan.scan(kind, rel.name(), ix.name(), indexQuals, shown, ip.cost(), rows, width), ip.cost()));
      leaves.add(new BitmapChoice.Leaf(ix, indexQuals, ip)); // no pathkeys here, so every index path qualifies
    }
    if (!leaves.isEmpty()) addPath(paths, bitmapPath(q, rel, s, rows, width, leaves));
    Path best = paths.get(0);
    for (Path p : paths) {
      int c = Double.compare(p.cost().total(), best.cost().total());
      if (c < 0 || c == 0 && p.cost().startup() < best.cost().startup()) best = p;
    }
    return best.plan();
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

  private enum Cmp { EQUAL, BETTER1, BETTER2 }

  /** compare_path_costs_fuzzily for paths that do not consider startup cost (no LIMIT here). */
  private static Cmp fuzzily(Costs.Cost a, Costs.Cost b, double fuzz) {
    if (a.total() > b.total() * fuzz) return Cmp.BETTER2;
    if (b.total() > a.total() * fuzz) return Cmp.BETTER1;
    if (a.startup() > b.startup() * fuzz) return Cmp.BETTER2;
    if (b.startup() > a.startup() * fuzz) return Cmp.BETTER1;
    return Cmp.EQUAL;
  }

  /** add_path among paths with equal pathkeys, rows and parallel safety: the cost comparison decides. */
  private static void addPath(List<Path> paths, Path added) {
    boolean accept = true;
    for (var it = paths.iterator(); it.hasNext(); ) {
      Path old = it.next();
      Cmp c = fuzzily(added.cost(), old.cost(), STD_FUZZ_FACTOR);
      if (c == Cmp.EQUAL) c = fuzzily(added.cost(), old.cost(), 1.0000000001) == Cmp.BETTER1 ? Cmp.BETTER1 : Cmp.BETTER2;
      if (c == Cmp.BETTER1) it.remove();
      else accept = false;
      if (!accept) break;
    }
    if (accept) paths.add(added);
  }
}
