package sim.es.analysis;

import java.util.function.IntPredicate;
import sim.core.Check;

/**
 * Elasticsearch's built-in analyzers. {@code standard}: the UAX #29 {@link StandardTokenizer}, then the
 * lowercase filter, and no stop words (Elasticsearch's {@code stopwords: _none_}); {@code simple}: split at
 * every non-letter, lowercase; {@code whitespace}: split at whitespace, nothing else; {@code keyword}: the
 * whole text as one token. Lowercasing is per code point ({@code Character.toLowerCase(int)}), as Lucene's
 * LowerCaseFilter does.
 */
public final class Analyzers {
  /** Lucene's CharTokenizer.DEFAULT_MAX_WORD_LEN: letter and whitespace tokens are cut at this length. */
  public static final int CHAR_TOKENIZER_MAX_WORD_LEN = 255;

  private static final Analyzer STANDARD = standard(StandardTokenizer.DEFAULT_MAX_TOKEN_LENGTH);
  private static final Analyzer SIMPLE = new CharTokenizerAnalyzer("simple", Character::isLetter, true);
  private static final Analyzer WHITESPACE = new CharTokenizerAnalyzer("whitespace", c -> !Character.isWhitespace(c), false);
  private static final Analyzer KEYWORD = new Analyzer() {
    @Override
    public String name() {
      return "keyword";
    }

    @Override
    public void analyze(String text, Sink sink) {
      sink.token(text, 0, 0, text.length(), "word"); // even the empty text is one (empty) token
    }
  };

  private Analyzers() {}

  public static Analyzer standard() {
    return STANDARD;
  }

  /** The standard analyzer with {@code max_token_length} set. */
  public static Analyzer standard(int maxTokenLength) {
    Check.argument(maxTokenLength > 1, "max_token_length must be at least 2, got %s", maxTokenLength);
    return new Analyzer() {
      @Override
      public String name() {
        return "standard";
      }

      @Override
      public void analyze(String text, Sink sink) {
        int[] position = {0};
        StandardTokenizer.scan(text, maxTokenLength, (start, end, rule) ->
            sink.token(lowercase(text, start, end), position[0]++, start, end, StandardTokenizer.TYPES[rule]));
      }
    };
  }

  public static Analyzer simple() {
    return SIMPLE;
  }

  public static Analyzer whitespace() {
    return WHITESPACE;
  }

  public static Analyzer keyword() {
    return KEYWORD;
  }

  static String lowercase(String text, int start, int end) {
    StringBuilder out = null;
    for (int i = start; i < end; ) {
      int cp = text.codePointAt(i);
      int lower = Character.toLowerCase(cp);
      if (lower != cp && out == null) out = new StringBuilder(end - start).append(text, start, i);
      if (out != null) out.appendCodePoint(lower);
      i += Character.charCount(cp);
    }
    return out == null ? text.substring(start, end) : out.toString();
  }

  /** Lucene's CharTokenizer: a token is a run of token chars, cut at 255 chars (a surrogate pair may make it 256). */
  private record CharTokenizerAnalyzer(String name, IntPredicate isTokenChar, boolean lowercases) implements Analyzer {
    @Override
    public void analyze(String text, Sink sink) {
      int position = 0;
      int i = 0;
      int length = text.length();
      while (i < length) {
        int start = -1;
        int chars = 0;
        while (i < length) {
          int cp = text.codePointAt(i);
          int n = Character.charCount(cp);
          if (isTokenChar.test(cp)) {
            if (start < 0) start = i;
            i += n;
            chars += n;
            if (chars >= CHAR_TOKENIZER_MAX_WORD_LEN) break;
          } else {
            i += n;
            if (start >= 0) {
              break;
            }
          }
        }
        if (start < 0) return;
        int end = start + chars;
        sink.token(lowercases ? Analyzers.lowercase(text, start, end) : text.substring(start, end), position++, start, end, "word");
      }
    }
  }
}
