package sim.postgres.sql;

import java.util.List;

/**
 * The parser's position in the token list and the moves every grammar rule makes. Errors name the token
 * PostgreSQL's grammar would stop at: {@code syntax error at or near "selec"} or {@code syntax error at end
 * of input}, SQLSTATE 42601.
 */
final class TokenCursor {
  private final List<Token> tokens;
  private int pos;

  TokenCursor(List<Token> tokens) {
    this.tokens = tokens;
  }

  Token peek() {
    return tokens.get(pos);
  }

  /** The token {@code k} ahead of the current one. */
  Token peekAt(int k) {
    return tokens.get(pos + k);
  }

  Token next() {
    return tokens.get(pos++);
  }

  /** Moves {@code n} tokens (back when negative) past tokens the caller has looked at. */
  void skip(int n) {
    pos += n;
  }

  /** Where the cursor is, to come back to with {@link #reset} when a rule does not match after all. */
  int mark() {
    return pos;
  }

  void reset(int mark) {
    pos = mark;
  }

  boolean accept(String kw) {
    if (peek().is(kw)) {
      pos++;
      return true;
    }
    return false;
  }

  void expect(String kw) {
    if (!accept(kw)) throw error();
  }

  SqlException error() {
    Token t = peek();
    if (t.kind() == Token.Kind.END) return new SqlException(SqlException.SYNTAX_ERROR, "syntax error at end of input");
    return new SqlException(SqlException.SYNTAX_ERROR, "syntax error at or near \"" + t.text() + "\"");
  }

  String identifier() {
    Token t = peek();
    // unreserved keywords PostgreSQL also accepts as names
    if (t.kind() == Token.Kind.IDENT || (t.kind() == Token.Kind.KEYWORD && isUnreserved(t.value()))) {
      pos++;
      return t.value();
    }
    throw error();
  }

  static boolean isUnreserved(String kw) {
    return switch (kw) {
      case "key", "share", "level", "read", "committed", "write", "first", "last", "no", "isolation",
          "work", "transaction", "nulls", "index", "insert", "update", "delete", "vacuum", "begin",
          "commit", "start", "rollback", "abort", "uncommitted", "repeatable", "serializable", "values",
          "if", "exists", "by", "set", "checkpoint", "savepoint", "release" -> true;
      default -> false;
    };
  }
}
