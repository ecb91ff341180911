package sim.postgres.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A base relation's paths for a join: set_plain_rel_pathlist's unparameterized paths (index paths ordered
 * on the join column are kept for merge joins, since that pathkey is useful for merging) and the
 * parameterized Index Scan and Bitmap Heap Scan paths that take the join clause {@code col = outer.col}
 * as an index condition, costed for {@code loopCount} repetitions (indxpath.c, get_loop_count).
 */
final class JoinPaths {
  private JoinPaths() {}

  /** A path: its plan, costs and whether it is ordered on the relation's join column. */
  record JPath(JoinPlan plan, Costs.Cost cost, boolean sorted) {
    double rows() {
      return plan.rows();
    }

    JoinCosts.Input input() {
      return new JoinCosts.Input(cost, plan.rows(), plan.width());
    }
  }

  /** The relation's paths sorted by total cost (add_path's pathlist order) and its cheapest ones. */
  record Base(int rel, List<JPath> pathlist, JPath cheapestTotal, JPath cheapestStartup, List<JPath> paramPaths,
      double rows, int width) {}

  /** The unparameterized paths of relation {@code i}, whose join column is {@code joinColumn}. */
  static Base base(JoinQuery q, int i, String joinColumn, PlannerSettings s) {
    JoinQuery.Rel r = q.rels().get(i);
    Planner.Query pq = new Planner.Query(r.needed(), r.quals(), joinColumn, false, null);
    List<Planner.Path> paths = Planner.scanPaths(pq, r.info(), s, false);
    Planner.Path best = Planner.cheapest(paths);
    List<JPath> list = new ArrayList<>();
    JPath total = null;
    for (Planner.Path p : paths) {
      JPath jp = new JPath(new JoinPlan.Scan(i, p.plan()), p.cost(), p.sorted());
      list.add(jp);
      if (p == best) total = jp;
    }
    list.sort(Comparator.comparingDouble(p -> p.cost().total())); // stable: equal costs keep their order
    JPath startup = list.get(0);
    for (JPath p : list) {
      int c = Double.compare(p.cost().startup(), startup.cost().startup());
      if (c == 0) c = Double.compare(p.cost().total(), startup.cost().total());
      if (c < 0 || c == 0 && p.sorted() && !startup.sorted()) startup = p;
    }
    return new Base(i, list, total, startup, List.of(), best.plan().rows(), best.plan().width());
  }

  /** The parameterized paths of {@code b} by the other relation's column {@code outer}, for loopCount outer rows. */
  static Base withParamPaths(JoinQuery q, Base b, String joinColumn, Param outer, double loopCount, PlannerSettings s) {
    JoinQuery.Rel r = q.rels().get(b.rel());
    RelInfo rel = r.info();
    Planner.Query pq = new Planner.Query(r.needed(), r.quals(), joinColumn, false, null);
    Qual param = new Qual(joinColumn, "=", outer);
    List<Qual> all = new ArrayList<>(r.quals());
    all.add(param);
    List<Qual> ppiFirst = new ArrayList<>();
    ppiFirst.add(param);
    ppiFirst.addAll(r.quals());
    // get_parameterized_baserel_size: the join clause and the restrictions, never more than the plain estimate
    double rows = Math.min(Costs.clampRowEst(rel.tuples() * Selectivity.clauselist(ppiFirst, rel.columns())), b.rows());
    List<Planner.Path> paths = new ArrayList<>();
    List<Planner.Path> bitmaps = new ArrayList<>();
    for (RelInfo.IndexInfo ix : rel.indexes()) {
      List<Qual> iq = Planner.indexQuals(ix, all);
      if (!iq.contains(param)) continue;
      List<Qual> other = all.stream().filter(x -> !iq.contains(x)).toList();
      boolean indexOnly = s.enableIndexonlyscan() && Planner.covers(ix, pq);
      Costs.IndexPath ip = Costs.index(rel, ix, iq, other, indexOnly, loopCount, s);
      List<Qual> constIq = iq.stream().filter(x -> !(x.constant() instanceof Param)).toList();
      List<Qual> shown = other.stream()
          .filter(x -> !Implication.impliedByAny(x, constIq, rel.columns().var(x.column()).order())).toList();
      Plan.Kind kind = indexOnly ? Plan.Kind.INDEX_ONLY_SCAN : Plan.Kind.INDEX_SCAN;
      Plan scan = Plan.scan(kind, rel.name(), ix.name(), iq, shown, ip.cost(), rows, b.width());
      // add_path treats a parameterized path as unordered: it cannot win on its sort order
      Planner.addPath(paths, new Planner.Path(scan, ip.cost(), false), false);
      bitmaps.add(bitmap(rel, ix, iq, all, ip, rows, b.width(), loopCount, s));
    }
    Planner.Path cheapestBitmap = null; // choose_bitmap_and of one parameterized leaf: the cheapest heap scan
    for (Planner.Path p : bitmaps) if (cheapestBitmap == null || p.cost().total() < cheapestBitmap.cost().total()) cheapestBitmap = p;
    if (cheapestBitmap != null) Planner.addPath(paths, cheapestBitmap, false);
    List<JPath> out = new ArrayList<>();
    for (Planner.Path p : paths) out.add(new JPath(new JoinPlan.Scan(b.rel(), p.plan()), p.cost(), p.sorted()));
    out.sort(Comparator.comparingDouble(p -> p.cost().total()));
    return new Base(b.rel(), b.pathlist(), b.cheapestTotal(), b.cheapestStartup(), out, b.rows(), b.width());
  }

  /** A parameterized Bitmap Heap Scan over one index: Recheck Cond its index clauses, the rest a Filter. */
  private static Planner.Path bitmap(RelInfo rel, RelInfo.IndexInfo ix, List<Qual> iq, List<Qual> all,
      Costs.IndexPath ip, double rows, int width, double loopCount, PlannerSettings s) {
    double indexCost = Costs.bitmapIndexCost(ip, rows, s);
    Costs.Cost cost = Costs.bitmapHeap(rel, indexCost, ip.indexSelectivity(), all, loopCount, ix.pages(), s);
    List<Qual> constIq = iq.stream().filter(x -> !(x.constant() instanceof Param)).toList();
    List<Qual> filter = all.stream()
        .filter(x -> !iq.contains(x) && !Implication.impliedByAny(x, constIq, rel.columns().var(x.column()).order())).toList();
    Plan.BitmapIndex node = new Plan.BitmapIndex(ix.name(), iq, ip.indexTotalCost(),
        Costs.clampRowEst(ip.indexSelectivity() * rel.tuples()));
    Plan plan = new Plan(Plan.Kind.BITMAP_HEAP_SCAN, rel.name(), null, iq, filter, cost.startup(), cost.total(), rows,
        width, List.of(node), 0, 0);
    return new Planner.Path(plan, cost, false);
  }
}
