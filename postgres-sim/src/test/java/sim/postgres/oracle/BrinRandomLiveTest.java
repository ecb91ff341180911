package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.Simulation;
import sim.core.testing.SimTesting;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;

/**
 * Random BRIN workloads on a live PostgreSQL 15 and on the model: a table loaded in order, scattered or in
 * clusters, a BRIN index (1 to 8 pages per range) built before or after the load, sometimes a B-tree older or
 * newer than it, then random inserts (NULLs
 * among them), deletes, non-HOT updates, VACUUMs and brin_summarize_new_values; then every block through
 * pageinspect, and after ANALYZE, EXPLAIN with costs and the rows of random range and equality queries. Equal
 * byte for byte. {@code -Dbrin.seeds=N} (default 25).
 */
class BrinRandomLiveTest {
  @TestFactory
  Stream<DynamicTest> randomWorkloadsAgree() {
    String url = System.getenv("SIM_PG_URL");
    String version = url == null ? null : LivePostgresTest.serverVersion(url);
    SimTesting.requireOracle("PostgreSQL 15 with pageinspect (SIM_PG_URL)", version != null && version.startsWith("15"),
        "export SIM_PG_URL=jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    return LongStream.rangeClosed(1, Long.getLong("brin.seeds", 25)).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
      List<String> statements = new ArrayList<>();
      List<String> queries = new ArrayList<>();
      workload(new Random(seed), statements, queries);
      List<String> real = real(url, statements, queries);
      List<String> model = model(statements, queries);
      assertEquals(String.join("\n", real), String.join("\n", model), "seed " + seed + ": " + statements);
    }));
  }

  static String valueExpr(Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> "g";
      case 1 -> "(g * 7919) % 10007";
      default -> "g / 50 + (g % 7) * 100";
    };
  }

  static void workload(Random r, List<String> st, List<String> q) {
    int ppr = 1 + r.nextInt(8);
    boolean before = r.nextBoolean();
    st.add("create table brz (id int, v int, pad int)");
    String index = "create index brz_v on brz using brin (v) with (pages_per_range = " + ppr + ")";
    if (before) st.add(index);
    int btree = r.nextInt(3); // a B-tree on pad too: 0 none, 1 older than the BRIN index, 2 newer
    if (btree == 1) st.add("create index brz_pad on brz (pad)");
    int n = 500 + r.nextInt(8000);
    st.add("insert into brz select g, " + valueExpr(r) + ", g from generate_series(1, " + n + ") g");
    if (!before) st.add(index);
    if (btree == 2) st.add("create index brz_pad on brz (pad)");
    int ops = r.nextInt(8);
    int next = n + 1;
    for (int i = 0; i < ops; i++) {
      switch (r.nextInt(6)) {
        case 0 -> {
          int k = 1 + r.nextInt(800);
          st.add("insert into brz select g, " + valueExpr(r) + ", g from generate_series(" + next + ", " + (next + k - 1) + ") g");
          next += k;
        }
        case 1 -> st.add("insert into brz values (" + next++ + ", " + (r.nextBoolean() ? "null" : String.valueOf(r.nextInt(20000) - 5000)) + ", 0)");
        case 2 -> st.add("delete from brz where id between " + r.nextInt(n) + " and " + r.nextInt(n));
        case 3 -> st.add("update brz set v = v + " + (1 + r.nextInt(500)) + " where id % " + (20 + r.nextInt(80)) + " = 0");
        case 4 -> st.add("vacuum brz");
        default -> st.add("select brin_summarize_new_values('brz_v')");
      }
    }
    st.add("analyze brz");
    for (int i = 0; i < 4; i++) {
      int a = r.nextInt(10000);
      String where = switch (r.nextInt(4)) {
        case 0 -> "v < " + a;
        case 1 -> "v between " + a + " and " + (a + r.nextInt(300));
        case 2 -> "v = " + a;
        default -> "v > " + a + " and pad < " + r.nextInt(n);
      };
      q.add("explain select * from brz where " + where);
      q.add("select id, v from brz where " + where + " order by id");
    }
  }

  static List<String> real(String url, List<String> statements, List<String> queries) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("create extension if not exists pageinspect");
      st.execute("drop table if exists brz");
      for (String sql : statements) st.execute(sql);
      List<String> out = new ArrayList<>();
      long blocks = Long.parseLong(BTreeLayoutLiveTest.rows(st, "select pg_relation_size('brz_v') / 8192").get(0));
      for (long b = 0; b < blocks; b++) {
        String type = BTreeLayoutLiveTest.rows(st, "select brin_page_type(get_raw_page('brz_v', " + b + "))").get(0);
        out.add(b + ": " + type);
        for (String q : BrinLayoutLiveTest.queries("brz_v", b, type)) out.addAll(BTreeLayoutLiveTest.rows(st, q));
      }
      for (String q : queries) out.addAll(BTreeLayoutLiveTest.rows(st, q));
      st.execute("drop table brz");
      return out;
    }
  }

  static List<String> model(List<String> statements, List<String> queries) {
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)));
    for (String sql : statements) {
      Result r = db.execute("s", sql);
      if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    }
    List<String> out = new ArrayList<>();
    int blocks = db.sharedState().brins.get("brz_v").blocks();
    for (long b = 0; b < blocks; b++) {
      String type = (String) BTreeLayoutLiveTest.modelRows(db, "select * from brin_page_type(get_raw_page('brz_v', " + b + "))").get(0).get(0);
      out.add(b + ": " + type);
      for (String q : BrinLayoutLiveTest.queries("brz_v", b, type)) {
        for (List<Object> row : BTreeLayoutLiveTest.modelRows(db, q)) out.add(BTreeLayoutLiveTest.join(row));
      }
    }
    for (String q : queries) for (List<Object> row : BTreeLayoutLiveTest.modelRows(db, q)) out.add(BTreeLayoutLiveTest.join(row));
    return out;
  }
}
