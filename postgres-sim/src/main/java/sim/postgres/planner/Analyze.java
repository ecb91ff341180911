package sim.postgres.planner;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import sim.postgres.sql.Ast.SqlType;

/**
 * analyze.c's compute_scalar_stats for one column, over a sample that is the whole table: every type here
 * has a btree ordering operator, so PostgreSQL takes this path (not compute_distinct_stats) for all of
 * them. With the whole table sampled ({@code samplerows == totalrows}, tables of at most
 * 300 × default_statistics_target = 30,000 live rows) the result is deterministic: acquire_sample_rows
 * keeps every row, the Haas–Stokes estimate collapses to the distinct count, and analyze_mcv_list keeps
 * the whole candidate list.
 */
public final class Analyze {
  /** default_statistics_target. */
  public static final int DEFAULT_STATISTICS_TARGET = 100;
  /** acquire_sample_rows' targrows: 300 × the statistics target. */
  public static final int SAMPLE_ROWS = 300 * DEFAULT_STATISTICS_TARGET;
  /** WIDTH_THRESHOLD: wider values are left out of the statistics (counted as too wide). */
  static final int WIDTH_THRESHOLD = 1024;

  private Analyze() {}

  private record Scalar(Object value, int tupno) {}

  /**
   * Statistics of one column given its values in sample order (physical order: the sample is the table),
   * nulls included; {@code comparator} is the type's btree order.
   */
  public static ColumnStats compute(List<Object> sample, SqlType type, Comparator<Object> comparator) {
    int samplerows = sample.size();
    double totalrows = samplerows;
    int nullCnt = 0;
    int toowideCnt = 0;
    double totalWidth = 0;
    List<Scalar> values = new ArrayList<>();
    for (int i = 0; i < samplerows; i++) {
      Object v = sample.get(i);
      if (v == null) {
        nullCnt++;
        continue;
      }
      int width = width(v, type);
      totalWidth += width;
      if (type == SqlType.TEXT && width > WIDTH_THRESHOLD) {
        toowideCnt++;
        continue;
      }
      values.add(new Scalar(v, values.size())); // tupno = values_cnt: the position among the non-null values
    }
    int nonnullCnt = samplerows - nullCnt;
    if (nonnullCnt == 0) {
      int w = type == SqlType.TEXT ? 0 : fixedWidth(type);
      return new ColumnStats(nullCnt > 0 ? 1.0f : 0.0f, w, 0.0f, List.of(), new float[0], List.of(), null);
    }
    float nullFrac = (float) ((double) nullCnt / samplerows);
    int avgWidth = (int) (totalWidth / nonnullCnt);
    if (values.isEmpty()) {
      // every non-null value too wide: analyze.c then assumes they are all distinct
      return new ColumnStats(nullFrac, avgWidth, (float) (-1.0 * (1.0 - nullFrac)), List.of(), new float[0], List.of(), null);
    }
    values.sort((a, b) -> {
      int c = comparator.compare(a.value, b.value);
      return c != 0 ? c : Integer.compare(a.tupno, b.tupno);
    });
    return fromSorted(values, samplerows, totalrows, nullCnt, toowideCnt, nullFrac, avgWidth, comparator);
  }

