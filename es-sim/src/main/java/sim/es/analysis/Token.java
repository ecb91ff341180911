package sim.es.analysis;

/**
 * One token as an analyzer emits it: the term, its position (0-based; the next token's is one more) and its
 * character offsets into the original text, {@code [startOffset, endOffset)}, with Lucene's type name.
 */
public record Token(String term, int position, int startOffset, int endOffset, String type) {
  @Override
  public String toString() {
    return term + "@" + position + "[" + startOffset + "," + endOffset + ")";
  }
}
