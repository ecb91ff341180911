package sim.es.index;

import java.util.Arrays;

/**
 * One field's part of a segment: the sorted term dictionary and, per term, its postings — the doc ids that
 * contain it, how often ({@code freq}) and where (positions, for phrases) — plus one norm byte per document
 * (the field's length, {@link SmallFloat#intToByte4}) and the statistics BM25 reads: how many documents have
 * the field ({@code docCount}), how many tokens they hold together ({@code sumTotalTermFreq}).
 * Keyword fields index doc ids only: no freqs, no positions, no norms.
 */
public final class InvertedField {
  private final String[] terms;
  private final int[][] docs;
  private final int[][] freqs;
  private final int[][] positions;
  private final byte[] norms;
  private final int docCount;
  private final long sumTotalTermFreq;
  private final long sumDocFreq;

  InvertedField(String[] terms, int[][] docs, int[][] freqs, int[][] positions, byte[] norms, int docCount, long sumTotalTermFreq, long sumDocFreq) {
    this.terms = terms;
    this.docs = docs;
    this.freqs = freqs;
    this.positions = positions;
    this.norms = norms;
    this.docCount = docCount;
    this.sumTotalTermFreq = sumTotalTermFreq;
    this.sumDocFreq = sumDocFreq;
  }

  /** The term's ordinal in the dictionary, or -1. */
  public int ord(String term) {
    int i = Arrays.binarySearch(terms, term, Terms.ORDER);
    return i >= 0 ? i : -1;
  }

  public int termCount() {
    return terms.length;
  }

  public String term(int ord) {
    return terms[ord];
  }

  public int docFreq(int ord) {
    return docs[ord].length;
  }

  /** Sum of the term's freqs over the segment (equal to docFreq where freqs are not indexed). */
  public long totalTermFreq(int ord) {
    if (freqs == null) return docs[ord].length;
    long sum = 0;
    for (int f : freqs[ord]) sum += f;
    return sum;
  }

  public int[] docs(int ord) {
    return docs[ord];
  }

  /** Term freqs aligned with {@link #docs}; all ones where freqs are not indexed. */
  public int freq(int ord, int i) {
    return freqs == null ? 1 : freqs[ord][i];
  }

  /** Positions of the term in the i-th doc of its postings. */
  public int[] positions(int ord, int i) {
    if (positions == null) return new int[0];
    int start = 0;
    for (int k = 0; k < i; k++) start += freqs[ord][k];
    return Arrays.copyOfRange(positions[ord], start, start + freqs[ord][i]);
  }

  public int[] allPositions(int ord) {
    return positions == null ? null : positions[ord];
  }

  public int[] freqs(int ord) {
    return freqs == null ? null : freqs[ord];
  }

  public boolean hasNorms() {
    return norms != null;
  }

  /** The encoded length of the field in {@code doc}; 0 if the doc has no value. */
  public byte norm(int doc) {
    return norms == null ? 1 : norms[doc];
  }

  public int docCount() {
    return docCount;
  }

  public long sumTotalTermFreq() {
    return sumTotalTermFreq;
  }

  public long sumDocFreq() {
    return sumDocFreq;
  }
}
