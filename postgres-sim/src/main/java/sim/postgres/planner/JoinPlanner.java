package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.planner.JoinPaths.Base;
import sim.postgres.planner.JoinPaths.JPath;

/**
 * The join search for two relations, a pure function of the query, the statistics and the settings:
 * joinpath.c's add_paths_to_joinrel for each relation as the outer side in turn (sort_inner_and_outer,
 * match_unsorted_outer's nested loops and merge joins, hash_inner_and_outer), every path through
 * add_path, then the cheapest. The join clause is {@code first.x = second.y} whichever way it was written,
 * as the equivalence class machinery regenerates it with the first relation's member on the left.
 */
public final class JoinPlanner {
  private JoinPlanner() {}

  /** The cheapest join plan, or null when the query is outside what is modelled. */
  public static JoinPlan plan(JoinQuery q, List<String> tables, PlannerSettings s) {
    if (q.rels().size() != 2 || q.clauses().size() != 1) return null;
    JoinQuery.Clause c = q.clauses().get(0);
    JoinQuery.Column c0 = c.side(0);
    JoinQuery.Column c1 = c.side(1);
    if (c0.rel() == c1.rel()) return null;
    for (int i = 0; i < 2; i++) {
      JoinQuery.Column col = i == 0 ? c0 : c1;
      JoinQuery.Rel r = q.rels().get(i);
      if (Planner.pinned(col.column(), r.quals())) return null; // an equivalence class with a constant
      // innerrel_is_unique: a unique index on the join column changes the costing (semi-join factors)
      if (r.info().indexes().stream().anyMatch(ix -> ix.unique() && ix.columns().equals(List.of(col.column())))) return null;
    }
    Base b0 = JoinPaths.base(q, 0, c0.column(), s);
    Base b1 = JoinPaths.base(q, 1, c1.column(), s);
    b0 = JoinPaths.withParamPaths(q, b0, c0.column(), new Param(tables.get(1), c1.column()), b1.rows(), s);
    b1 = JoinPaths.withParamPaths(q, b1, c1.column(), new Param(tables.get(0), c0.column()), b0.rows(), s);
    JoinQuery.Clause clause = new JoinQuery.Clause(c0, c1);
    Selectivity.Var v0 = q.rels().get(0).info().columns().var(c0.column());
    Selectivity.Var v1 = q.rels().get(1).info().columns().var(c1.column());
    double selec = JoinSel.eqjoinsel(v0, v1);
    double rows = Costs.clampRowEst(b0.rows() * b1.rows() * selec);
    int width = 0;
    for (JoinQuery.Column col : q.output()) width += q.rels().get(col.rel()).info().width().applyAsInt(col.column());
    Ctx ctx = new Ctx(q, tables, s, clause, selec, rows, width, JoinSel.mergeScanSel(v0, v1), new ArrayList<>());
    ctx.addPathsToJoinrel(b0, b1);
    ctx.addPathsToJoinrel(b1, b0);
    JPath best = ctx.paths().get(0);
    for (JPath p : ctx.paths()) {
      int cmp = Double.compare(p.cost().total(), best.cost().total());
      if (cmp == 0) cmp = Double.compare(p.cost().startup(), best.cost().startup());
      if (cmp < 0) best = p;
    }
    return best.plan();
  }

