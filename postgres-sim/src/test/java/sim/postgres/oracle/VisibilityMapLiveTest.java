package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.Simulation;
import sim.core.testing.SimTesting;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;

/**
 * The model's visibility map is PostgreSQL's: the same statements (in one or two sessions) on a live
 * PostgreSQL 15 and on the model, then pg_visibility_map of the table after each step marked "check",
 * compared row for row. VACUUM sets all-visible where every tuple is visible to every snapshot and
 * all-frozen where VACUUM FREEZE froze them; an insert, update or delete clears both bits of the page it
 * touches (an update both pages), a row lock only all-frozen; a snapshot older than a delete keeps the
 * page from becoming all-visible until it ends.
 */
class VisibilityMapLiveTest {
  record Workload(String name, List<String> steps) {}

  static final String CHECK = "check";

  static final List<Workload> WORKLOADS = List.of(
      new Workload("vacuum, update to another page, row locks, freeze", List.of(
          "a: create table vm (id int primary key, v int) with (autovacuum_enabled = off)",
          "a: insert into vm select g, g from generate_series(1, 2000) g",
          CHECK,
          "a: vacuum vm",
          CHECK,
          "a: update vm set v = 0 where id = 5",
          "a: begin",
          "a: select * from vm where id = 1500 for update",
          "a: commit",
          CHECK,
          "a: vacuum freeze vm",
          CHECK,
          "a: select * from vm where id = 700 for share",
          "a: insert into vm values (3000, 3000)",
          CHECK,
          "a: delete from vm where id between 1000 and 1100",
          CHECK,
          "a: vacuum vm",
          CHECK)),
      new Workload("an older snapshot holds the page back", List.of(
          "a: create table vm (id int primary key, v int) with (autovacuum_enabled = off)",
          "a: insert into vm select g, g from generate_series(1, 1000) g",
          "b: begin isolation level repeatable read",
          "b: select count(*) from vm",
          "a: delete from vm where id between 10 and 20",
          "a: update vm set v = v + 1 where id = 900",
          "a: vacuum vm",
          CHECK,
          "b: commit",
          "a: vacuum vm",
          CHECK)));

  @TestFactory
  Stream<DynamicTest> visibilityMapEqualsPgVisibility() {
    String url = System.getenv("SIM_PG_URL");
    String version = url == null ? null : LivePostgresTest.serverVersion(url);
    SimTesting.requireOracle("PostgreSQL 15 with pg_visibility (SIM_PG_URL)", version != null && version.startsWith("15"),
        "export SIM_PG_URL=jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres");
    return WORKLOADS.stream().map(w -> DynamicTest.dynamicTest(w.name(), () ->
        assertEquals(String.join("\n", real(url, w)), String.join("\n", model(w)), w.name())));
  }

  static List<String> real(String url, Workload w) throws SQLException {
    Map<String, Connection> sessions = new LinkedHashMap<>();
    try {
      Statement a = session(sessions, url, "a");
      a.execute("create extension if not exists pg_visibility");
      a.execute("drop table if exists vm");
      List<String> out = new ArrayList<>();
      for (String step : w.steps()) {
        if (step.equals(CHECK)) {
          out.add("-- check");
          out.addAll(BTreeLayoutLiveTest.rows(a, "select * from pg_visibility_map('vm')"));
          continue;
        }
        session(sessions, url, step.substring(0, 1)).execute(step.substring(3));
      }
      a.execute("drop table vm");
      return out;
    } finally {
      for (Connection c : sessions.values()) c.close();
    }
  }

  private static Statement session(Map<String, Connection> sessions, String url, String name) throws SQLException {
    Connection c = sessions.get(name);
    if (c == null) {
      c = DriverManager.getConnection(url);
      sessions.put(name, c);
    }
    return c.createStatement();
  }

  static List<String> model(Workload w) {
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)));
    List<String> out = new ArrayList<>();
    for (String step : w.steps()) {
      if (step.equals(CHECK)) {
        out.add("-- check");
        for (List<Object> row : BTreeLayoutLiveTest.modelRows(db, "select * from pg_visibility_map('vm')")) {
          out.add(BTreeLayoutLiveTest.join(row));
        }
        continue;
      }
      Result r = db.execute(step.substring(0, 1), step.substring(3));
      if (r instanceof Result.Error e) throw new AssertionError(step + ": " + e.message());
    }
    return out;
  }
}
