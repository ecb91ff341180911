package sim.es.search;

import java.util.List;
import sim.es.index.InvertedField;
import sim.es.index.LeafReader;

/**
 * Lucene's ExactPhraseMatcher: a doc matches where every term occurs at its offset from the first; the
 * phrase frequency (how many such places) takes the place of the term frequency in BM25.
 */
final class PhraseMatcher {
  private PhraseMatcher() {}

  static Matches match(Query.Phrase p, LeafReader leaf, Bm25 bm25) {
    InvertedField f = leaf.segment().field(p.field());
    if (f == null) return Matches.NONE;
    List<String> terms = p.terms();
    int n = terms.size();
    int[] ords = new int[n];
    for (int i = 0; i < n; i++) {
      ords[i] = f.ord(terms.get(i));
      if (ords[i] < 0) return Matches.NONE;
    }
    int[] lead = f.docs(ords[0]);
    int[] docs = new int[lead.length];
    float[] scores = new float[lead.length];
    int out = 0;
    int[] cursor = new int[n];
    int[] posStart = new int[n];
    outer:
    for (int li = 0; li < lead.length; li++) {
      int doc = lead[li];
      for (int t = 0; t < n; t++) {
        int[] d = f.docs(ords[t]);
        while (cursor[t] < d.length && d[cursor[t]] < doc) {
          posStart[t] += f.freq(ords[t], cursor[t]);
          cursor[t]++;
        }
        if (cursor[t] == d.length || d[cursor[t]] != doc) continue outer;
      }
      int freq = 0;
      int[] first = f.allPositions(ords[0]);
      for (int k = 0; k < f.freq(ords[0], cursor[0]); k++) {
        int start = first[posStart[0] + k];
        boolean all = true;
        for (int t = 1; t < n && all; t++) all = contains(f.allPositions(ords[t]), posStart[t], f.freq(ords[t], cursor[t]), start + t);
        if (all) freq++;
      }
      if (freq > 0) {
        docs[out] = doc;
        scores[out++] = bm25.score(freq, f.norm(doc));
      }
    }
    return new Matches(docs, scores, out);
  }

  private static boolean contains(int[] positions, int from, int count, int position) {
    for (int i = from; i < from + count; i++) {
      if (positions[i] == position) return true;
      if (positions[i] > position) return false;
    }
    return false;
  }
}
