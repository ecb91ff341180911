package sim.es.search;

import sim.es.index.SmallFloat;

/**
 * BM25 exactly as Lucene 9's BM25Similarity computes it, float for float:
 * {@code idf = (float) ln(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5))} in double,
 * {@code avgdl = (float) (sumTotalTermFreq / (double) docCount)}, a 256-entry table
 * {@code cache[n] = 1f / (k1 * ((1 - b) + b * length(n) / avgdl))} over the norm bytes, and
 * {@code score = weight - weight / (1f + freq * cache[norm])} with {@code weight = boost * idf}: the
 * classic {@code idf * freq * (k1 + 1) / (freq + k1 * (1 - b + b * dl / avgdl))} without the constant
 * {@code (k1 + 1)} factor (Lucene 8 dropped it; it does not change the order).
 */
public final class Bm25 {
  public static final float K1 = 1.2f;
  public static final float B = 0.75f;
  private static final float[] LENGTH_TABLE = new float[256];

  static {
    for (int i = 0; i < 256; i++) LENGTH_TABLE[i] = SmallFloat.byte4ToInt((byte) i);
  }

  private final float weight;
  private final float[] cache;

  private Bm25(float weight, float[] cache) {
    this.weight = weight;
    this.cache = cache;
  }

  public static float idf(long docFreq, long docCount) {
    return (float) Math.log(1 + (docCount - docFreq + 0.5D) / (docFreq + 0.5D));
  }

  public static float avgFieldLength(long sumTotalTermFreq, long docCount) {
    return (float) (sumTotalTermFreq / (double) docCount);
  }

  /** The scorer of one term (or phrase, whose idf is the float sum of its terms' idfs computed in double). */
  public static Bm25 scorer(float boost, float idf, long sumTotalTermFreq, long docCount) {
    float avgdl = avgFieldLength(sumTotalTermFreq, docCount);
    float[] cache = new float[256];
    for (int i = 0; i < cache.length; i++) cache[i] = 1f / (K1 * ((1 - B) + B * LENGTH_TABLE[i] / avgdl));
    return new Bm25(boost * idf, cache);
  }

  public float score(float freq, byte norm) {
    float normInverse = cache[norm & 0xFF];
    return weight - weight / (1f + freq * normInverse);
  }

  public float weight() {
    return weight;
  }
}
