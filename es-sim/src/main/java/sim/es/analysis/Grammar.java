package sim.es.analysis;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * A tiny regular-expression algebra over character classes, enough to write Lucene's
 * StandardTokenizerImpl.jflex rules as they read, so that {@link Automaton} can compile them the way JFlex
 * does (longest match, the earlier rule winning a tie).
 */
sealed interface Grammar {
  /** One code point whose class flags satisfy {@code test}. */
  record Chars(IntPredicate test) implements Grammar {}

  record Seq(List<Grammar> parts) implements Grammar {}

  record Alt(List<Grammar> options) implements Grammar {}

  record Star(Grammar body) implements Grammar {}

  static Grammar chars(int anyOfFlags) {
    return new Chars(f -> (f & anyOfFlags) != 0);
  }

  static Grammar seq(Grammar... parts) {
    return new Seq(List.of(parts));
  }

  static Grammar alt(Grammar... options) {
    return new Alt(List.of(options));
  }

  static Grammar star(Grammar body) {
    return new Star(body);
  }

  static Grammar plus(Grammar body) {
    return seq(body, star(body));
  }

  static Grammar opt(Grammar body) {
    return alt(body, seq());
  }
}
