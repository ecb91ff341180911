package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * A plan over several relations: scans of the base relations (each a single-table {@link Plan}, a
 * parameterized index scan's Index Cond naming the outer Var), joins, and the Hash, Sort and Materialize
 * nodes between them. {@link #explain} is explain.c's text, every column qualified by its relation.
 */
public sealed interface JoinPlan {
  Costs.Cost cost();

  double rows();

  int width();

  /** Relation {@code rel} of the query (its position in FROM), scanned by {@code plan}. */
  record Scan(int rel, Plan plan) implements JoinPlan {
    public Costs.Cost cost() {
      return new Costs.Cost(plan.startupCost(), plan.totalCost());
    }

    public double rows() {
      return plan.rows();
    }

    public int width() {
      return plan.width();
    }
  }

  enum Method {
    NESTED_LOOP("Nested Loop", "Join Filter"), HASH("Hash Join", "Hash Cond"), MERGE("Merge Join", "Merge Cond");

    final String label;
    final String condLabel;

    Method(String label, String condLabel) {
      this.label = label;
      this.condLabel = condLabel;
    }
  }

  /**
   * A join of the rows satisfying {@code clause}; {@code condText} is how EXPLAIN prints it (null for a nested
   * loop whose inner index scan takes the clause as a parameter).
   */
  record Join(Method method, JoinPlan outer, JoinPlan inner, JoinQuery.Clause clause, String condText,
      Costs.Cost cost, double rows, int width) implements JoinPlan {}

  /** A node over one input that passes its rows through: its rows and width are its child's. */
  sealed interface OneChild extends JoinPlan {
    JoinPlan child();

    @Override
    default double rows() {
      return child().rows();
    }

    @Override
    default int width() {
      return child().width();
    }
  }

  record Material(JoinPlan child, Costs.Cost cost) implements OneChild {}

  /** A Memoize cache over a parameterized inner scan, keyed on the outer Var {@code key} ({@code a.x}). */
  record Memoize(JoinPlan child, String key, Costs.Cost cost) implements OneChild {}

  /** A Hash node costs what its input costs, all of it at startup (create_hashjoin_plan). */
  record Hash(JoinPlan child) implements OneChild {
    public Costs.Cost cost() {
      return new Costs.Cost(child.cost().total(), child.cost().total());
    }
  }

  /** An explicit Sort on {@code key} ({@code a.x}) for a merge join. */
  record Sort(JoinPlan child, String key, Costs.Cost cost) implements OneChild {}

  /** EXPLAIN's lines; {@code tables} names the relations by position. */
  static List<String> explain(JoinPlan p, boolean costs, List<String> tables) {
    List<String> out = new ArrayList<>();
    String line = Explain.cost(costs, p.cost().startup(), p.cost().total(), p.rows(), p.width());
    if (p instanceof Scan s) return Explain.scan(s.plan(), costs, "");
    if (p instanceof Join j) {
      out.add(j.method().label + line);
      if (j.condText() != null) out.add("  " + j.method().condLabel + ": " + j.condText());
      out = Explain.nest(out, explain(j.outer(), costs, tables));
      return Explain.nest(out, explain(j.inner(), costs, tables));
    }
    if (p instanceof Material m) {
      out.add("Materialize" + line);
      return Explain.nest(out, explain(m.child(), costs, tables));
    }
    if (p instanceof Memoize m) {
      out.add("Memoize" + line);
      out.add("  Cache Key: " + m.key());
      out.add("  Cache Mode: logical");
      return Explain.nest(out, explain(m.child(), costs, tables));
    }
    if (p instanceof Hash h) {
      out.add("Hash" + line);
      return Explain.nest(out, explain(h.child(), costs, tables));
    }
    Sort s = (Sort) p;
    out.add("Sort" + line);
    out.add("  Sort Key: " + s.key());
    return Explain.nest(out, explain(s.child(), costs, tables));
  }

  /** The join's EXPLAIN text. */
  public static List<String> text(JoinPlan p, boolean costs, List<String> tables) {
    return explain(p, costs, tables);
  }
}
