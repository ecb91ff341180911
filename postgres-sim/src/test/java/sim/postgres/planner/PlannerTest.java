package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.postgres.sql.Ast.SqlType;

/** The planner as a pure function: costs by hand, the choice flipping with selectivity, enable_* settings. */
class PlannerTest {
  static final PlannerSettings DEFAULTS = PlannerSettings.defaults();

  /** A 10,000-row, 55-page table: id unique and in order, k = id % 100 scattered over every page. */
  static RelInfo table(double allVisFrac) {
    List<Object> ids = new ArrayList<>();
    List<Object> ks = new ArrayList<>();
    for (long g = 1; g <= 10_000; g++) {
      ids.add(g);
      ks.add(g % 100);
    }
    ColumnStats id = Analyze.compute(ids, SqlType.INT4, AnalyzeTest.ORDER);
    ColumnStats k = Analyze.compute(ks, SqlType.INT4, AnalyzeTest.ORDER);
    Selectivity.Columns cols = name -> name.equals("id")
        ? new Selectivity.Var(id, false, false, 10_000, AnalyzeTest.ORDER, 1L, 10_000L, true)
        : new Selectivity.Var(k, false, false, 10_000, AnalyzeTest.ORDER, 0L, 99L, true);
    List<RelInfo.IndexInfo> ix = List.of(new RelInfo.IndexInfo("t_id", List.of("id"), false, 30, 10_000, 1),
        new RelInfo.IndexInfo("t_k", List.of("k"), false, 12, 10_000, 1));
    return new RelInfo("t", 55, 10_000, allVisFrac, ix, cols, c -> 4);
  }

  static Plan plan(String col, String op, long k, PlannerSettings s) {
    return Planner.plan(new Planner.Query(List.of("id", "k"), List.of(new Qual(col, op, k))), table(0), s);
  }

  @Test
  void seqScanCostsPagesPlusTuplesTimesCpuTupleAndOperatorCost() {
    Costs.Cost c = Costs.seqScan(table(0), List.of(new Qual("k", "<", 5L)), DEFAULTS);
    assertEquals(0.0, c.startup());
    assertEquals(55 + 10_000 * (0.01 + 0.0025), c.total(), 1e-9);
  }

  @Test
  void mackertLohmanCountsDistinctPagesWhenTheTableFitsInCache() {
    assertEquals(Math.ceil(2.0 * 55 * 100 / (2.0 * 55 + 100)), Costs.indexPagesFetched(100, 55, 12, 55, DEFAULTS));
    assertEquals(55, Costs.indexPagesFetched(1_000_000, 55, 12, 55, DEFAULTS), "never more than the table");
  }

  @Test
  void thePlanFlipsFromIndexToBitmapToSeqAsMoreRowsQualify() {
    assertEquals(Plan.Kind.INDEX_SCAN, plan("id", "<", 50, DEFAULTS).kind(), "few correlated rows");
    assertEquals(Plan.Kind.BITMAP_HEAP_SCAN, plan("k", "=", 5, DEFAULTS).kind(), "100 rows on 53 pages");
    assertEquals(Plan.Kind.SEQ_SCAN, plan("k", "<", 60, DEFAULTS).kind(), "most pages anyway");
  }

  @Test
  void enableSettingsAddDisableCostRatherThanRemovingPaths() {
    Plan noSeq = plan("k", "<", 60, DEFAULTS.with("enable_seqscan", false));
    assertTrue(noSeq.kind() != Plan.Kind.SEQ_SCAN);
    PlannerSettings none = DEFAULTS.with("enable_seqscan", false).with("enable_bitmapscan", false).with("enable_indexscan", false);
    Plan forced = Planner.plan(new Planner.Query(List.of("id"), List.of()), table(0), none);
    assertEquals(Plan.Kind.SEQ_SCAN, forced.kind(), "no index qual: only the disabled seq scan remains");
    assertTrue(forced.startupCost() >= PlannerSettings.DISABLE_COST);
  }

  @Test
  void indexOnlyScanIsCheaperTheMoreOfTheHeapIsAllVisible() {
    Planner.Query q = new Planner.Query(List.of("id"), List.of(new Qual("id", "<", 3000L)));
    Plan cold = Planner.plan(q, table(0), DEFAULTS);
    Plan warm = Planner.plan(q, table(1), DEFAULTS);
    assertEquals(Plan.Kind.INDEX_ONLY_SCAN, warm.kind());
    assertTrue(warm.totalCost() < cold.totalCost() || cold.kind() != Plan.Kind.INDEX_ONLY_SCAN);
    Plan off = Planner.plan(q, table(1), DEFAULTS.with("enable_indexonlyscan", false));
    assertTrue(off.kind() != Plan.Kind.INDEX_ONLY_SCAN);
  }

  @Test
  void explainPrintsPostgresText() {
    Plan p = plan("k", "=", 5, DEFAULTS);
    List<String> lines = Explain.text(p, false);
    assertEquals(List.of("Bitmap Heap Scan on t", "  Recheck Cond: (k = 5)", "  ->  Bitmap Index Scan on t_k",
        "        Index Cond: (k = 5)"), lines);
    assertTrue(Explain.text(p, true).get(0).matches("Bitmap Heap Scan on t  \\(cost=\\d+\\.\\d\\d\\.\\.\\d+\\.\\d\\d rows=100 width=8\\)"));
    assertEquals("(a > '-5'::integer)", Explain.deparse(new Qual("a", ">", -5L)));
  }
}