  /** One join relation's state: its clause, size, the scan fractions and the pathlist add_path keeps. */
  private record Ctx(JoinQuery q, List<String> tables, PlannerSettings s, JoinQuery.Clause clause, double selec,
      double rows, int width, JoinSel.ScanSel scanSel, List<JPath> paths) {

    void addPathsToJoinrel(Base outer, Base inner) {
      if (s.enableMergejoin()) tryMerge(outer, inner, outer.cheapestTotal(), inner.cheapestTotal());
      matchUnsortedOuter(outer, inner);
      if (s.enableHashjoin()) hashInnerAndOuter(outer, inner);
    }

    private void matchUnsortedOuter(Base outer, Base inner) {
      JPath innerTotal = inner.cheapestTotal();
      JPath mat = null;
      if (s.enableMaterial()) {
        Costs.Cost mc = JoinCosts.material(innerTotal.input(), s);
        mat = new JPath(new JoinPlan.Material(innerTotal.plan(), mc), mc, false);
      }
      for (JPath op : outer.pathlist()) {
        nestloop(outer, op, innerTotal, false, false);
        for (JPath ip : inner.paramPaths()) {
          nestloop(outer, op, ip, true, false);
          memoize(outer, op, ip);
        }
        if (mat != null) nestloop(outer, op, mat, false, true);
        if (!s.enableMergejoin() || !op.sorted()) continue;
        // generate_mergejoin_paths: sort the cheapest inner, then the cheapest presorted inner paths
        tryMerge(outer, inner, op, innerTotal);
        JPath cheapestTotalInner = innerTotal.sorted() ? innerTotal : null;
        JPath cheapestStartupInner = cheapestTotalInner;
        JPath ip = cheapestSorted(inner, true);
        if (ip != null && (cheapestTotalInner == null || compare(ip, cheapestTotalInner, true) < 0)) {
          tryMerge(outer, inner, op, ip);
          cheapestTotalInner = ip;
        }
        ip = cheapestSorted(inner, false);
        if (ip != null && (cheapestStartupInner == null || compare(ip, cheapestStartupInner, false) < 0)) {
          if (ip != cheapestTotalInner) tryMerge(outer, inner, op, ip);
        }
      }
    }

    /** get_cheapest_path_for_pathkeys over the unparameterized paths ordered on the join column. */
    private static JPath cheapestSorted(Base b, boolean total) {
      JPath best = null;
      for (JPath p : b.pathlist()) {
        if (p.sorted() && (best == null || compare(best, p, total) > 0)) best = p;
      }
      return best;
    }

    /** compare_path_costs by TOTAL_COST (then startup) or STARTUP_COST (then total). */
    private static int compare(JPath a, JPath b, boolean total) {
      double a1 = total ? a.cost().total() : a.cost().startup();
      double b1 = total ? b.cost().total() : b.cost().startup();
      if (a1 != b1) return a1 < b1 ? -1 : 1;
      double a2 = total ? a.cost().startup() : a.cost().total();
      double b2 = total ? b.cost().startup() : b.cost().total();
      return Double.compare(a2, b2);
    }

    private void hashInnerAndOuter(Base outer, Base inner) {
      hash(outer, inner, outer.cheapestStartup(), inner.cheapestTotal());
      if (outer.cheapestTotal() != outer.cheapestStartup()) hash(outer, inner, outer.cheapestTotal(), inner.cheapestTotal());
    }

    private String col(JoinQuery.Column c) {
      return tables.get(c.rel()) + "." + c.column();
    }

    /** The clause with the outer relation's side first, as get_switched_clauses gives a hash or merge join. */
    private String switched(Base outer) {
      JoinQuery.Column o = clause.side(outer.rel());
      JoinQuery.Column i = clause.left() == o ? clause.right() : clause.left();
      return "(" + col(o) + " = " + col(i) + ")";
    }

    private void nestloop(Base outer, JPath op, JPath ip, boolean parameterized, boolean materializes) {
      Costs.Cost cost = JoinCosts.nestloop(op.input(), ip.input(), materializes, parameterized ? 0 : 1, s);
      String filter = parameterized ? null : "(" + col(clause.left()) + " = " + col(clause.right()) + ")";
      addJoin(new JoinPlan.Join(JoinPlan.Method.NESTED_LOOP, op.plan(), ip.plan(), clause, filter, cost, rows, width));
    }

    /**
     * get_memoize_path and a nested loop over it: the parameterized inner scan's rows cached per outer key,
     * a rescan costing what cost_memoize_rescan expects from the hit ratio.
     */
    private void memoize(Base outer, JPath op, JPath ip) {
      if (!s.enableMemoize() || outer.rows() < 2) return;
      JoinQuery.Column key = clause.side(outer.rel());
      JoinQuery.Rel rel = q.rels().get(outer.rel());
      Selectivity.Var v = rel.info().columns().var(key.column());
      double calls = op.rows();
      double ndistinct = JoinSel.numGroups(v, rel.info().tuples(), outer.rows(), calls);
      if (ndistinct < 0) ndistinct = calls;
      Costs.Cost cost = new Costs.Cost(ip.cost().startup() + s.cpuTupleCost(), ip.cost().total() + s.cpuTupleCost());
      JoinPlan.Memoize m = new JoinPlan.Memoize(ip.plan(), col(key), cost);
      int keyWidth = rel.info().width().applyAsInt(key.column());
      Costs.Cost rescan = JoinCosts.memoizeRescan(ip.input(), calls, ndistinct, keyWidth, s);
      JoinCosts.Input in = new JoinCosts.Input(cost, ip.rows(), ip.plan().width());
      Costs.Cost nl = JoinCosts.nestloop(op.input(), in, rescan, 0, s);
      addJoin(new JoinPlan.Join(JoinPlan.Method.NESTED_LOOP, op.plan(), m, clause, null, nl, rows, width));
    }

    private void hash(Base outer, Base inner, JPath op, JPath ip) {
      int buckets = JoinCosts.hashBuckets(ip.rows(), ip.plan().width());
      if (buckets < 0) return; // several batches: not modelled
      JoinQuery.Column innerCol = clause.side(inner.rel());
      Selectivity.Var v = q.rels().get(innerCol.rel()).info().columns().var(innerCol.column());
      JoinSel.BucketStats bs = JoinSel.hashBucketStats(v, inner.rows(), buckets);
      double tuples = Costs.clampRowEst(selec * op.rows() * ip.rows());
      Costs.Cost cost = JoinCosts.hashjoin(op.input(), ip.input(), 1, bs.bucketSizeFrac(), bs.mcvFreq(), tuples, s);
      JoinPlan.Hash h = new JoinPlan.Hash(ip.plan());
      addJoin(new JoinPlan.Join(JoinPlan.Method.HASH, op.plan(), h, clause, switched(outer), cost, rows, width));
    }

    private void tryMerge(Base outer, Base inner, JPath op, JPath ip) {
      boolean outerSort = !op.sorted();
      boolean innerSort = !ip.sorted();
      boolean outerIsLeft = clause.left().rel() == outer.rel();
      double os = outerIsLeft ? scanSel.leftStart() : scanSel.rightStart();
      double oe = outerIsLeft ? scanSel.leftEnd() : scanSel.rightEnd();
      double is = outerIsLeft ? scanSel.rightStart() : scanSel.leftStart();
      double ie = outerIsLeft ? scanSel.rightEnd() : scanSel.leftEnd();
      double tuples = Costs.clampRowEst(selec * op.rows() * ip.rows());
      JoinCosts.Merge m = JoinCosts.mergejoin(op.input(), ip.input(), outerSort, innerSort, os, oe, is, ie, tuples, s);
      JoinPlan o = op.plan();
      if (outerSort) o = new JoinPlan.Sort(o, col(clause.side(outer.rel())), Costs.sort(op.cost(), op.rows(), o.width(), -1.0, s));
      JoinPlan i = ip.plan();
      if (innerSort) i = new JoinPlan.Sort(i, col(clause.side(inner.rel())), Costs.sort(ip.cost(), ip.rows(), i.width(), -1.0, s));
      if (m.materializeInner()) {
        Costs.Cost ic = i.cost();
        i = new JoinPlan.Material(i, new Costs.Cost(ic.startup(), ic.total() + s.cpuOperatorCost() * i.rows()));
      }
      addJoin(new JoinPlan.Join(JoinPlan.Method.MERGE, o, i, clause, switched(outer), m.cost(), rows, width));
    }

    /**
     * add_path for the join relation, whose paths all have the same rows and (at the top level) no useful
     * pathkeys: a path fuzzily no cheaper than an old one is dropped, one cheaper replaces it; exact ties keep
     * the older. The list stays sorted by total cost.
     */
    private void addJoin(JoinPlan.Join j) {
      JPath added = new JPath(j, j.cost(), false);
      for (var it = paths.iterator(); it.hasNext(); ) {
        JPath old = it.next();
        Planner.Cmp c = Planner.fuzzily(added.cost(), old.cost(), Planner.STD_FUZZ_FACTOR, false);
        if (c == Planner.Cmp.BETTER2) return;
        if (c == Planner.Cmp.EQUAL && Planner.fuzzily(added.cost(), old.cost(), 1.0000000001, false) != Planner.Cmp.BETTER1) return;
        it.remove();
      }
      int at = 0;
      while (at < paths.size() && paths.get(at).cost().total() <= added.cost().total()) at++;
      paths.add(at, added);
    }
  }
}
