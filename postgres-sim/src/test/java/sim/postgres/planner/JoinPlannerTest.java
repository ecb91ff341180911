package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.postgres.sql.Ast.SqlType;

/** The join planner as a pure function: estimates and costs by hand, the method flipping with the inputs. */
class JoinPlannerTest {
  static final PlannerSettings DEFAULTS = PlannerSettings.defaults();

  /** A table {@code name} of n rows: id = 1..n, k = id % m, an index on k; 4-byte columns, 45 pages per 10,000 rows. */
  static RelInfo table(String name, int n, int m, boolean indexed) {
    List<Object> ids = new ArrayList<>();
    List<Object> ks = new ArrayList<>();
    for (long g = 1; g <= n; g++) {
      ids.add(g);
      ks.add(g % m);
    }
    ColumnStats id = Analyze.compute(ids, SqlType.INT4, AnalyzeTest.ORDER);
    ColumnStats k = Analyze.compute(ks, SqlType.INT4, AnalyzeTest.ORDER);
    Selectivity.Columns cols = c -> c.equals("id")
        ? new Selectivity.Var(id, false, false, n, AnalyzeTest.ORDER, 1L, (long) n, false)
        : new Selectivity.Var(k, false, false, n, AnalyzeTest.ORDER, 0L, (long) m - 1, indexed);
    double pages = Math.ceil(n / 222.0);
    List<RelInfo.IndexInfo> ix = indexed
        ? List.of(new RelInfo.IndexInfo(name + "_k", List.of("k"), false, Math.ceil(n / 400.0) + 1, n, 1)) : List.of();
    return new RelInfo(name, pages, n, 0, ix, cols, c -> 4);
  }

  static JoinQuery query(RelInfo a, RelInfo b, List<Qual> aQuals) {
    return new JoinQuery(List.of(new JoinQuery.Rel(a, aQuals, List.of("id", "k")), new JoinQuery.Rel(b, List.of(), List.of("id", "k"))),
        List.of(new JoinQuery.Clause(new JoinQuery.Column(0, "k"), new JoinQuery.Column(1, "k"))),
        List.of(new JoinQuery.Column(0, "id"), new JoinQuery.Column(1, "id")));
  }

  @Test
  void eqjoinselWithoutMcvsIsOneOverTheLargerDistinctCount() {
    RelInfo a = table("a", 1000, 1000, false); // k all distinct: no MCV list
    RelInfo b = table("b", 1000, 1000, false);
    double sel = JoinSel.eqjoinsel(a.columns().var("id"), b.columns().var("id"));
    assertEquals(1.0 / 1000, sel, 1e-15);
  }

  @Test
  void eqjoinselMatchesTheMcvListsValueByValue() {
    RelInfo a = table("a", 1000, 10, false); // ten values, each an MCV of frequency 0.1
    RelInfo b = table("b", 1000, 20, false); // twenty values of 0.05; ten of them match a's
    double sel = JoinSel.eqjoinsel(a.columns().var("k"), b.columns().var("k"));
    double matchprodfreq = 0;
    for (int i = 0; i < 10; i++) matchprodfreq += 0.1f * 0.05f; // float4 products, as C multiplies them
    assertEquals(matchprodfreq, sel, 1e-12, "every row is an MCV: only the matched pairs count");
  }

  @Test
  void hashBucketsAreAPowerOfTwoOfAtLeast1024() {
    assertEquals(1024, JoinCosts.hashBuckets(10, 8));
    assertEquals(2048, JoinCosts.hashBuckets(1025, 8));
    assertEquals(32768, JoinCosts.hashBuckets(20_000, 12));
  }

  @Test
  void aHashJoinReadsBothSidesOnceAndHashesTheInner() {
    RelInfo a = table("a", 20_000, 20_000, false);
    RelInfo b = table("b", 1_000, 1_000, false);
    JoinPlan p = JoinPlanner.plan(query(a, b, List.of()), List.of("a", "b"), DEFAULTS);
    JoinPlan.Join j = assertInstanceOf(JoinPlan.Join.class, p);
    assertEquals(JoinPlan.Method.HASH, j.method());
    JoinPlan.Scan outer = assertInstanceOf(JoinPlan.Scan.class, j.outer());
    assertEquals("a", outer.plan().table(), "the big side probes, the small one is hashed");
    assertEquals("(a.k = b.k)", j.condText());
    double seqA = a.pages() + 0.01 * 20_000;
    double seqB = b.pages() + 0.01 * 1_000;
    double startup = seqB + (0.0025 + 0.01) * 1_000;
    double rows = Costs.clampRowEst(20_000 * 1_000 / 20_000.0);
    double bucket = 1.0 / 1_000; // 1000 distinct inner keys in 1024 buckets
    double run = seqA + 0.0025 * 20_000 + 0.0025 * 20_000 * Costs.clampRowEst(1_000 * bucket) * 0.5 + 0.01 * rows;
    assertEquals(startup, j.cost().startup(), 1e-9);
    assertEquals(startup + run, j.cost().total(), 1e-9);
  }

  @Test
  void fewOuterRowsMakeANestedLoopOverTheParameterizedIndex() {
    RelInfo a = table("a", 20_000, 20_000, false);
    RelInfo b = table("b", 20_000, 20_000, true);
    JoinPlan p = JoinPlanner.plan(query(a, b, List.of(new Qual("id", "<", 5L))), List.of("a", "b"), DEFAULTS);
    JoinPlan.Join j = assertInstanceOf(JoinPlan.Join.class, p);
    assertEquals(JoinPlan.Method.NESTED_LOOP, j.method());
    assertNull(j.condText(), "the join clause is the inner scan's Index Cond");
    JoinPlan.Scan inner = assertInstanceOf(JoinPlan.Scan.class, j.inner());
    assertTrue(inner.plan().indexQuals().get(0).constant() instanceof Param, "k = a.k");
    assertEquals("(k = a.k)", Explain.deparse(inner.plan().indexQuals()));
  }

  @Test
  void turningAMethodOffTakesTheNextCheapest() {
    RelInfo a = table("a", 20_000, 20_000, true);
    RelInfo b = table("b", 20_000, 20_000, true);
    JoinQuery q = query(a, b, List.of());
    JoinPlan.Join hash = (JoinPlan.Join) JoinPlanner.plan(q, List.of("a", "b"), DEFAULTS);
    assertEquals(JoinPlan.Method.HASH, hash.method());
    JoinPlan.Join other = (JoinPlan.Join) JoinPlanner.plan(q, List.of("a", "b"), DEFAULTS.with("enable_hashjoin", false));
    assertTrue(other.method() != JoinPlan.Method.HASH);
    assertTrue(other.cost().total() >= hash.cost().total(), "the hash join was the cheapest");
    JoinPlan.Join forced = (JoinPlan.Join) JoinPlanner.plan(q, List.of("a", "b"),
        DEFAULTS.with("enable_hashjoin", false).with("enable_mergejoin", false).with("enable_nestloop", false));
    assertEquals(JoinPlan.Method.NESTED_LOOP, forced.method(), "a nested loop is always possible, at disable_cost");
    assertTrue(forced.cost().startup() >= PlannerSettings.DISABLE_COST);
  }
}
