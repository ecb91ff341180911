package sim.cassandra.script;

import java.util.List;

/** One JSON line per statement: {@code {"stmt":N,"status":"ok"[,"columns":[…],"rows":[[…]]]}} or an error. */
public final class ScriptJson {
  private ScriptJson() {}

  public static String line(int stmt, StatementResult result) {
    StringBuilder b = new StringBuilder("{\"stmt\":").append(stmt);
    if (result instanceof StatementResult.Rows rows) {
      b.append(",\"status\":\"ok\",\"columns\":");
      array(b, rows.columns());
      b.append(",\"rows\":[");
      for (int i = 0; i < rows.rows().size(); i++) {
        if (i > 0) b.append(',');
        array(b, rows.rows().get(i));
      }
      b.append(']');
    } else if (result instanceof StatementResult.Error e) {
      b.append(",\"status\":\"error\",\"error\":");
      string(b, e.code());
      b.append(",\"message\":");
      string(b, e.message());
    } else {
      b.append(",\"status\":\"ok\"");
    }
    return b.append('}').toString();
  }

  private static void array(StringBuilder b, List<String> values) {
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) b.append(',');
      String v = values.get(i);
      if (v == null) b.append("null");
      else string(b, v);
    }
    b.append(']');
  }

  static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    b.append('"');
  }
}
