package sim.postgres.planner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * selfuncs.c and clausesel.c for restriction clauses on one table: var_eq_const for = and <>,
 * scalarineqsel (MCVs plus ineq_histogram_selectivity's linear interpolation) for <, <=, >, >=, and
 * clauselist_selectivity's product with its range-pair rule ({@code a >= x AND a <= y}, what BETWEEN
 * becomes). A pure function of the statistics.
 */
public final class Selectivity {
  public static final double DEFAULT_EQ_SEL = 0.005;
  public static final double DEFAULT_INEQ_SEL = 1.0 / 3.0;
  public static final double DEFAULT_RANGE_INEQ_SEL = 0.005;
  public static final double DEFAULT_NUM_DISTINCT = 200;

  /** What the planner knows about one column: its statistics (null if never analyzed) and more. */
  public record Var(ColumnStats stats, boolean isUnique, boolean isBool, double relTuples, Comparator<Object> order,
      Object actualMin, Object actualMax, boolean hasIndex) {}

  /** The table as the selectivity functions see it: the Var of a column by name. */
  public interface Columns {
    Var var(String column);
  }

  private Selectivity() {}

  /** clauselist_selectivity over an implicit AND. */
  public static double clauselist(List<Qual> quals, Columns cols) {
    if (quals.isEmpty()) return 1.0;
    if (quals.size() == 1) return clause(quals.get(0), cols.var(quals.get(0).column()));
    double s1 = 1.0;
    List<RangePair> pairs = new ArrayList<>();
    for (Qual q : quals) {
      Var v = cols.var(q.column());
      double s2 = clause(q, v);
      if (!q.isInequality()) {
        s1 *= s2;
        continue;
      }
      boolean lobound = q.op().startsWith(">");
      RangePair p = pairs.stream().filter(r -> r.column.equals(q.column())).findFirst().orElse(null);
      if (p == null) pairs.add(p = new RangePair(q.column(), v));
      if (lobound) {
        if (!p.haveLo || p.lo > s2) p.lo = s2;
        p.haveLo = true;
      } else {
        if (!p.haveHi || p.hi > s2) p.hi = s2;
        p.haveHi = true;
      }
    }
    for (RangePair p : pairs) {
      if (p.haveLo && p.haveHi) {
        double s2;
        if (p.hi == DEFAULT_INEQ_SEL || p.lo == DEFAULT_INEQ_SEL) {
          s2 = DEFAULT_RANGE_INEQ_SEL;
        } else {
          s2 = p.hi + p.lo - 1.0;
          s2 += nullFrac(p.var); // nulltestsel(IS NULL): both bounds excluded the nulls
          if (s2 <= 0.0) s2 = s2 < -0.01 ? DEFAULT_RANGE_INEQ_SEL : 1.0e-10;
        }
        s1 *= s2;
      } else {
        if (p.haveLo) s1 *= p.lo;
        if (p.haveHi) s1 *= p.hi;
      }
    }
    return s1;
  }

  private static final class RangePair {
    final String column;
    final Var var;
    boolean haveLo;
    boolean haveHi;
    double lo;
    double hi;

    RangePair(String column, Var var) {
      this.column = column;
      this.var = var;
    }
  }

  /** nulltestsel for IS NULL: stanullfrac, or DEFAULT_UNK_SEL without statistics. */
  static double nullFrac(Var v) {
    return v.stats() != null ? v.stats().nullFrac() : 0.005;
  }

  public static double clause(Qual q, Var v) {
    double s = switch (q.op()) {
      case "=" -> varEqConst(v, q.constant(), false);
      case "<>" -> varEqConst(v, q.constant(), true);
      default -> scalarIneq(v, q.op().startsWith(">"), q.op().endsWith("="), q.constant());
    };
    return clamp(s);
  }

  static double clamp(double p) {
    return p < 0 ? 0 : p > 1 ? 1 : p;
  }

  /** var_eq_const; var_eq_non_const when the other side is another relation's Var (a parameterized scan). */
  static double varEqConst(Var v, Object constant, boolean negate) {
    if (constant instanceof Param) return varEqNonConst(v, negate);
    if (constant == null) return 0.0;
    double nullfrac = 0.0;
    double selec;
    if (v.isUnique() && v.relTuples() >= 1.0) {
      selec = 1.0 / v.relTuples();
    } else if (v.stats() != null) {
      ColumnStats st = v.stats();
      nullfrac = st.nullFrac();
      int match = -1;
      for (int i = 0; i < st.mcvValues().size() && match < 0; i++) {
        if (v.order().compare(st.mcvValues().get(i), constant) == 0) match = i;
      }
      if (match >= 0) {
        selec = st.mcvFreqs()[match];
      } else {
        selec = clamp(1.0 - st.sumMcvFreqs() - nullfrac);
        double otherdistinct = numDistinct(v).value - st.mcvFreqs().length;
        if (otherdistinct > 1) selec /= otherdistinct;
        int n = st.mcvFreqs().length;
        if (n > 0 && selec > st.mcvFreqs()[n - 1]) selec = st.mcvFreqs()[n - 1];
      }
    } else {
      selec = 1.0 / numDistinct(v).value;
    }
    if (negate) selec = 1.0 - selec - nullfrac;
    return clamp(selec);
  }

