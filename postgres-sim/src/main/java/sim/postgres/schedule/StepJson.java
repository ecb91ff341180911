package sim.postgres.schedule;

import java.util.List;
import sim.postgres.engine.Result;

/** The runner's output line for one step, byte-for-byte the format of the JDBC reference runner. */
public final class StepJson {
  private StepJson() {}

  public static String blocked(Schedule.Step s) {
    return head(s) + "\"status\":\"blocked\"}";
  }

  public static String of(Schedule.Step s, Result r) {
    if (r instanceof Result.Rows rows) {
      StringBuilder b = new StringBuilder(head(s)).append("\"status\":\"ok\",\"rows\":[");
      for (int i = 0; i < rows.rows().size(); i++) {
        b.append(i == 0 ? "[" : ",[");
        List<Object> row = rows.rows().get(i);
        for (int c = 0; c < row.size(); c++) {
          if (c > 0) b.append(',');
          Object v = row.get(c);
          if (v == null) b.append("null");
          else if (v instanceof java.math.BigDecimal d) b.append(d.toPlainString()); // numeric_out's text: 0.00000000000000000000, not 0E-20
          else if (v instanceof Number || v instanceof Boolean) b.append(v);
          else b.append('"').append(escape(v.toString())).append('"');
        }
        b.append(']');
      }
      return b.append("]}").toString();
    }
    if (r instanceof Result.Count c) {
      String verb = s.sql().strip().split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
      if (verb.equals("insert") || verb.equals("update") || verb.equals("delete")) {
        return head(s) + "\"status\":\"ok\",\"count\":" + c.count() + "}";
      }
      return head(s) + "\"status\":\"ok\"}";
    }
    if (r instanceof Result.Error e) {
      return head(s) + "\"status\":\"error\",\"sqlstate\":\"" + e.sqlState() + "\",\"message\":\"" + escape(e.message()) + "\"}";
    }
    return head(s) + "\"status\":\"ok\"}";
  }

  private static String head(Schedule.Step s) {
    return "{\"step\":" + s.index() + ",\"session\":\"" + s.session() + "\",";
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
