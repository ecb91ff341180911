package sim.cassandra.cql;

/** A lexical token of CQL: its kind, its text (identifiers unquoted, strings unescaped) and where it starts. */
public record Token(Kind kind, String text, int column) {
  public enum Kind { IDENT, QUOTED_IDENT, STRING, INTEGER, FLOAT, HEX, UUID, BOOLEAN, SYMBOL, EOF }

  public boolean is(String keyword) {
    return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
  }

  public boolean isSymbol(String s) {
    return kind == Kind.SYMBOL && text.equals(s);
  }

  /** How the token appears in Cassandra's syntax error messages. */
  public String display() {
    return switch (kind) {
      case STRING -> "'" + text + "'";
      case QUOTED_IDENT -> "\"" + text + "\"";
      case EOF -> "<EOF>";
      default -> text;
    };
  }
}
