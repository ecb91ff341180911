package sim.postgres.oracle;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays a schedule file against a real PostgreSQL over JDBC and returns the JSON lines the simulator's
 * schedule runner must print. One connection and one thread per session; a statement still running after
 * {@link #BLOCKED_AFTER_MS} is reported {@code blocked}, and its own line follows the step that released it.
 * Self-contained (JDK + JDBC only) so {@code scripts/regen-goldens.sh} can launch it as a source file.
 */
public final class PgOracle {
  static final long BLOCKED_AFTER_MS = 400;
  static final long RELEASE_WAIT_MS = 300;

  record Step(int index, String session, String sql) {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: PgOracle JDBC_URL SCHEDULE_FILE [OUT_FILE]");
      System.exit(2);
    }
    List<String> lines = run(args[0], Path.of(args[1]));
    if (args.length > 2) Files.write(Path.of(args[2]), lines);
    else lines.forEach(System.out::println);
    System.exit(0);
  }

  /** Runs the schedule and returns one JSON line per step (blocked steps twice: blocked, then released). */
  public static List<String> run(String url, Path schedule) throws Exception {
    List<String> setup = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    for (String raw : Files.readAllLines(schedule)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("--")) continue;
      int colon = line.indexOf(':');
      String who = line.substring(0, colon).strip();
      String sql = line.substring(colon + 1).strip();
      if (who.equals("setup")) setup.add(sql);
      else steps.add(new Step(steps.size() + 1, who, sql));
    }
    try (Connection admin = DriverManager.getConnection(url); Statement st = admin.createStatement()) {
      st.execute("drop table if exists test");
      for (String s : setup) st.execute(s);
    }
    Map<String, Connection> conns = new LinkedHashMap<>();
    Map<String, ExecutorService> threads = new LinkedHashMap<>();
    List<String> out = new ArrayList<>();
    Map<Integer, Future<String>> blocked = new TreeMap<>();
    try {
      for (Step s : steps) {
        if (!conns.containsKey(s.session())) {
          conns.put(s.session(), DriverManager.getConnection(url));
          threads.put(s.session(), Executors.newSingleThreadExecutor());
        }
        Connection c = conns.get(s.session());
        Future<String> f = threads.get(s.session()).submit(() -> execute(c, s));
        try {
          out.add(f.get(BLOCKED_AFTER_MS, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
          out.add(head(s) + "\"status\":\"blocked\"}");
          blocked.put(s.index(), f);
        }
        for (var it = blocked.entrySet().iterator(); it.hasNext(); ) {
          var e = it.next();
          try {
            out.add(e.getValue().get(RELEASE_WAIT_MS, TimeUnit.MILLISECONDS));
            it.remove();
          } catch (TimeoutException stillWaiting) {
            // released by a later step
          }
        }
      }
    } finally {
      threads.values().forEach(ExecutorService::shutdownNow);
      for (Connection c : conns.values()) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the server may already have closed it
        }
      }
    }
    return out;
  }

  static String head(Step s) {
    return "{\"step\":" + s.index() + ",\"session\":\"" + s.session() + "\",";
  }

  static String execute(Connection c, Step s) {
    try (Statement st = c.createStatement()) {
      if (st.execute(s.sql())) {
        StringBuilder b = new StringBuilder(head(s)).append("\"status\":\"ok\",\"rows\":[");
        try (ResultSet r = st.getResultSet()) {
          int cols = r.getMetaData().getColumnCount();
          for (int row = 0; r.next(); row++) {
            b.append(row == 0 ? "[" : ",[");
            for (int i = 1; i <= cols; i++) {
              if (i > 1) b.append(',');
              Object v = r.getObject(i);
              if (v == null) b.append("null");
              else if (v instanceof java.math.BigDecimal d) b.append(d.toPlainString()); // numeric_out's text: 0.00000000000000000000, not 0E-20
              else if (v instanceof Number || v instanceof Boolean) b.append(v);
              else b.append('"').append(escape(v.toString())).append('"');
            }
            b.append(']');
          }
        }
        return b.append("]}").toString();
      }
      String verb = s.sql().strip().split("\\s+")[0].toLowerCase(Locale.ROOT);
      if (verb.equals("insert") || verb.equals("update") || verb.equals("delete"))
        return head(s) + "\"status\":\"ok\",\"count\":" + st.getUpdateCount() + "}";
      return head(s) + "\"status\":\"ok\"}";
    } catch (SQLException e) {
      String msg = e.getMessage().lines().findFirst().orElse("").replaceFirst("^ERROR: ", "");
      return head(s) + "\"status\":\"error\",\"sqlstate\":\"" + e.getSQLState() + "\",\"message\":\""
          + escape(msg) + "\"}";
    }
  }

  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
