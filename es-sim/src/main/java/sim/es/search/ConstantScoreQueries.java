package sim.es.search;

import java.util.Arrays;
import sim.es.index.InvertedField;
import sim.es.index.LeafReader;
import sim.es.index.Segment;

/**
 * The queries Elasticsearch scores with a constant (the boost): {@code terms} (TermInSetQuery),
 * {@code range} on numbers and dates, {@code exists}, {@code match_all}.
 */
final class ConstantScoreQueries {
  private ConstantScoreQueries() {}

  static Matches match(Query q, LeafReader leaf, float boost) {
    Segment s = leaf.segment();
    int maxDoc = s.maxDoc();
    int[] docs = new int[maxDoc];
    int n = 0;
    if (q instanceof Query.MatchNone) return Matches.NONE;
    if (q instanceof Query.MatchAll) {
      for (int d = 0; d < maxDoc; d++) docs[n++] = d;
    } else if (q instanceof Query.Terms t) {
      InvertedField f = s.field(t.field());
      if (f == null) return Matches.NONE;
      boolean[] hit = new boolean[maxDoc];
      for (String term : t.terms()) {
        int ord = f.ord(term);
        if (ord >= 0) for (int d : f.docs(ord)) hit[d] = true;
      }
      for (int d = 0; d < maxDoc; d++) if (hit[d]) docs[n++] = d;
    } else if (q instanceof Query.Range r) {
      for (int d = 0; d < maxDoc; d++) {
        double[] values = s.numericValues(r.field(), d);
        if (values != null && anyInRange(values, r)) docs[n++] = d;
      }
    } else if (q instanceof Query.Exists e) {
      InvertedField f = s.field(e.field());
      for (int d = 0; d < maxDoc; d++) {
        if (s.numericValues(e.field(), d) != null || s.keywordValues(e.field(), d) != null) docs[n++] = d;
        else if (f != null && f.hasNorms() && f.norm(d) != 0) docs[n++] = d;
      }
    } else {
      throw new IllegalArgumentException("not a constant-score query: " + q);
    }
    return Matches.constant(Arrays.copyOf(docs, n), n, boost);
  }

  private static boolean anyInRange(double[] values, Query.Range r) {
    for (double v : values) {
      if (r.gt() != null && !(v > r.gt())) continue;
      if (r.gte() != null && !(v >= r.gte())) continue;
      if (r.lt() != null && !(v < r.lt())) continue;
      if (r.lte() != null && !(v <= r.lte())) continue;
      return true;
    }
    return false;
  }
}
