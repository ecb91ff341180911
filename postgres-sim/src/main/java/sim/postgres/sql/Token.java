package sim.postgres.sql;

/** One lexical token; {@code text} is what PostgreSQL quotes in "syntax error at or near". */
record Token(Kind kind, String text, String value) {
  enum Kind { IDENT, KEYWORD, NUMBER, STRING, SYMBOL, END }

  boolean is(String keywordOrSymbol) {
    return (kind == Kind.KEYWORD || kind == Kind.SYMBOL) && value.equals(keywordOrSymbol);
  }
}
