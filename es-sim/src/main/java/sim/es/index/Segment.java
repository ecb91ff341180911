package sim.es.index;

import java.util.Collections;
import java.util.Map;

/**
 * An immutable Lucene segment: what one refresh (or one merge) wrote. Doc ids are 0..maxDoc-1 in indexing
 * order. Nothing in it ever changes: a delete or an update marks the old doc in the shard's live-docs bits,
 * and its postings stay (counted in docFreq and docCount, as Lucene's statistics do) until a merge drops
 * them.
 */
public final class Segment {
  private final String name;
  private final String[] ids;
  private final String[] sources;
  private final long[] seqNos;
  private final Map<String, InvertedField> inverted;
  private final Map<String, double[][]> numericDocValues;
  private final Map<String, String[][]> keywordDocValues;
  private final long sizeBytes;

  Segment(String name, String[] ids, String[] sources, long[] seqNos, Map<String, InvertedField> inverted,
      Map<String, double[][]> numericDocValues, Map<String, String[][]> keywordDocValues) {
    this.name = name;
    this.ids = ids;
    this.sources = sources;
    this.seqNos = seqNos;
    this.inverted = Collections.unmodifiableMap(inverted);
    this.numericDocValues = Collections.unmodifiableMap(numericDocValues);
    this.keywordDocValues = Collections.unmodifiableMap(keywordDocValues);
    long bytes = 0;
    for (String s : sources) bytes += s.length() + 16;
    this.sizeBytes = bytes;
  }

  public String name() {
    return name;
  }

  public int maxDoc() {
    return ids.length;
  }

  public String id(int doc) {
    return ids[doc];
  }

  public String source(int doc) {
    return sources[doc];
  }

  public long seqNo(int doc) {
    return seqNos[doc];
  }

  /** The field's inverted index in this segment, or null if no document here has it. */
  public InvertedField field(String name) {
    return inverted.get(name);
  }

  public Map<String, InvertedField> fields() {
    return inverted;
  }

  public double[] numericValues(String field, int doc) {
    double[][] values = numericDocValues.get(field);
    return values == null || values[doc] == null ? null : values[doc];
  }

  public String[] keywordValues(String field, int doc) {
    String[][] values = keywordDocValues.get(field);
    return values == null || values[doc] == null ? null : values[doc];
  }

  /** A size estimate for merge policy decisions: the stored source plus a little per doc. */
  public long sizeBytes() {
    return sizeBytes;
  }

  @Override
  public String toString() {
    return name + "(" + maxDoc() + " docs)";
  }
}
