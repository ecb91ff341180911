package sim.postgres.planner;

import java.util.List;

/**
 * selfuncs.c for join clauses {@code a.x = b.y}: eqjoinsel's inner-join selectivity (the two MCV lists
 * matched value by value, the rest spread over the other distinct values), estimate_hash_bucket_stats for
 * a hash join's inner side, and mergejoinscansel's scan fractions for a merge join. Pure functions.
 */
public final class JoinSel {
  private JoinSel() {}

  /** eqjoinsel_inner. MCV frequencies are float4: their products are float multiplications, as in C. */
  static double eqjoinsel(Selectivity.Var v1, Selectivity.Var v2) {
    double nd1 = Selectivity.numDistinct(v1).value();
    double nd2 = Selectivity.numDistinct(v2).value();
    ColumnStats s1 = v1.stats();
    ColumnStats s2 = v2.stats();
    boolean haveMcvs = s1 != null && s2 != null && s1.mcvFreqs().length > 0 && s2.mcvFreqs().length > 0;
    if (!haveMcvs) {
      double selec = (1.0 - (s1 == null ? 0.0 : s1.nullFrac())) * (1.0 - (s2 == null ? 0.0 : s2.nullFrac()));
      return nd1 > nd2 ? selec / nd1 : selec / nd2;
    }
    List<Object> vals1 = s1.mcvValues();
    List<Object> vals2 = s2.mcvValues();
    float[] f1 = s1.mcvFreqs();
    float[] f2 = s2.mcvFreqs();
    boolean[] hasmatch1 = new boolean[f1.length];
    boolean[] hasmatch2 = new boolean[f2.length];
    double matchprodfreq = 0.0;
    int nmatches = 0;
    for (int i = 0; i < f1.length; i++) {
      for (int j = 0; j < f2.length; j++) {
        if (hasmatch2[j] || v1.order().compare(vals1.get(i), vals2.get(j)) != 0) continue;
        hasmatch1[i] = hasmatch2[j] = true;
        matchprodfreq += f1[i] * f2[j];
        nmatches++;
        break;
      }
    }
    matchprodfreq = Selectivity.clamp(matchprodfreq);
    double matchfreq1 = 0.0;
    double unmatchfreq1 = 0.0;
    for (int i = 0; i < f1.length; i++) {
      if (hasmatch1[i]) matchfreq1 += f1[i];
      else unmatchfreq1 += f1[i];
    }
    matchfreq1 = Selectivity.clamp(matchfreq1);
    unmatchfreq1 = Selectivity.clamp(unmatchfreq1);
    double matchfreq2 = 0.0;
    double unmatchfreq2 = 0.0;
    for (int i = 0; i < f2.length; i++) {
      if (hasmatch2[i]) matchfreq2 += f2[i];
      else unmatchfreq2 += f2[i];
    }
    matchfreq2 = Selectivity.clamp(matchfreq2);
    unmatchfreq2 = Selectivity.clamp(unmatchfreq2);
    double otherfreq1 = Selectivity.clamp(1.0 - s1.nullFrac() - matchfreq1 - unmatchfreq1);
    double otherfreq2 = Selectivity.clamp(1.0 - s2.nullFrac() - matchfreq2 - unmatchfreq2);
    double totalsel1 = matchprodfreq;
    if (nd2 > f2.length) totalsel1 += unmatchfreq1 * otherfreq2 / (nd2 - f2.length);
    if (nd2 > nmatches) totalsel1 += otherfreq1 * (otherfreq2 + unmatchfreq2) / (nd2 - nmatches);
    double totalsel2 = matchprodfreq;
    if (nd1 > f1.length) totalsel2 += unmatchfreq2 * otherfreq1 / (nd1 - f1.length);
    if (nd1 > nmatches) totalsel2 += otherfreq2 * (otherfreq1 + unmatchfreq1) / (nd1 - nmatches);
    return Selectivity.clamp(totalsel1 < totalsel2 ? totalsel1 : totalsel2);
  }

  /**
   * estimate_num_groups for one Var of a relation of {@code relTuples} tuples, {@code relRows} of them
   * passing its restrictions, over {@code inputRows} rows: the distinct count scaled for the restriction
   * by Dell'Era's formula. {@code -1} when the distinct count is a default (SELFLAG_USED_DEFAULT).
   */
  static double numGroups(Selectivity.Var v, double relTuples, double relRows, double inputRows) {
    inputRows = Costs.clampRowEst(inputRows);
    Selectivity.NumDistinct nd = Selectivity.numDistinct(v);
    if (nd.isDefault()) return -1;
    double numdistinct = 1.0;
    double reldistinct = nd.value();
    if (relTuples > 0) {
      if (reldistinct > relTuples) reldistinct = relTuples;
      if (reldistinct > 0 && relRows < relTuples) {
        reldistinct *= 1 - Math.pow((relTuples - relRows) / relTuples, relTuples / reldistinct);
      }
      reldistinct = Costs.clampRowEst(reldistinct);
      numdistinct *= reldistinct;
    }
    numdistinct = Math.ceil(numdistinct);
    if (numdistinct > inputRows) numdistinct = inputRows;
    if (numdistinct < 1.0) numdistinct = 1.0;
    return numdistinct;
  }