  /** var_eq_non_const: 1/ndistinct of the non-null fraction, never more than the most common value's share. */
  static double varEqNonConst(Var v, boolean negate) {
    double nullfrac = 0.0;
    double selec;
    if (v.isUnique() && v.relTuples() >= 1.0) {
      selec = 1.0 / v.relTuples();
    } else if (v.stats() != null) {
      nullfrac = v.stats().nullFrac();
      selec = 1.0 - nullfrac;
      double ndistinct = numDistinct(v).value;
      if (ndistinct > 1) selec /= ndistinct;
      float[] freqs = v.stats().mcvFreqs();
      if (freqs.length > 0 && selec > freqs[0]) selec = freqs[0];
    } else {
      selec = 1.0 / numDistinct(v).value;
    }
    if (negate) selec = 1.0 - selec - nullfrac;
    return clamp(selec);
  }

  record NumDistinct(double value, boolean isDefault) {}

  /** get_variable_numdistinct. */
  static NumDistinct numDistinct(Var v) {
    double stadistinct;
    double stanullfrac = 0.0;
    if (v.stats() != null) {
      stadistinct = v.stats().nDistinct();
      stanullfrac = v.stats().nullFrac();
    } else if (v.isBool()) {
      stadistinct = 2.0;
    } else {
      stadistinct = 0.0;
    }
    if (v.isUnique()) stadistinct = -1.0 * (1.0 - stanullfrac);
    if (stadistinct > 0.0) return new NumDistinct(Costs.clampRowEst(stadistinct), false);
    double ntuples = v.relTuples();
    if (ntuples <= 0.0) return new NumDistinct(DEFAULT_NUM_DISTINCT, true);
    if (stadistinct < 0.0) return new NumDistinct(Costs.clampRowEst(-stadistinct * ntuples), false);
    if (ntuples < DEFAULT_NUM_DISTINCT) return new NumDistinct(Costs.clampRowEst(ntuples), false);
    return new NumDistinct(DEFAULT_NUM_DISTINCT, true);
  }

  /** scalarineqsel. */
  static double scalarIneq(Var v, boolean isgt, boolean iseq, Object constant) {
    if (v.stats() == null || constant == null) return DEFAULT_INEQ_SEL;
    ColumnStats st = v.stats();
    double mcvSelec = 0.0;
    double sumcommon = 0.0;
    for (int i = 0; i < st.mcvValues().size(); i++) {
      int c = v.order().compare(st.mcvValues().get(i), constant);
      boolean ok = isgt ? (iseq ? c >= 0 : c > 0) : (iseq ? c <= 0 : c < 0);
      if (ok) mcvSelec += st.mcvFreqs()[i];
      sumcommon += st.mcvFreqs()[i];
    }
    double histSelec = ineqHistogram(v, isgt, iseq, constant);
    double selec = 1.0 - st.nullFrac() - sumcommon;
    selec *= histSelec >= 0.0 ? histSelec : 0.5;
    selec += mcvSelec;
    return clamp(selec);
  }

  /** ineq_histogram_selectivity: -1 when there is no usable histogram. */
  static double ineqHistogram(Var v, boolean isgt, boolean iseq, Object constant) {
    List<Object> hist = new ArrayList<>(v.stats().histogram());
    int n = hist.size();
    if (n <= 1) return -1.0;
    boolean haveEnd = false;
    if (n == 2 && v.hasIndex()) {
      hist.set(0, v.actualMin());
      hist.set(1, v.actualMax());
      haveEnd = true;
    }
    int lobound = 0;
    int hibound = n;
    while (lobound < hibound) {
      int probe = (lobound + hibound) / 2;
      // get_actual_variable_range: an index on the column gives the live min/max for the end bins
      if (probe == 0 && n > 2 && v.hasIndex()) {
        hist.set(0, v.actualMin());
        haveEnd = true;
      } else if (probe == n - 1 && n > 2 && v.hasIndex()) {
        hist.set(probe, v.actualMax());
        haveEnd = true;
      }
      int c = v.order().compare(hist.get(probe), constant);
      boolean ltcmp = isgt ? (iseq ? c >= 0 : c > 0) : (iseq ? c <= 0 : c < 0); // the operator itself
      if (isgt) ltcmp = !ltcmp;
      if (ltcmp) lobound = probe + 1;
      else hibound = probe;
    }
    double histfrac;
    if (lobound <= 0) {
      histfrac = 0.0;
    } else if (lobound >= n) {
      histfrac = 1.0;
    } else {
      int i = lobound;
      double eqSelec = 0;
      if (i == 1 || isgt == iseq) {
        double otherdistinct = numDistinct(v).value - v.stats().mcvFreqs().length;
        if (otherdistinct > 1) eqSelec = 1.0 / otherdistinct;
      }
      double binfrac = binFraction(hist.get(i - 1), hist.get(i), constant);
      histfrac = (double) (i - 1) + binfrac;
      histfrac /= (double) (n - 1);
      if (i == 1) histfrac += eqSelec * (1.0 - binfrac);
      if (isgt == iseq) histfrac -= eqSelec;
    }
    double histSelec = isgt ? (1.0 - histfrac) : histfrac;
    if (haveEnd) return clamp(histSelec);
    double cutoff = 0.01 / (double) (n - 1);
    if (histSelec < cutoff) return cutoff;
    if (histSelec > 1.0 - cutoff) return 1.0 - cutoff;
    return histSelec;
  }

  /** convert_to_scalar's linear interpolation within a bin; numbers only (other types: 0.5, as when it fails). */
  private static double binFraction(Object lowV, Object highV, Object constV) {
    if (!(lowV instanceof Long lo) || !(highV instanceof Long hi) || !(constV instanceof Long c)) return 0.5;
    double low = lo;
    double high = hi;
    double val = c;
    if (high <= low) return 0.5;
    if (val <= low) return 0.0;
    if (val >= high) return 1.0;
    double binfrac = (val - low) / (high - low);
    return Double.isNaN(binfrac) || binfrac < 0.0 || binfrac > 1.0 ? 0.5 : binfrac;
  }
}
