package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * selfuncs.c's estimate_num_groups for GROUP BY columns of one table: a boolean column counts 2 groups; the
 * others multiply their distinct counts (get_variable_numdistinct), clamped to the table's tuples (a tenth of
 * them for several columns, but never below the largest single count: the columns are probably correlated),
 * scaled down for the rows the restrictions keep (Dell'Era's formula), then rounded up and clamped to the input.
 */
final class NumGroups {
  private NumGroups() {}

  static double estimate(List<String> columns, RelInfo rel, double relRows, double inputRows) {
    inputRows = Costs.clampRowEst(inputRows);
    if (columns.isEmpty()) return 1.0;
    double numdistinct = 1.0;
    List<String> vars = new ArrayList<>();
    for (String c : columns) {
      if (rel.columns().var(c).isBool()) {
        numdistinct *= 2.0; // exprType(groupexpr) == BOOLOID, before any statistics are looked at
        continue;
      }
      if (!vars.contains(c)) vars.add(c); // add_unique_group_var drops a repeated Var
    }
    if (!vars.isEmpty()) numdistinct *= relDistinct(vars, rel, relRows);
    numdistinct = Math.ceil(numdistinct);
    if (numdistinct > inputRows) numdistinct = inputRows;
    if (numdistinct < 1.0) numdistinct = 1.0;
    return numdistinct;
  }

  /** The one relation's share: the product of its Vars' distinct counts, clamped and scaled for the restriction. */
  private static double relDistinct(List<String> vars, RelInfo rel, double relRows) {
    double reldistinct = 1;
    double relmaxndistinct = 1;
    for (String c : vars) {
      double nd = Selectivity.numDistinct(rel.columns().var(c)).value();
      reldistinct *= nd;
      if (relmaxndistinct < nd) relmaxndistinct = nd;
    }
    if (rel.tuples() <= 0) return 1.0; // an empty relation does not multiply the estimate
    double clamp = rel.tuples();
    if (vars.size() > 1) {
      clamp *= 0.1;
      if (clamp < relmaxndistinct) {
        clamp = relmaxndistinct;
        if (clamp > rel.tuples()) clamp = rel.tuples();
      }
    }
    if (reldistinct > clamp) reldistinct = clamp;
    if (reldistinct > 0 && relRows < rel.tuples()) {
      reldistinct *= 1 - Math.pow((rel.tuples() - relRows) / rel.tuples(), rel.tuples() / reldistinct);
    }
    return Costs.clampRowEst(reldistinct);
  }
}
