package sim.es.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What a refresh opens: the segments and their live docs at that moment. A search holds one and sees
 * exactly those documents, whatever is indexed, deleted or merged meanwhile.
 */
public final class IndexReader {
  private final List<LeafReader> leaves;
  private final int maxDoc;

  public IndexReader(List<Segment> segments, List<BitSet> deleted) {
    List<LeafReader> out = new ArrayList<>();
    int base = 0;
    for (int i = 0; i < segments.size(); i++) {
      BitSet d = deleted.get(i);
      out.add(new LeafReader(segments.get(i), d == null || d.isEmpty() ? null : (BitSet) d.clone(), base));
      base += segments.get(i).maxDoc();
    }
    this.leaves = List.copyOf(out);
    this.maxDoc = base;
  }

  public static IndexReader of(List<Segment> segments) {
    List<BitSet> none = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) none.add(null);
    return new IndexReader(segments, none);
  }

  public List<LeafReader> leaves() {
    return leaves;
  }

  public int maxDoc() {
    return maxDoc;
  }

  public int numDocs() {
    int n = 0;
    for (LeafReader l : leaves) n += l.numDocs();
    return n;
  }

  /** Collection statistics of a field, summed over segments (deleted docs still count, as in Lucene). */
  public long[] fieldStats(String field) {
    long docCount = 0;
    long sumTtf = 0;
    long sumDf = 0;
    for (LeafReader l : leaves) {
      InvertedField f = l.segment().field(field);
      if (f == null) continue;
      docCount += f.docCount();
      sumTtf += f.sumTotalTermFreq();
      sumDf += f.sumDocFreq();
    }
    return new long[] {docCount, sumTtf, sumDf};
  }

  /** {docFreq, totalTermFreq} of a term, summed over segments. */
  public long[] termStats(String field, String term) {
    long df = 0;
    long ttf = 0;
    for (LeafReader l : leaves) {
      InvertedField f = l.segment().field(field);
      if (f == null) continue;
      int ord = f.ord(term);
      if (ord < 0) continue;
      df += f.docFreq(ord);
      ttf += f.totalTermFreq(ord);
    }
    return new long[] {df, ttf};
  }
}
