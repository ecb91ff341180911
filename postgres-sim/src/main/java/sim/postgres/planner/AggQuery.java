package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * A single-table grouping query as the grouping planner sees it: the GROUP BY columns (none for a plain
 * aggregate), the select list's entries in order (a column or an aggregate), the aggregates HAVING alone uses,
 * the HAVING conjuncts {@code agg op const}, and the scan's needs (its columns and WHERE conjuncts).
 */
public record AggQuery(List<String> groupColumns, List<Target> targets, List<Agg> havingAggs, List<Having> having,
    List<String> neededColumns, List<Qual> quals) {
  public AggQuery {
    groupColumns = List.copyOf(groupColumns);
    targets = List.copyOf(targets);
    havingAggs = List.copyOf(havingAggs);
    having = List.copyOf(having);
    neededColumns = List.copyOf(neededColumns);
    quals = List.copyOf(quals);
  }

  /** An aggregate call: count/sum/avg/min/max of a column of {@code argType} (int4, int8, text), or count(*). */
  public record Agg(String function, String column, String argType) {
    /** The result type's name: count bigint, sum(int4) bigint, sum(int8) and avg numeric, min/max the argument's. */
    public String resultType() {
      return switch (function) {
        case "count" -> "int8";
        case "sum" -> argType.equals("int4") ? "int8" : "numeric";
        case "avg" -> "numeric";
        default -> argType;
      };
    }

    /** ruleutils.c's text: {@code count(*)}, {@code sum(v)}. */
    @Override
    public String toString() {
      return function + "(" + (column == null ? "*" : column) + ")";
    }
  }

  /** A select-list entry: a grouping column or an aggregate. */
  public record Target(String column, Agg agg) {}

  /** A HAVING conjunct {@code agg op constant}, op one of <, <=, >, >=. */
  public record Having(Agg agg, String op, Object constant) {}

  /** Every distinct aggregate of the select list and HAVING (find_compatible_agg shares equal calls). */
  List<Agg> aggregates() {
    List<Agg> out = new ArrayList<>();
    for (Target t : targets) if (t.agg() != null && !out.contains(t.agg())) out.add(t.agg());
    for (Agg a : havingAggs) if (!out.contains(a)) out.add(a);
    for (Having h : having) if (!out.contains(h.agg())) out.add(h.agg());
    return out;
  }

  /** The grouping target's tlist: the select list, then the GROUP BY columns it lacks (resjunk entries). */
  List<Target> tlist() {
    List<Target> out = new ArrayList<>(targets);
    for (String g : groupColumns) {
      if (targets.stream().noneMatch(t -> g.equals(t.column()))) out.add(new Target(g, null));
    }
    return out;
  }
}
