package sim.bench.es;

import java.util.Random;

/** A Zipf-like vocabulary of 5,000 words, so postings lengths look like natural text's. */
final class Corpus {
  static final String[] WORDS = new String[5_000];

  static {
    Random r = new Random(7);
    for (int i = 0; i < WORDS.length; i++) {
      StringBuilder b = new StringBuilder();
      int len = 3 + r.nextInt(7);
      for (int k = 0; k < len; k++) b.append((char) ('a' + r.nextInt(26)));
      WORDS[i] = b.toString();
    }
  }

  private Corpus() {}

  static String word(Random r) {
    // rank ~ 1/u: frequent words very frequent, long tail
    int rank = (int) Math.min(WORDS.length - 1, Math.floor(Math.pow(WORDS.length, r.nextDouble())) - 1);
    return WORDS[Math.max(0, rank)];
  }
}