  private static ColumnStats fromSorted(List<Scalar> values, int samplerows, double totalrows, int nullCnt,
      int toowideCnt, float nullFrac, int avgWidth, Comparator<Object> cmp) {
    int valuesCnt = values.size();
    int numMcv = DEFAULT_STATISTICS_TARGET;
    int numBins = DEFAULT_STATISTICS_TARGET;
    int[] trackCount = new int[numMcv];
    int[] trackFirst = new int[numMcv];
    int trackCnt = 0;
    int ndistinct = 0;
    int nmultiple = 0;
    int dupsCnt = 1;
    double corrXysum = 0;
    for (int i = 0; i < valuesCnt; i++) {
      corrXysum += ((double) i) * ((double) values.get(i).tupno);
      if (i < valuesCnt - 1 && cmp.compare(values.get(i).value, values.get(i + 1).value) == 0) {
        dupsCnt++; // same as the next: keep counting the run
        continue;
      }
      ndistinct++;
      if (dupsCnt > 1) {
        nmultiple++;
        if (trackCnt < numMcv || dupsCnt > trackCount[trackCnt - 1]) {
          if (trackCnt < numMcv) trackCnt++;
          int j;
          for (j = trackCnt - 1; j > 0; j--) {
            if (dupsCnt <= trackCount[j - 1]) break;
            trackCount[j] = trackCount[j - 1];
            trackFirst[j] = trackFirst[j - 1];
          }
          trackCount[j] = dupsCnt;
          trackFirst[j] = i + 1 - dupsCnt;
        }
      }
      dupsCnt = 1;
    }
    double stadistinct = distinct(ndistinct, nmultiple, toowideCnt, samplerows, nullCnt, totalrows, nullFrac);
    // the whole table is the sample, so analyze_mcv_list keeps every candidate (samplerows == totalrows)
    int mcvs = Math.min(numMcv, trackCnt);
    List<Object> mcvValues = new ArrayList<>();
    float[] mcvFreqs = new float[mcvs];
    for (int i = 0; i < mcvs; i++) {
      mcvValues.add(values.get(trackFirst[i]).value);
      mcvFreqs[i] = (float) ((double) trackCount[i] / (double) samplerows);
    }
    List<Object> histogram = histogram(values, ndistinct, mcvs, numBins, trackFirst, trackCount);
    Float correlation = null;
    if (valuesCnt > 1) {
      double n = valuesCnt;
      double xsum = (n - 1) * n / 2.0;
      double x2sum = (n - 1) * n * (2 * n - 1) / 6.0;
      correlation = (float) ((n * corrXysum - xsum * xsum) / (n * x2sum - xsum * xsum));
    }
    return new ColumnStats(nullFrac, avgWidth, (float) stadistinct, mcvValues, mcvFreqs, histogram, correlation);
  }

  /** stadistinct: -1 scaled for nulls when nothing repeats, the count when everything does, else Haas–Stokes. */
  private static double distinct(int ndistinct, int nmultiple, int toowideCnt, int samplerows, int nullCnt,
      double totalrows, float nullFrac) {
    double stadistinct;
    if (nmultiple == 0) {
      stadistinct = -1.0 * (1.0 - nullFrac);
    } else if (toowideCnt == 0 && nmultiple == ndistinct) {
      stadistinct = ndistinct;
    } else {
      int f1 = ndistinct - nmultiple + toowideCnt;
      int d = f1 + nmultiple;
      double n = samplerows - nullCnt;
      double bigN = totalrows * (1.0 - nullFrac);
      double est = bigN > 0 ? (n * d) / ((n - f1) + f1 * n / bigN) : 0;
      if (est < d) est = d;
      if (est > bigN) est = bigN;
      stadistinct = Math.floor(est + 0.5);
    }
    // more than 10% of the rows distinct: assume it scales with the table (the negative form)
    if (stadistinct > 0.1 * totalrows) stadistinct = -(stadistinct / totalrows);
    return stadistinct;
  }

  /** Equal-population bounds over the values left after removing the MCVs (at most numBins + 1 of them). */
  private static List<Object> histogram(List<Scalar> values, int ndistinct, int numMcv, int numBins,
      int[] trackFirst, int[] trackCount) {
    int numHist = ndistinct - numMcv;
    if (numHist > numBins) numHist = numBins + 1;
    if (numHist < 2) return List.of();
    boolean[] inMcv = new boolean[values.size()];
    for (int k = 0; k < numMcv; k++) Arrays.fill(inMcv, trackFirst[k], trackFirst[k] + trackCount[k], true);
    List<Object> rest = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) if (!inMcv[i]) rest.add(values.get(i).value);
    int nvals = rest.size();
    int delta = (nvals - 1) / (numHist - 1);
    int deltafrac = (nvals - 1) % (numHist - 1);
    int pos = 0;
    int posfrac = 0;
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < numHist; i++) {
      out.add(rest.get(pos));
      pos += delta;
      posfrac += deltafrac;
      if (posfrac >= numHist - 1) {
        pos++;
        posfrac -= numHist - 1;
      }
    }
    return out;
  }

  /** The stored size analyze.c adds to total_width: typlen, or VARSIZE_ANY of a short or 4-byte varlena. */
  static int width(Object v, SqlType type) {
    if (type != SqlType.TEXT) return fixedWidth(type);
    int len = v.toString().getBytes(StandardCharsets.UTF_8).length;
    return len + 1 <= 127 ? len + 1 : len + 4;
  }

  static int fixedWidth(SqlType type) {
    return switch (type) {
      case INT4 -> 4;
      case INT8 -> 8;
      case BOOL -> 1;
      case TEXT -> 32;
    };
  }
}
