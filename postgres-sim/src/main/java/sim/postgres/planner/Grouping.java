package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * planner.c's create_grouping_paths / add_paths_to_grouping_rel for one table, a pure function of the query,
 * the statistics and the settings. The input paths are the scan's (set_plain_rel_pathlist, with the GROUP BY
 * as query_pathkeys so an index on the first grouping column is kept for its order). Then:
 * <ul>
 *   <li>sorted strategies: over every input path already ordered by the grouping columns and over the cheapest
 *       path (under a Sort when it is not ordered), an Aggregate (no GROUP BY), a GroupAggregate, or a Group
 *       when there are no aggregates;</li>
 *   <li>hashing (a GROUP BY of hashable types): one HashAggregate over the cheapest path; enable_hashagg = off
 *       adds disable_cost to it.</li>
 * </ul>
 * Each goes through the grouped relation's add_path (a GroupAggregate keeps its pathkeys, so within 1% it wins
 * over a HashAggregate) and the cheapest total cost is the plan.
 */
public final class Grouping {
  private Grouping() {}

  /** A grouped path: the plan, its cost, and whether it delivers the grouping order (AGG_SORTED's pathkeys). */
  record GroupedPath(AggPlan plan, Costs.Cost cost, boolean sorted) implements Planner.Candidate {}

  /** The plan, or null when the query needs what is not modelled (Incremental Sort, min/max over an index, spills). */
  public static AggPlan plan(AggQuery q, RelInfo rel, PlannerSettings s) {
    List<String> keys = q.groupColumns();
    if (keys.stream().anyMatch(k -> Planner.pinned(k, q.quals()))) return null; // a redundant pathkey: not modelled
    if (minMaxOverIndex(q, rel)) return null;
    Planner.Query scan = new Planner.Query(q.neededColumns(), q.quals(), keys.isEmpty() ? null : keys.get(0), false, null);
    List<Planner.Path> input = Planner.scanPaths(scan, rel, s, false);
    Planner.Path cheapest = Planner.cheapest(input);
    double inputRows = cheapest.plan().rows();
    int inputWidth = cheapest.plan().width();
    double numGroups = NumGroups.estimate(keys, rel, inputRows, inputRows);
    List<AggQuery.Agg> aggs = q.aggregates();
    AggCosts.ClauseCosts cc = AggCosts.clauseCosts(aggs, s);
    int width = width(q, rel);
    List<GroupedPath> paths = new ArrayList<>();
    try {
      for (Planner.Path p : input) {
        boolean sorted = keys.isEmpty() || presorted(p, keys, rel, q.quals()) == keys.size();
        if (!sorted && presorted(p, keys, rel, q.quals()) > 0) return null; // PostgreSQL adds an Incremental Sort
        if (p != cheapest && !sorted) continue;
        Plan in = p.plan();
        Costs.Cost inCost = p.cost();
        if (!sorted) {
          inCost = Costs.sort(p.cost(), inputRows, inputWidth, -1.0, s);
          in = in.withSort(new Plan.Upper(inCost.startup(), inCost.total(), inputRows), String.join(", ", keys));
        }
        AggCosts.Strategy st = keys.isEmpty() ? AggCosts.Strategy.PLAIN
            : aggs.isEmpty() ? AggCosts.Strategy.GROUP : AggCosts.Strategy.SORTED;
        Planner.addPath(paths, path(st, q, cc, numGroups, in, inCost, inputWidth, width, s, !keys.isEmpty()), false);
      }
      if (!keys.isEmpty()) {
        Planner.addPath(paths, path(AggCosts.Strategy.HASHED, q, cc, numGroups, cheapest.plan(), cheapest.cost(),
            inputWidth, width, s, false), false);
      }
    } catch (UnsupportedOperationException spill) {
      return null;
    }
    return Planner.cheapest(paths).plan();
  }

  private static GroupedPath path(AggCosts.Strategy st, AggQuery q, AggCosts.ClauseCosts cc, double numGroups,
      Plan in, Costs.Cost inCost, int inputWidth, int width, PlannerSettings s, boolean sorted) {
    AggCosts.Agg a = AggCosts.agg(st, cc, q.groupColumns().size(), numGroups, inCost, in.rows(), inputWidth, s);
    a = AggCosts.having(a, q.having(), s);
    AggPlan plan = new AggPlan(st.label, q.groupColumns(), q.having(), a.startup(), a.total(), a.rows(), width, in);
    return new GroupedPath(plan, new Costs.Cost(a.startup(), a.total()), sorted);
  }

  /**
   * pathkeys_count_contained_in: how many leading grouping columns the path's order delivers. Only index scans
   * are ordered here: the index's columns, skipping those a {@code col = const} pins, must begin with the keys.
   */
  static int presorted(Planner.Path p, List<String> keys, RelInfo rel, List<Qual> quals) {
    if (!p.sorted() || p.plan().index() == null) return 0;
    RelInfo.IndexInfo ix = rel.indexes().stream().filter(i -> i.name().equals(p.plan().index())).findFirst().orElseThrow();
    int n = 0;
    for (String c : ix.columns()) {
      if (n < keys.size() && c.equals(keys.get(n))) n++;
      else if (n >= keys.size() || !Planner.pinned(c, quals)) break;
    }
    return n;
  }

  /**
   * preprocess_minmax_aggregates: without GROUP BY, a query whose aggregates are all min/max of columns an index
   * leads with may become an InitPlan of Limit over an index scan, chosen when cheaper. Not modelled: refused.
   */
  static boolean minMaxOverIndex(AggQuery q, RelInfo rel) {
    List<AggQuery.Agg> aggs = q.aggregates();
    if (!q.groupColumns().isEmpty() || aggs.isEmpty()) return false;
    if (aggs.stream().anyMatch(a -> !a.function().equals("min") && !a.function().equals("max"))) return false;
    return aggs.stream().anyMatch(a -> rel.indexes().stream().anyMatch(ix -> leads(ix, a.column(), q.quals())));
  }

  private static boolean leads(RelInfo.IndexInfo ix, String column, List<Qual> quals) {
    for (String c : ix.columns()) {
      if (c.equals(column)) return true;
      if (!Planner.pinned(c, quals)) return false;
    }
    return false;
  }

  /**
   * set_pathtarget_cost_width of the grouping target: a column's average width, an aggregate's result type's
   * (bigint 8, numeric 32 by get_typavgwidth, min/max their argument's).
   */
  static int width(AggQuery q, RelInfo rel) {
    int w = 0;
    for (AggQuery.Target t : q.tlist()) {
      if (t.agg() == null) w += rel.width().applyAsInt(t.column());
      else w += typeWidth(t.agg().resultType());
    }
    return w;
  }

  private static int typeWidth(String type) {
    return switch (type) {
      case "int8" -> 8;
      case "int4" -> 4;
      case "bool" -> 1;
      default -> 32; // numeric and text: get_typavgwidth of a varlena without typmod
    };
  }
}
