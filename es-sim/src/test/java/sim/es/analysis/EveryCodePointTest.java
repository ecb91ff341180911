package sim.es.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Every code point, alone and between letters and digits, is tokenized as Lucene 9.12 does: this checks our
 * generated character classes against the ones compiled into Lucene's StandardTokenizerImpl, all 1.1M of them.
 */
class EveryCodePointTest {
  private final org.apache.lucene.analysis.Analyzer lucene = LuceneTokens.analyzer("standard");

  @Test
  void everyCodePointAloneAndInContext() {
    for (String[] context : new String[][] {{" ", " "}, {"a", "a"}, {"1", "1"}, {"\u05d0", "\u05d0"}, {"\u30ab", "\u30ab"}}) {
      StringBuilder chunk = new StringBuilder();
      for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) continue;
        chunk.append(context[0]).appendCodePoint(cp).append(context[1]).append(' ');
        if (chunk.length() > 4000 || cp == Character.MAX_CODE_POINT) {
          String text = chunk.toString();
          assertEquals(LuceneTokens.tokens(lucene, text), Analyzers.standard().tokens(text),
              () -> "around U+" + Integer.toHexString(text.codePointBefore(text.length() - 2)));
          chunk.setLength(0);
        }
      }
    }
  }
}
