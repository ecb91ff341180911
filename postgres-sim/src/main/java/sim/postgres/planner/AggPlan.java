package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * An aggregate plan: an Aggregate, GroupAggregate, HashAggregate or Group node over a scan (itself possibly
 * under a Sort on the grouping columns). {@code strategy} is the node's explain.c name.
 */
public record AggPlan(String strategy, List<String> groupKeys, List<AggQuery.Having> having, double startupCost,
    double totalCost, double rows, int width, Plan input) {
  public AggPlan {
    groupKeys = List.copyOf(groupKeys);
    having = List.copyOf(having);
  }

  public boolean sortedOutput() {
    return strategy.equals("GroupAggregate") || strategy.equals("Group");
  }

  /** explain.c: the node, its Group Key (show_agg_keys), its HAVING as Filter (show_upper_qual), the input nested. */
  public List<String> text(boolean costs) {
    List<String> out = new ArrayList<>();
    out.add(strategy + Explain.cost(costs, startupCost, totalCost, rows, width));
    if (!groupKeys.isEmpty()) out.add("  Group Key: " + String.join(", ", groupKeys));
    if (!having.isEmpty()) out.add("  Filter: " + havingText());
    return Explain.nest(out, Explain.text(input, costs));
  }

  private String havingText() {
    List<String> parts = new ArrayList<>();
    for (AggQuery.Having h : having) parts.add("(" + h.agg() + " " + h.op() + " " + constant(h) + ")");
    return parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
  }

  /**
   * The constant as ruleutils.c prints it after the operator was chosen: a numeric aggregate (avg, sum of bigint)
   * compares with a numeric, so the integer literal was folded into {@code '5'::numeric}; the integer ones
   * (count and sum(int) are bigint, compared through int84 operators) keep the int4 literal.
   */
  private static String constant(AggQuery.Having h) {
    if (h.agg().resultType().equals("numeric")) return "'" + h.constant() + "'::numeric";
    return Explain.constant(h.constant());
  }
}
