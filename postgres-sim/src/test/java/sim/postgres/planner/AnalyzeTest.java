package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.postgres.sql.Ast.SqlType;

/** compute_scalar_stats on hand-checkable columns (the whole table is the sample). */
class AnalyzeTest {
  static final Comparator<Object> ORDER = (a, b) -> ((Comparable<Object>) a).compareTo(b);

  static List<Object> longs(long... vs) {
    List<Object> out = new ArrayList<>();
    for (long v : vs) out.add(v);
    return out;
  }

  static List<Object> range(long from, long to) {
    List<Object> out = new ArrayList<>();
    for (long v = from; v <= to; v++) out.add(v);
    return out;
  }

  @Test
  void distinctSortedColumnIsUniqueWithAFullHistogramAndCorrelationOne() {
    ColumnStats s = Analyze.compute(range(1, 1000), SqlType.INT4, ORDER);
    assertEquals(-1.0f, s.nDistinct());
    assertTrue(s.mcvValues().isEmpty(), "nothing repeats, so no MCV slot");
    assertEquals(101, s.histogram().size());
    assertEquals(1L, s.histogram().get(0));
    assertEquals(1000L, s.histogram().get(100));
    assertEquals(1.0f, s.correlation());
    assertEquals(4, s.avgWidth());
  }

  @Test
  void descendingColumnHasCorrelationMinusOne() {
    List<Object> v = range(1, 500);
    java.util.Collections.reverse(v);
    assertEquals(-1.0f, Analyze.compute(v, SqlType.INT4, ORDER).correlation());
  }

  @Test
  void everyValueRepeatedGivesTheCountThenTheNegativeFormAboveTenPercent() {
    List<Object> v = new ArrayList<>();
    for (long i = 1; i <= 50; i++) {
      v.add(i);
      v.add(i);
    }
    ColumnStats s = Analyze.compute(v, SqlType.INT4, ORDER);
    assertEquals(-0.5f, s.nDistinct(), "50 distinct of 100 rows is more than 10%: -(50/100)");
    assertEquals(50, s.mcvValues().size());
    assertEquals(0.02f, s.mcvFreqs()[0]);
    assertTrue(s.histogram().isEmpty(), "every value is an MCV: nothing left for a histogram");
  }

  @Test
  void fewRepeatedValuesKeepAPositiveCountAndMcvsByFrequencyThenValue() {
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < 300; i++) v.add((long) (i % 3 == 0 ? 7 : i % 3 == 1 ? 5 : 9));
    for (int i = 0; i < 30; i++) v.add(5L);
    ColumnStats s = Analyze.compute(v, SqlType.INT4, ORDER);
    assertEquals(3.0f, s.nDistinct());
    assertEquals(longs(5, 7, 9), s.mcvValues(), "5 is most common, then 7 and 9 tie and the smaller comes first");
    assertArrayEquals(new float[] {130f / 330, 100f / 330, 100f / 330}, s.mcvFreqs());
  }

  @Test
  void nullsCountInNullFracAndScaleTheUniqueEstimate() {
    List<Object> v = range(1, 90);
    for (int i = 0; i < 10; i++) v.add(null);
    ColumnStats s = Analyze.compute(v, SqlType.INT4, ORDER);
    assertEquals(0.1f, s.nullFrac());
    assertEquals((float) (-1.0 * (1.0 - 0.1f)), s.nDistinct());
  }

  @Test
  void allNullColumnHasNullFracOneAndNoDistinctEstimate() {
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < 20; i++) v.add(null);
    ColumnStats s = Analyze.compute(v, SqlType.INT8, ORDER);
    assertEquals(1.0f, s.nullFrac());
    assertEquals(8, s.avgWidth());
    assertEquals(0.0f, s.nDistinct());
    assertNull(s.correlation());
  }

  @Test
  void textWidthIsTheShortVarlenaSizeTruncatedToAnInteger() {
    ColumnStats s = Analyze.compute(List.of("a", "bb", "ccc"), SqlType.TEXT, ORDER);
    assertEquals(3, s.avgWidth(), "(2 + 3 + 4) / 3");
  }

  @Test
  void histogramSkipsTheMcvsAndSpacesTheRestEvenly() {
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < 100; i++) v.add(0L); // one heavy value
    v.addAll(range(1, 201));
    ColumnStats s = Analyze.compute(v, SqlType.INT4, ORDER);
    assertEquals(longs(0), s.mcvValues());
    assertEquals(101, s.histogram().size());
    assertEquals(1L, s.histogram().get(0));
    assertEquals(3L, s.histogram().get(1), "delta (201 - 1) / 100 = 2");
    assertEquals(201L, s.histogram().get(100));
  }

  @Test
  void moreThanAHundredCandidatesKeepTheHundredMostCommon() {
    List<Object> v = new ArrayList<>();
    for (long i = 0; i < 150; i++) for (int k = 0; k < (i < 20 ? 3 : 2); k++) v.add(i);
    ColumnStats s = Analyze.compute(v, SqlType.INT4, ORDER);
    assertEquals(100, s.mcvValues().size());
    assertEquals(0L, s.mcvValues().get(0));
    assertEquals(19L, s.mcvValues().get(19));
    assertEquals(20L, s.mcvValues().get(20), "then the twice-seen values in value order");
  }
}
