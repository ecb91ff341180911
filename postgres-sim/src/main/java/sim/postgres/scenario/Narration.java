package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sim.postgres.engine.Result;

/**
 * How a statement and its outcome read in a run: SQL with long literals abbreviated, and the reply as
 * psql would summarize it (command tag, the first rows, or ERROR with its SQLSTATE).
 */
final class Narration {
  static final int MAX_LITERAL = 12;
  static final int MAX_ROWS = 3;
  static final int MAX_VALUE = 16;
  private static final Pattern STRING_LITERAL = Pattern.compile("'([^']*)'");

  private Narration() {}

  /** {@code 'yyyyyyyy…'(400)} instead of a 400-character literal. */
  static String abbreviateSql(String sql) {
    Matcher m = STRING_LITERAL.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String lit = m.group(1);
      String shown = lit.length() <= MAX_LITERAL ? m.group() : "'" + lit.substring(0, MAX_LITERAL) + "…'(" + lit.length() + ")";
      m.appendReplacement(out, Matcher.quoteReplacement(shown));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** "INSERT 0 1", "SELECT 2: (1, 10) (2, 20)", "ERROR 40001: could not serialize access …". */
  static String outcome(String sql, Result r) {
    if (r instanceof Result.Error e) return "ERROR " + e.sqlState() + ": " + e.message();
    if (r instanceof Result.Rows rows) {
      StringBuilder b = new StringBuilder("SELECT ").append(rows.rows().size());
      if (!rows.rows().isEmpty()) b.append(':');
      for (int i = 0; i < Math.min(MAX_ROWS, rows.rows().size()); i++) b.append(' ').append(row(rows.rows().get(i)));
      if (rows.rows().size() > MAX_ROWS) b.append(" …");
      return b.toString();
    }
    String verb = verb(sql);
    if (r instanceof Result.Count c) {
      return switch (verb) {
        case "INSERT" -> "INSERT 0 " + c.count();
        case "UPDATE", "DELETE" -> verb + " " + c.count();
        default -> verb;
      };
    }
    return switch (verb) {
      case "END" -> "COMMIT";
      case "ABORT" -> "ROLLBACK";
      case "CREATE", "DROP" -> verb + " " + secondWord(sql);
      default -> verb;
    };
  }

  static Object[] attributes(String session, long query, Result r, int committedXid, String commitLsn, long subtransLookups) {
    List<Object> a = new ArrayList<>(List.of("session", session, "query", query));
    if (r instanceof Result.Error e) {
      a.addAll(List.of("status", "error", "sqlstate", e.sqlState()));
    } else {
      a.addAll(List.of("status", "ok"));
      if (r instanceof Result.Rows rows) a.addAll(List.of("rows", rows.rows().size()));
      if (r instanceof Result.Count c) a.addAll(List.of("count", c.count()));
    }
    if (committedXid != 0) a.addAll(List.of("xid", Integer.toUnsignedLong(committedXid), "commitLsn", commitLsn));
    a.addAll(List.of("subtransLookups", subtransLookups));
    return a.toArray();
  }

  private static String row(List<Object> row) {
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) b.append(", ");
      Object v = row.get(i);
      String s = v == null ? "NULL" : v instanceof String str ? "'" + str + "'" : v.toString();
      b.append(s.length() <= MAX_VALUE ? s : s.substring(0, MAX_VALUE) + "…");
    }
    return b.append(')').toString();
  }

  private static String verb(String sql) {
    String[] w = sql.strip().split("\\s+");
    return w[0].toUpperCase(Locale.ROOT).replace(";", "");
  }

  private static String secondWord(String sql) {
    String[] w = sql.strip().split("\\s+");
    return w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
  }
}
