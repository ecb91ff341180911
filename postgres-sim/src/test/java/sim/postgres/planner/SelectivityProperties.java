package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import sim.postgres.sql.Ast.SqlType;

/**
 * Selectivity over random columns, against the stored statistics and against the data. With the whole
 * table sampled an MCV's frequency is the value's true share, and the histogram's equal-population bins
 * bound an inequality's error by about one bin.
 */
class SelectivityProperties {
  record Column(List<Object> values, ColumnStats stats, Selectivity.Var var) {}

  static Column column(long seed, int rows, int range, int nullPercent) {
    java.util.Random rnd = new java.util.Random(seed); // test data only
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      if (rnd.nextInt(100) < nullPercent) v.add(null);
      else v.add((long) (rnd.nextBoolean() ? rnd.nextInt(range) : rnd.nextInt(1 + range / 10))); // skewed low
    }
    ColumnStats s = Analyze.compute(v, SqlType.INT4, AnalyzeTest.ORDER);
    return new Column(v, s, new Selectivity.Var(s, false, false, rows, AnalyzeTest.ORDER, null, null, false));
  }

  static double actual(List<Object> values, String op, long k) {
    long hits = values.stream().filter(x -> x != null && switch (op) {
      case "=" -> (Long) x == k;
      case "<" -> (Long) x < k;
      case "<=" -> (Long) x <= k;
      case ">" -> (Long) x > k;
      default -> (Long) x >= k;
    }).count();
    return (double) hits / values.size();
  }

  @Property(tries = 300)
  void equalityIsTheMcvFrequencyOrTheShareLeftPerOtherValue(@ForAll long seed, @ForAll @IntRange(min = 10, max = 3000) int rows,
      @ForAll @IntRange(min = 1, max = 2000) int range, @ForAll @IntRange(min = 0, max = 30) int nulls,
      @ForAll @LongRange(min = -5, max = 2100) long k) {
    Column c = column(seed, rows, range, nulls);
    double sel = Selectivity.clause(new Qual("x", "=", k), c.var());
    int i = c.stats().mcvValues().indexOf(k);
    if (i >= 0) {
      assertEquals(c.stats().mcvFreqs()[i], sel, 0.0);
      assertEquals(actual(c.values(), "=", k), sel, 1e-6, "a whole-table MCV frequency is the true share");
      return;
    }
    double rest = Math.max(0, 1.0 - c.stats().sumMcvFreqs() - c.stats().nullFrac());
    double nd = c.stats().nDistinct() > 0 ? c.stats().nDistinct() : Math.rint(-c.stats().nDistinct() * rows);
    double other = nd - c.stats().mcvFreqs().length;
    double expected = other > 1 ? rest / other : rest;
    int n = c.stats().mcvFreqs().length;
    if (n > 0) expected = Math.min(expected, c.stats().mcvFreqs()[n - 1]);
    assertEquals(expected, sel, 1e-12);
  }

  @Property(tries = 300)
  void inequalitiesAreWithinAboutOneHistogramBinOfTheTruth(@ForAll long seed, @ForAll @IntRange(min = 200, max = 3000) int rows,
      @ForAll @IntRange(min = 300, max = 5000) int range, @ForAll @IntRange(min = 0, max = 20) int nulls,
      @ForAll @LongRange(min = -5, max = 5100) long k, @ForAll @IntRange(min = 0, max = 3) int opIndex) {
    Column c = column(seed, rows, range, nulls);
    String op = List.of("<", "<=", ">", ">=").get(opIndex);
    double sel = Selectivity.clause(new Qual("x", op, k), c.var());
    int bins = Math.max(1, c.stats().histogram().size() - 1);
    double rest = 1.0 - c.stats().sumMcvFreqs() - c.stats().nullFrac();
    double tolerance = rest / bins + 0.01 + 1e-6; // one bin of the histogram's share, plus the clamp
    double truth = actual(c.values(), op, k);
    assertTrue(Math.abs(sel - truth) <= tolerance, op + " " + k + ": estimated " + sel + ", actual " + truth + ", tolerance " + tolerance);
  }

  @Property(tries = 200)
  void betweenIsTheRangePairNotTheProduct(@ForAll long seed, @ForAll @IntRange(min = 200, max = 2000) int rows,
      @ForAll @LongRange(min = 0, max = 1000) long lo, @ForAll @IntRange(min = 0, max = 500) int width) {
    Column c = column(seed, rows, 1000, 5);
    Selectivity.Columns cols = name -> c.var();
    Qual ge = new Qual("x", ">=", lo);
    Qual le = new Qual("x", "<=", lo + width);
    double s = Selectivity.clauselist(List.of(ge, le), cols);
    double pair = Selectivity.clause(ge, c.var()) + Selectivity.clause(le, c.var()) - 1.0 + c.stats().nullFrac();
    double expected = pair > 0 ? pair : pair < -0.01 ? Selectivity.DEFAULT_RANGE_INEQ_SEL : 1.0e-10;
    assertEquals(expected, s, 1e-12);
  }
}
