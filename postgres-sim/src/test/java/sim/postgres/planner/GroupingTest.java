package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The grouping planner as a pure function: group counts and cost_agg by hand, the strategy flipping. */
class GroupingTest {
  static final PlannerSettings DEFAULTS = PlannerSettings.defaults();
  static final AggQuery.Agg COUNT = new AggQuery.Agg("count", null, null);

  static AggQuery byK(List<Qual> quals) {
    return new AggQuery(List.of("k"), List.of(new AggQuery.Target("k", null), new AggQuery.Target(null, COUNT)),
        List.of(), List.of(), List.of("k"), quals);
  }

  @Test
  void groupsAreTheDistinctCountScaledForTheRestriction() {
    RelInfo t = JoinPlannerTest.table("t", 10_000, 100, false);
    assertEquals(100, NumGroups.estimate(List.of("k"), t, 10_000, 10_000));
    double dellEra = Math.ceil(Costs.clampRowEst(100 * (1 - Math.pow((10_000 - 50.0) / 10_000, 10_000 / 100.0))));
    assertEquals(dellEra, NumGroups.estimate(List.of("k"), t, 50, 50), "50 rows of 100 values: about 40 groups");
    // two columns: 10,000 × 100 distinct pairs clamped to a tenth of the table, never below the larger count
    assertEquals(10_000, NumGroups.estimate(List.of("id", "k"), t, 10_000, 10_000));
  }

  @Test
  void hashAggregateCostsTheInputThenOneTupleCostPerGroup() {
    RelInfo t = JoinPlannerTest.table("t", 10_000, 100, false);
    AggPlan p = Grouping.plan(byK(List.of()), t, DEFAULTS);
    double seq = t.pages() + 10_000 * 0.01;
    double startup = seq + 10_000 * 0.0025 /* int8inc */ + 10_000 * 0.0025 /* hashing k */;
    assertEquals("HashAggregate", p.strategy());
    assertEquals(startup, p.startupCost(), 1e-9);
    assertEquals(startup + 100 * 0.01, p.totalCost(), 1e-9);
    assertEquals(12, p.width(), "k (4) and a bigint count (8)");
  }

  @Test
  void withoutHashingTheSortedInputWins() {
    RelInfo t = JoinPlannerTest.table("t", 10_000, 100, true);
    AggPlan p = Grouping.plan(byK(List.of()), t, DEFAULTS.with("enable_hashagg", false));
    assertEquals("GroupAggregate", p.strategy());
    double input = p.input().sort() == null ? p.input().totalCost() : p.input().sort().totalCost();
    assertEquals(input + 10_000 * 0.0025 * 2 + 100 * 0.01, p.totalCost(), 1e-9, "trans + comparison per row, a tuple per group");
  }

  @Test
  void havingKeepsAThirdOfTheGroupsPerInequality() {
    RelInfo t = JoinPlannerTest.table("t", 10_000, 100, false);
    AggQuery q = new AggQuery(List.of("k"), List.of(new AggQuery.Target("k", null)), List.of(),
        List.of(new AggQuery.Having(COUNT, ">", 5L)), List.of("k"), List.of());
    AggPlan p = Grouping.plan(q, t, DEFAULTS);
    assertEquals(Costs.clampRowEst(100 / 3.0), p.rows());
  }

  @Test
  void incrementalSortIsRefused() {
    RelInfo t = JoinPlannerTest.table("t", 10_000, 100, true);
    AggQuery q = new AggQuery(List.of("k", "id"), List.of(new AggQuery.Target(null, COUNT)), List.of(), List.of(),
        List.of("k", "id"), List.of());
    assertNull(Grouping.plan(q, t, DEFAULTS), "an index on k orders only a prefix of (k, id)");
  }
}
