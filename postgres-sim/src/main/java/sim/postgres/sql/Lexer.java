package sim.postgres.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits SQL text into tokens: identifiers fold to lower case unless double-quoted, as in PostgreSQL. */
final class Lexer {
  static final Set<String> KEYWORDS = Set.of(
      "select", "from", "where", "and", "or", "not", "in", "is", "null", "true", "false", "order", "by",
      "asc", "desc", "for", "update", "share", "key", "no", "insert", "into", "values", "set", "delete",
      "create", "table", "index", "on", "primary", "unique", "begin", "start", "transaction", "work",
      "commit", "end", "rollback", "abort", "isolation", "level", "read", "committed", "uncommitted",
      "repeatable", "serializable", "as", "drop", "if", "exists", "vacuum", "nulls", "first", "last",
      "between", "only", "write", "freeze", "limit", "distinct", "group", "having", "checkpoint", "savepoint",
      "release", "with");

  private Lexer() {}

  static List<Token> lex(String sql) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') i++;
      } else if (Character.isLetter(c) || c == '_') {
        int s = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) i++;
        String word = sql.substring(s, i);
        String lower = word.toLowerCase(Locale.ROOT);
        out.add(new Token(KEYWORDS.contains(lower) ? Token.Kind.KEYWORD : Token.Kind.IDENT, word, lower));
      } else if (Character.isDigit(c)) {
        int s = i;
        while (i < n && Character.isDigit(sql.charAt(i))) i++;
        out.add(new Token(Token.Kind.NUMBER, sql.substring(s, i), sql.substring(s, i)));
      } else if (c == '\'') {
        StringBuilder b = new StringBuilder();
        int s = i++;
        while (true) {
          if (i >= n) throw new SqlException(SqlException.SYNTAX_ERROR, "unterminated quoted string at or near \"" + sql.substring(s) + "\"");
          char d = sql.charAt(i++);
          if (d == '\'') {
            if (i < n && sql.charAt(i) == '\'') {
              b.append('\'');
              i++;
            } else {
              break;
            }
          } else {
            b.append(d);
          }
        }
        out.add(new Token(Token.Kind.STRING, sql.substring(s, i), b.toString()));
      } else if (c == '"') {
        int s = ++i;
        while (i < n && sql.charAt(i) != '"') i++;
        if (i >= n) throw new SqlException(SqlException.SYNTAX_ERROR, "unterminated quoted identifier at or near \"" + sql.substring(s - 1) + "\"");
        String name = sql.substring(s, i++);
        out.add(new Token(Token.Kind.IDENT, '"' + name + '"', name));
      } else {
        String two = i + 1 < n ? sql.substring(i, i + 2) : "";
        if (two.equals("<=") || two.equals(">=") || two.equals("<>") || two.equals("!=") || two.equals("||")) {
          out.add(new Token(Token.Kind.SYMBOL, two, two.equals("!=") ? "<>" : two));
          i += 2;
        } else if ("=<>+-*/%(),;.".indexOf(c) >= 0) {
          out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), String.valueOf(c)));
          i++;
        } else {
          throw new SqlException(SqlException.SYNTAX_ERROR, "syntax error at or near \"" + c + "\"");
        }
      }
    }
    out.add(new Token(Token.Kind.END, "", ""));
    return out;
  }
}
