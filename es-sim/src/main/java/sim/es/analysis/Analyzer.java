package sim.es.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * Text in, tokens out: a tokenizer and its token filters, as Elasticsearch's built-in analyzers are made
 * ({@code standard}, {@code simple}, {@code whitespace}, {@code keyword}).
 */
public interface Analyzer {
  /** Receives each token: term text, position, character offsets, Lucene type. */
  interface Sink {
    void token(String term, int position, int startOffset, int endOffset, String type);
  }

  /** The analyzer's name in an Elasticsearch mapping ("standard"). */
  String name();

  void analyze(String text, Sink sink);

  default List<Token> tokens(String text) {
    List<Token> out = new ArrayList<>();
    analyze(text, (term, position, start, end, type) -> out.add(new Token(term, position, start, end, type)));
    return out;
  }

  /** The built-in analyzer of that name, with Elasticsearch's defaults. */
  static Analyzer named(String name) {
    return switch (name) {
      case "standard" -> Analyzers.standard();
      case "simple" -> Analyzers.simple();
      case "whitespace" -> Analyzers.whitespace();
      case "keyword" -> Analyzers.keyword();
      default -> throw new IllegalArgumentException("failed to find analyzer [" + name + "]");
    };
  }
}
