package sim.postgres.planner;

import java.util.List;

/**
 * An inner join of base relations as the planner gets it: each relation with its restriction clauses and
 * the columns needed above its scan, the equi-join clauses {@code left.x = right.y} between them in the
 * order written, and the output columns (for the join's width).
 */
public record JoinQuery(List<Rel> rels, List<Clause> clauses, List<Column> output) {
  public JoinQuery {
    rels = List.copyOf(rels);
    clauses = List.copyOf(clauses);
    output = List.copyOf(output);
  }

  /** A base relation: planner facts, restriction clauses in baserestrictinfo order, needed columns. */
  public record Rel(RelInfo info, List<Qual> quals, List<String> needed) {
    public Rel {
      quals = List.copyOf(quals);
      needed = List.copyOf(needed);
    }
  }

  /** Column {@code column} of relation {@code rel}. */
  public record Column(int rel, String column) {}

  /** {@code left = right}, as written. */
  public record Clause(Column left, Column right) {
    /** The side on relation {@code rel}. */
    Column side(int rel) {
      return left.rel() == rel ? left : right;
    }
  }
}
