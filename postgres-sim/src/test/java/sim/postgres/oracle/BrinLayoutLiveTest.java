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
import sim.postgres.schedule.ScheduleRunner;

/**
 * The model's BRIN pages are PostgreSQL's: the same statements on a live PostgreSQL 15 and on the model, then
 * for every block of the index brin_page_type, and brin_metapage_info, brin_revmap_data (all 1360 entries) or
 * brin_page_items by type, compared row for row. Workloads: CREATE INDEX with small and default
 * pages_per_range, bigint, text and NULLs, inserts widening a summary in place or landing in unsummarized
 * ranges, VACUUM (full ranges only) and brin_summarize_new_values (the partial last range too), deletes before
 * and after the build, non-HOT updates, enough ranges for a second regular page, and more than a revmap page
 * holds, which evacuates the first regular page for the second revmap page.
 */
class BrinLayoutLiveTest {
  record Workload(String name, String index, List<String> statements) {}

  static final List<Workload> WORKLOADS = List.of(
      new Workload("CREATE INDEX, two pages per range", "bra_id", List.of(
          "create table bra (id int, v int)",
          "insert into bra select g, g % 7 from generate_series(1, 2000) g",
          "create index bra_id on bra using brin (id) with (pages_per_range = 2)")),
      new Workload("default pages_per_range, bigint with NULLs", "brb_v", List.of(
          "create table brb (id int, v bigint)",
          "insert into brb select g, g * 3 from generate_series(1, 30000) g",
          "insert into brb select g, null from generate_series(1, 3000) g",
          "insert into brb select g, 90000 - g from generate_series(1, 30000) g",
          "create index brb_v on brb using brin (v)")),
      new Workload("inserts: widened, unsummarized, VACUUM, summarize_new_values", "brc_id", List.of(
          "create table brc (id int, v int)",
          "insert into brc select g, g from generate_series(1, 1000) g",
          "create index brc_id on brc using brin (id) with (pages_per_range = 1)",
          "insert into brc values (-7, 0), (99999, 0)",
          "insert into brc select g, g from generate_series(2000, 3000) g",
          "vacuum brc",
          "insert into brc select g, g from generate_series(3001, 3100) g",
          "select brin_summarize_new_values('brc_id')")),
      new Workload("text keys", "brt_k", List.of(
          "create table brt (k text, v int)",
          "insert into brt select 'key-' || (100000 + g), g from generate_series(1, 3000) g",
          "create index brt_k on brt using brin (k) with (pages_per_range = 4)",
          "insert into brt values ('aaa', 0), ('zzz', 0)")),
      new Workload("empty table, then rows", "bre_id", List.of(
          "create table bre (id int)",
          "create index bre_id on bre using brin (id) with (pages_per_range = 1)",
          "insert into bre select g from generate_series(1, 1000) g",
          "select brin_summarize_new_values('bre_id')")),
      new Workload("ranges of NULLs only", "brn_v", List.of(
          "create table brn (id int, v int)",
          "insert into brn select g, null from generate_series(1, 700) g",
          "insert into brn select g, g from generate_series(1, 700) g",
          "create index brn_v on brn using brin (v) with (pages_per_range = 1)")),
      new Workload("deletes before and after the build", "brd_id", List.of(
          "create table brd (id int, v int)",
          "insert into brd select g, g from generate_series(1, 3000) g",
          "delete from brd where id % 226 > 200",
          "vacuum brd",
          "create index brd_id on brd using brin (id) with (pages_per_range = 1)",
          "delete from brd where id < 1000",
          "vacuum brd")),
      new Workload("non-HOT updates of the key", "bru_v", List.of(
          "create table bru (id int, v int)",
          "insert into bru select g, g from generate_series(1, 2000) g",
          "create index bru_v on bru using brin (v) with (pages_per_range = 2)",
          "update bru set v = -v where id % 100 = 0",
          "vacuum bru")),
      new Workload("a second regular page", "brm_id", List.of(
          "create table brm (id int)",
          "insert into brm select g from generate_series(1, 120000) g",
          "create index brm_id on brm using brin (id) with (pages_per_range = 1)")),
      new Workload("a second revmap page evacuates a regular page", "brr_id", List.of(
          "create table brr (id int)",
          "create index brr_id on brr using brin (id) with (pages_per_range = 1)",
          "insert into brr select g from generate_series(1, 330000) g",
          "select brin_summarize_new_values('brr_id')")));

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

  static List<String> queries(String index, long block, String type) {
    String page = "get_raw_page('" + index + "', " + block + ")";
    return switch (type) {
      case "meta" -> List.of("select * from brin_metapage_info(" + page + ")");
      case "revmap" -> List.of("select * from brin_revmap_data(" + page + ")");
      default -> List.of("select * from brin_page_items(" + page + ", '" + index + "')");
    };
  }

  static List<String> real(String url, Workload w) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
      st.execute("create extension if not exists pageinspect");
      st.execute("drop table if exists " + BTreeLayoutLiveTest.table(new BTreeLayoutLiveTest.Workload(w.name(), w.index(), w.statements())));
      for (String sql : w.statements()) st.execute(sql);
      List<String> out = new ArrayList<>();
      long blocks;
      try (ResultSet r = st.executeQuery("select pg_relation_size('" + w.index() + "') / 8192")) {
        r.next();
        blocks = r.getLong(1);
      }
      out.add("blocks " + blocks);
      for (long b = 0; b < blocks; b++) {
        String type = BTreeLayoutLiveTest.rows(st, "select brin_page_type(get_raw_page('" + w.index() + "', " + b + "))").get(0);
        out.add(b + ": " + type);
        for (String q : queries(w.index(), b, type)) out.addAll(BTreeLayoutLiveTest.rows(st, q));
      }
      st.execute("drop table " + w.statements().get(0).split(" ")[2]);
      return out;
    }
  }

  static List<String> model(Workload w) {
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)));
    for (String sql : w.statements()) {
      Result r = db.execute("s", sql);
      if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    }
    List<String> out = new ArrayList<>();
    int blocks = db.sharedState().brins.get(w.index()).blocks();
    out.add("blocks " + blocks);
    for (long b = 0; b < blocks; b++) {
      String type = (String) BTreeLayoutLiveTest.modelRows(db, "select * from brin_page_type(get_raw_page('" + w.index() + "', " + b + "))").get(0).get(0);
      out.add(b + ": " + type);
      for (String q : queries(w.index(), b, type)) {
        for (List<Object> row : BTreeLayoutLiveTest.modelRows(db, q)) out.add(BTreeLayoutLiveTest.join(row));
      }
    }
    return out;
  }
}
