package sim.es.search;

import java.util.Arrays;

/** The docs of one segment that match a query, ascending, with their float scores. */
final class Matches {
  static final Matches NONE = new Matches(new int[0], new float[0], 0);

  final int[] docs;
  final float[] scores;
  final int size;

  Matches(int[] docs, float[] scores, int size) {
    this.docs = docs;
    this.scores = scores;
    this.size = size;
  }

  static Matches constant(int[] docs, int size, float score) {
    float[] s = new float[size];
    Arrays.fill(s, score);
    return new Matches(docs, s, size);
  }

  int indexOf(int doc) {
    int i = Arrays.binarySearch(docs, 0, size, doc);
    return i >= 0 ? i : -1;
  }
}
