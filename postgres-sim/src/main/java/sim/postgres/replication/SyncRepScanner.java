package sim.postgres.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * syncrep_scanner.l: the tokens of synchronous_standby_names, each a {kind, text} pair with kind one of
 * ANY, FIRST, NAME, NUM, "(", ")" and ",". Whitespace separates; flex's longest match makes "firsts" a
 * NAME and "first" the keyword; a digit run followed by identifier characters is a NUM then a NAME.
 */
final class SyncRepScanner {
  private SyncRepScanner() {}

  static List<String[]> scan(String text) {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (isSpace(c)) {
        i++;
      } else if (c == '"') {
        i = quoted(text, i, out);
      } else if (identStart(c)) {
        int j = i + 1;
        while (j < text.length() && identCont(text.charAt(j))) j++;
        String word = text.substring(i, j);
        String kind = word.equalsIgnoreCase("any") ? "ANY" : word.equalsIgnoreCase("first") ? "FIRST" : "NAME";
        out.add(new String[] {kind, word});
        i = j;
      } else if (c >= '0' && c <= '9') {
        int j = i + 1;
        while (j < text.length() && text.charAt(j) >= '0' && text.charAt(j) <= '9') j++;
        out.add(new String[] {"NUM", text.substring(i, j)});
        i = j;
      } else if (c == '*') {
        out.add(new String[] {"NAME", "*"});
        i++;
      } else if (c == '(' || c == ')' || c == ',') {
        out.add(new String[] {String.valueOf(c), String.valueOf(c)});
        i++;
      } else {
        throw SyncStandbyNames.syntax(text); // JUNK
      }
    }
    return out;
  }

  /** A double-quoted identifier: anything up to the closing quote, "" standing for one quote. */
  private static int quoted(String text, int i, List<String[]> out) {
    StringBuilder b = new StringBuilder();
    int j = i + 1;
    while (true) {
      if (j >= text.length()) throw new IllegalArgumentException("unterminated quoted identifier in synchronous_standby_names");
      char c = text.charAt(j);
      if (c == '"') {
        if (j + 1 < text.length() && text.charAt(j + 1) == '"') {
          b.append('"');
          j += 2;
          continue;
        }
        out.add(new String[] {"NAME", b.toString()});
        return j + 1;
      }
      b.append(c);
      j++;
    }
  }

  /** flex's {space}: [ \t\n\r\f\v]. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
  }

  /** ident_start [A-Za-z\200-\377_]: bytes 0x80-0xFF are any non-ASCII character here. */
  private static boolean identStart(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c >= 0x80;
  }

  /** ident_cont [A-Za-z\200-\377_0-9\$]. */
  private static boolean identCont(char c) {
    return identStart(c) || (c >= '0' && c <= '9') || c == '$';
  }
}