  /** estimate_hash_bucket_stats: the most common value's frequency and the expected bucket fraction. */
  record BucketStats(double mcvFreq, double bucketSizeFrac) {}

  static BucketStats hashBucketStats(Selectivity.Var v, double relRows, double nbuckets) {
    double mcvFreq = 0.0;
    if (v.stats() != null && v.stats().mcvFreqs().length > 0) mcvFreq = v.stats().mcvFreqs()[0];
    Selectivity.NumDistinct nd = Selectivity.numDistinct(v);
    if (nd.isDefault()) return new BucketStats(mcvFreq, Math.max(0.1, mcvFreq));
    double stanullfrac = v.stats() != null ? v.stats().nullFrac() : 0.0;
    double ndistinct = nd.value();
    double avgfreq = (1.0 - stanullfrac) / ndistinct;
    if (v.relTuples() > 0) ndistinct = Costs.clampRowEst(ndistinct * (relRows / v.relTuples()));
    double estfract = ndistinct > nbuckets ? 1.0 / nbuckets : 1.0 / ndistinct;
    if (avgfreq > 0.0 && mcvFreq > avgfreq) estfract *= mcvFreq / avgfreq;
    if (estfract < 1.0e-6) estfract = 1.0e-6;
    else if (estfract > 1.0) estfract = 1.0;
    return new BucketStats(mcvFreq, estfract);
  }

  /** mergejoinscansel's four fractions for {@code left = right}, ascending NULLS LAST. */
  record ScanSel(double leftStart, double leftEnd, double rightStart, double rightEnd) {}

  static ScanSel mergeScanSel(Selectivity.Var left, Selectivity.Var right) {
    Object[] lr = variableRange(left);
    Object[] rr = variableRange(right);
    if (lr == null || rr == null) return new ScanSel(0.0, 1.0, 0.0, 1.0);
    double leftstart = 0.0;
    double leftend = 1.0;
    double rightstart = 0.0;
    double rightend = 1.0;
    double selec = Selectivity.scalarIneq(left, false, true, rr[1]); // left <= right max
    if (selec != Selectivity.DEFAULT_INEQ_SEL) leftend = selec;
    selec = Selectivity.scalarIneq(right, false, true, lr[1]);
    if (selec != Selectivity.DEFAULT_INEQ_SEL) rightend = selec;
    if (leftend > rightend) leftend = 1.0;
    else if (leftend < rightend) rightend = 1.0;
    else leftend = rightend = 1.0;
    selec = Selectivity.scalarIneq(left, false, false, rr[0]); // left < right min
    if (selec != Selectivity.DEFAULT_INEQ_SEL) leftstart = selec;
    selec = Selectivity.scalarIneq(right, false, false, lr[0]);
    if (selec != Selectivity.DEFAULT_INEQ_SEL) rightstart = selec;
    if (leftstart < rightstart) leftstart = 0.0;
    else if (leftstart > rightstart) rightstart = 0.0;
    else leftstart = rightstart = 0.0;
    if (leftstart >= leftend) {
      leftstart = 0.0;
      leftend = 1.0;
    }
    if (rightstart >= rightend) {
      rightstart = 0.0;
      rightend = 1.0;
    }
    return new ScanSel(leftstart, leftend, rightstart, rightend);
  }

  /**
   * get_variable_range: the histogram's first and last bounds, widened by the extreme MCVs (PostgreSQL 15
   * does not probe the index here); without a histogram the MCVs only if they cover the table; else null.
   */
  static Object[] variableRange(Selectivity.Var v) {
    ColumnStats st = v.stats();
    if (st == null) return null;
    Object min = null;
    Object max = null;
    boolean have = false;
    if (!st.histogram().isEmpty()) {
      min = st.histogram().get(0);
      max = st.histogram().get(st.histogram().size() - 1);
      have = true;
    }
    // MCVs alone describe the range only when they cover the whole table (to within roundoff)
    if (!have && st.sumMcvFreqs() + st.nullFrac() <= 0.99999) return null;
    for (Object m : st.mcvValues()) {
      if (!have) {
        min = max = m;
        have = true;
        continue;
      }
      if (v.order().compare(m, min) < 0) min = m;
      if (v.order().compare(m, max) > 0) max = m;
    }
    return have ? new Object[] {min, max} : null;
  }
}
