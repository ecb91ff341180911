package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.Simulation;
import sim.core.testing.SimTesting;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.nbtree.BTree;
import sim.postgres.schedule.ScheduleRunner;

/**
 * The model's B-tree pages are PostgreSQL's: the same statements on a live PostgreSQL 15 and on the model,
 * then bt_metap, and bt_page_stats and bt_page_items of every block, compared row for row (pageinspect's
 * output, so item order, ctids, sizes, key bytes, posting lists, high keys, downlinks, siblings and flags).
 * Workloads: ascending, descending and scattered inserts through leaf and internal page splits, a new
 * root, duplicates deduplicated into posting lists, text keys, a two-column index with local ascending
 * groups, NULLs, deletes and updates followed by VACUUM.
 */
class BTreeLayoutLiveTest {
  record Workload(String name, String index, List<String> statements) {}

  static final List<Workload> WORKLOADS = List.of(
      new Workload("ascending", "bta_pkey", List.of(
          "create table bta (id int primary key, v int)",
          "insert into bta select g, g from generate_series(1, 5000) g")),
      new Workload("descending", "btd_pkey", List.of(
          "create table btd (id int primary key, v int)",
          "insert into btd select 6000 - g, g from generate_series(1, 5000) g")),
      new Workload("scattered", "bts_pkey", List.of(
          "create table bts (id int primary key, v int)",
          "insert into bts select (g * 7919) % 10007, g from generate_series(1, 6000) g")),
      new Workload("bigint keys, many levels", "btb_pkey", List.of(
          "create table btb (id bigint primary key)",
          "insert into btb select (g * 7919) % 200003 from generate_series(1, 120000) g")),
      new Workload("few distinct values: deduplication", "btf_v", List.of(
          "create table btf (id int, v int)",
          "create index btf_v on btf (v)",
          "insert into btf select g, g % 3 from generate_series(1, 3000) g")),
      new Workload("duplicates in batches: posting list splits", "btp_v", List.of(
          "create table btp (id int, v int)",
          "create index btp_v on btp (v)",
          "insert into btp select g, (g * 37) % 50 from generate_series(1, 4000) g")),
      new Workload("one value: single value strategy", "btone_v", List.of(
          "create table btone (id int, v int)",
          "create index btone_v on btone (v)",
          "insert into btone select g, 7 from generate_series(1, 6000) g")),
      new Workload("text keys", "btt_pkey", List.of(
          "create table btt (k text primary key, v int)",
          "insert into btt select 'key-' || ((g * 7919) % 10007), g from generate_series(1, 3000) g")),
      new Workload("two columns, ascending within groups", "btm_a_b", List.of(
          "create table btm (a int, b int)",
          "create index btm_a_b on btm (a, b)",
          "insert into btm select g % 10, g from generate_series(1, 4000) g")),
      new Workload("NULLs", "btn_v", List.of(
          "create table btn (id int, v int)",
          "create index btn_v on btn (v)",
          "insert into btn select g, null from generate_series(1, 300) g",
          "insert into btn select g, g from generate_series(1, 1000) g")),
      new Workload("deletes and VACUUM", "btv_pkey", List.of(
          "create table btv (id int primary key, v int)",
          "insert into btv select g, g from generate_series(1, 2000) g",
          "delete from btv where id % 3 = 0",
          "vacuum btv")),
      new Workload("non-HOT updates leave entries behind", "btu_pkey", List.of(
          "create table btu (id int primary key, v int)",
          "create index btu_v on btu (v)",
          "insert into btu select g, g from generate_series(1, 500) g",
          "update btu set v = v + 1000 where id % 2 = 0")),
      new Workload("an index scan marks dead entries", "btk_pkey", List.of(
          "create table btk (id int primary key, v int)",
          "insert into btk select g, g from generate_series(1, 400) g",
          "delete from btk where id between 10 and 20",
          "select * from btk where id = 10",
          "select * from btk where id = 11",
          "select * from btk where id in (12, 13, 30)")),
      new Workload("CREATE INDEX on a table with rows", "btc_v", List.of(
          "create table btc (id int, v int)",
          "insert into btc select g, (g * 7919) % 10007 from generate_series(1, 3000) g",
          "create index btc_v on btc (v)")),
      new Workload("CREATE INDEX, two levels of internal pages", "btcl_pkey", List.of(
          "create table btcl (id bigint, t text)",
          "insert into btcl select (g * 7919) % 300007, 'row ' || g from generate_series(1, 150000) g",
          "create unique index btcl_pkey on btcl (id)")),
      new Workload("CREATE INDEX on duplicates", "btcd_v", List.of(
          "create table btcd (id int, v int)",
          "insert into btcd select g, g % 20 from generate_series(1, 3000) g",
          "create index btcd_v on btcd (v)")),
      new Workload("VACUUM after non-HOT updates", "btw_v", List.of(
          "create table btw (id int primary key, v int)",
          "create index btw_v on btw (v)",
          "insert into btw select g, g % 10 from generate_series(1, 1000) g",
          "update btw set v = v + 1 where id % 3 = 0",
          "vacuum btw")));

