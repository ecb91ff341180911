package sim.cassandra.cql;

import java.util.List;
import java.util.Locale;

/**
 * The parser's position in the token list, and the small moves every grammar rule makes: look ahead,
 * take a token, accept or expect a keyword or symbol. Errors read like ANTLR's in Cassandra:
 * {@code line 1:7 mismatched input 'x' expecting K_FROM}.
 */
final class TokenCursor {
  private final List<Token> tokens;
  private int pos;

  TokenCursor(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Moves past {@code n} tokens the caller has already looked at. */
  void skip(int n) {
    pos += n;
  }

  boolean ifNotExists() {
    if (peek().is("IF")) {
      pos++;
      expect("NOT");
      expect("EXISTS");
      return true;
    }
    return false;
  }

  boolean ifExists() {
    if (peek().is("IF")) {
      pos++;
      expect("EXISTS");
      return true;
    }
    return false;
  }

  String[] qualifiedName() {
    String first = identifier();
    if (acceptSymbol(".")) return new String[] {first, identifier()};
    return new String[] {null, first};
  }

  /** Unquoted identifiers are case-insensitive (lower-cased); quoted ones keep their case. */
  String identifier() {
    Token t = next();
    if (t.kind() == Token.Kind.IDENT) return t.text().toLowerCase(Locale.ROOT);
    if (t.kind() == Token.Kind.QUOTED_IDENT) return t.text();
    throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + quote(t));
  }

  Token peek() {
    return tokens.get(pos);
  }

  Token peekAt(int k) {
    return tokens.get(Math.min(pos + k, tokens.size() - 1));
  }

  Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.EOF) pos++;
    return t;
  }

  boolean accept(String keyword) {
    if (peek().is(keyword)) {
      pos++;
      return true;
    }
    return false;
  }

  boolean acceptSymbol(String s) {
    if (peek().isSymbol(s)) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(String keyword) {
    if (!accept(keyword)) throw error("mismatched input " + quote(peek()) + " expecting K_" + keyword.toUpperCase(Locale.ROOT));
  }

  void expectSymbol(String s) {
    if (!acceptSymbol(s)) throw error("mismatched input " + quote(peek()) + " expecting '" + s + "'");
  }

  CqlException error(String what) {
    return new CqlException.Syntax("line 1:" + peek().column() + " " + what);
  }

  static String quote(Token t) {
    return "'" + t.display() + "'";
  }
}
