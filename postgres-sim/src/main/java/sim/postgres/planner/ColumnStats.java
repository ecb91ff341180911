package sim.postgres.planner;

import java.util.List;

/**
 * One column's pg_statistic row as ANALYZE stores it (the pg_stats view's columns). The fractions are
 * float4 in the catalog, so they are kept as floats: the planner reads the rounded values, as PostgreSQL's
 * does. {@code mcvValues}/{@code mcvFreqs} are empty when there is no MCV slot, {@code histogram} when there
 * is no histogram slot, {@code correlation} null when there is no correlation slot.
 */
public record ColumnStats(float nullFrac, int avgWidth, float nDistinct, List<Object> mcvValues, float[] mcvFreqs,
    List<Object> histogram, Float correlation) {
  public ColumnStats {
    mcvValues = List.copyOf(mcvValues);
    mcvFreqs = mcvFreqs.clone();
    histogram = List.copyOf(histogram);
  }

  /** Sum of the MCV frequencies, in the order selfuncs.c adds them (float4 each, summed as double). */
  public double sumMcvFreqs() {
    double sum = 0;
    for (float f : mcvFreqs) sum += f;
    return sum;
  }
}