  @TestFactory
  Stream<DynamicTest> pagesEqualPageinspect() {
    String url = System.getenv("SIM_PG_URL");
    String version = url == null ? null : LivePostgresTest.serverVersion(url);
    SimTesting.requireOracle("PostgreSQL 15 with pageinspect (SIM_PG_URL)", version != null && version.startsWith("15"),
        "export SIM_PG_URL=jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    return WORKLOADS.stream().map(w -> DynamicTest.dynamicTest(w.name(), () -> {
      List<String> real = real(url, w);
      List<String> model = model(w);
      assertEquals(String.join("\n", real), String.join("\n", model), w.name());
    }));
  }

  static String table(Workload w) {
    return w.statements().get(0).split(" ")[2];
  }

  static List<String> real(String url, Workload w) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("create extension if not exists pageinspect");
      st.execute("drop table if exists " + table(w));
      for (String sql : w.statements()) st.execute(sql);
      List<String> out = rows(st, "select * from bt_metap('" + w.index() + "')");
      long blocks;
      try (ResultSet r = st.executeQuery("select pg_relation_size('" + w.index() + "') / 8192")) {
        r.next();
        blocks = r.getLong(1);
      }
      for (long b = 1; b < blocks; b++) {
        out.addAll(rows(st, "select * from bt_page_stats('" + w.index() + "', " + b + ")"));
        out.addAll(rows(st, "select * from bt_page_items('" + w.index() + "', " + b + ")"));
      }
      st.execute("drop table " + table(w));
      return out;
    }
  }

  static List<String> rows(Statement st, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = st.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      while (r.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) b.append(i > 1 ? "|" : "").append(r.getObject(i));
        out.add(b.toString());
      }
    }
    return out;
  }

  static List<String> model(Workload w) {
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)));
    for (String sql : w.statements()) {
      Result r = db.execute("s", sql);
      if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    }
    List<String> out = new ArrayList<>();
    out.add(join(modelRows(db, "select * from bt_metap('" + w.index() + "')").get(0)));
    BTree tree = db.table(table(w)) == null ? null : findTree(db, w.index());
    for (int b = 1; b < tree.blocks(); b++) {
      out.add(join(modelRows(db, "select * from bt_page_stats('" + w.index() + "', " + b + ")").get(0)));
      for (List<Object> row : modelRows(db, "select * from bt_page_items('" + w.index() + "', " + b + ")")) out.add(join(row));
    }
    return out;
  }

  static BTree findTree(Database db, String index) {
    return db.sharedState().btree(index);
  }

  static List<List<Object>> modelRows(Database db, String sql) {
    Result r = db.execute("s", sql);
    if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    return ((Result.Rows) r).rows();
  }

  static String join(List<Object> row) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < row.size(); i++) b.append(i > 0 ? "|" : "").append(row.get(i));
    return b.toString();
  }
}
