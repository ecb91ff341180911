package sim.es.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/** The token stream Lucene 9.12 produces for the same analyzer, as our {@link Token}s. */
final class LuceneTokens {
  private LuceneTokens() {}

  static org.apache.lucene.analysis.Analyzer analyzer(String name) {
    return switch (name) {
      case "standard" -> new StandardAnalyzer();
      case "simple" -> new SimpleAnalyzer();
      case "whitespace" -> new WhitespaceAnalyzer();
      case "keyword" -> new KeywordAnalyzer();
      default -> throw new IllegalArgumentException(name);
    };
  }

  static List<Token> tokens(org.apache.lucene.analysis.Analyzer analyzer, String text) {
    List<Token> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("body", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      ts.reset();
      int position = -1;
      while (ts.incrementToken()) {
        position += inc.getPositionIncrement();
        out.add(new Token(term.toString(), position, offset.startOffset(), offset.endOffset(), type.type()));
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
