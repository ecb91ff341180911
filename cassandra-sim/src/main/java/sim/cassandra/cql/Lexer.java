package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.List;

/** Splits one CQL statement into tokens. */
public final class Lexer {
  private Lexer() {}

  public static List<Token> tokenize(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (c == '\'') {
        StringBuilder b = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) throw new CqlException.Syntax("line 1:" + start + " unterminated string literal");
          char d = s.charAt(i);
          if (d == '\'') {
            if (i + 1 < n && s.charAt(i + 1) == '\'') {
              b.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          b.append(d);
          i++;
        }
        out.add(new Token(Token.Kind.STRING, b.toString(), start));
      } else if (c == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < n && s.charAt(i) != '"') b.append(s.charAt(i++));
        i++;
        out.add(new Token(Token.Kind.QUOTED_IDENT, b.toString(), start));
      } else if (c == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
        i += 2;
        while (i < n && Character.digit(s.charAt(i), 16) >= 0) i++;
        out.add(new Token(Token.Kind.HEX, s.substring(start + 2, i), start));
      } else if (isUuidAt(s, i)) {
        out.add(new Token(Token.Kind.UUID, s.substring(i, i + 36), start));
        i += 36;
      } else if (Character.isDigit(c) || (c == '-' && i + 1 < n && Character.isDigit(s.charAt(i + 1)) && negativeAllowed(out))) {
        i++;
        boolean isFloat = false;
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E'
            || ((s.charAt(i) == '-' || s.charAt(i) == '+') && (s.charAt(i - 1) == 'e' || s.charAt(i - 1) == 'E')))) {
          if (!Character.isDigit(s.charAt(i))) isFloat = true;
          i++;
        }
        out.add(new Token(isFloat ? Token.Kind.FLOAT : Token.Kind.INTEGER, s.substring(start, i), start));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        String word = s.substring(start, i);
        boolean bool = word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false");
        out.add(new Token(bool ? Token.Kind.BOOLEAN : Token.Kind.IDENT, word, start));
      } else {
        String two = i + 1 < n ? s.substring(i, i + 2) : "";
        if (two.equals("<=") || two.equals(">=") || two.equals("!=")) {
          out.add(new Token(Token.Kind.SYMBOL, two, start));
          i += 2;
        } else if ("=<>(),;.*[]{}:+-?".indexOf(c) >= 0) {
          out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c), start));
          i++;
        } else {
          throw new CqlException.Syntax("line 1:" + start + " no viable alternative at character '" + c + "'");
        }
      }
    }
    out.add(new Token(Token.Kind.EOF, "", n));
    return out;
  }

  /** A '-' starts a negative number only where a term may start (after an operator, a comma, a bracket). */
  private static boolean negativeAllowed(List<Token> before) {
    if (before.isEmpty()) return true;
    Token t = before.get(before.size() - 1);
    return t.kind() == Token.Kind.SYMBOL && !t.text().equals(")") && !t.text().equals("]") && !t.text().equals("}")
        || t.is("TTL") || t.is("TIMESTAMP") || t.is("LIMIT");
  }

  private static boolean isUuidAt(String s, int i) {
    if (i + 36 > s.length()) return false;
    for (int k = 0; k < 36; k++) {
      char c = s.charAt(i + k);
      boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) return false;
    }
    return i + 36 == s.length() || !Character.isLetterOrDigit(s.charAt(i + 36));
  }
}
