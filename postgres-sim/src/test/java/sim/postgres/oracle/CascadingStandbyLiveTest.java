package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;
import sim.postgres.scenario.PgScenarios;

/**
 * Cascading replication on three real PostgreSQL 15 servers against pg.cascading-standby (live; skipped without
 * the binaries): the third server cloned from the standby with pg_basebackup -R streams from it, so
 * pg_stat_replication on the middle server lists it (as s1's lists s2 in the model); a row written on the primary
 * reaches it through the middle; after the middle's promotion it follows timeline 2 (pg_stat_wal_receiver's
 * received_tli), as s2 does in the model, and gets the new primary's rows.
 */
class CascadingStandbyLiveTest {
  @Test
  void aStandbyOfAStandbyStreamsFromItAndFollowsItsPromotion() throws Exception {
    RealPgPair.require();
    List<String> modelStarts = new ArrayList<>();
    List<Integer> modelTimelines = new ArrayList<>();
    var r = ScenarioRunner.run(new PgScenarios().scenarios().stream().filter(s -> s.name().equals("pg.cascading-standby")).findFirst()
        .orElseThrow(), RunOptions.seed(1).withListeners(List.<TraceListener>of((TraceEvent e) -> {
          if (e.node().equals("s1") && e.kind().equals("pg.walsender.start")) modelStarts.add(String.valueOf(e.attribute("standby")));
          if (e.node().equals("s2") && e.kind().equals("pg.walreceiver.timeline")) modelTimelines.add(((Number) e.attribute("timeline")).intValue());
        })));
    SimTesting.assertOk(r);
    assertTrue(modelStarts.contains("s2"), modelStarts.toString());
    assertEquals(List.of(2), modelTimelines);

    try (RealPgPair pair = RealPgPair.start(List.of(), List.of("cluster_name=s1"))) {
      try (Connection p = pair.primary()) {
        exec(p, "create table t (id int primary key)");
        exec(p, "insert into t values (1)");
      }
      pair.startCascade(List.of("cluster_name=s2"));
      try (Connection p = pair.primary()) {
        exec(p, "insert into t values (2)");
      }
      assertEquals("2", waitFor(pair, "select count(*) from t", "2"));
      List<String> onMiddle = new ArrayList<>();
      try (Connection s = pair.standby(); Statement st = s.createStatement();
          ResultSet rs = st.executeQuery("select application_name, state from pg_stat_replication")) {
        while (rs.next()) onMiddle.add(rs.getString(1) + " " + rs.getString(2));
      }
      assertEquals(List.of("s2 streaming"), onMiddle, "pg_stat_replication on the middle server lists the downstream");

      pair.promoteStandby();
      try (Connection s = pair.standby()) {
        exec(s, "insert into t values (3)");
      }
      assertEquals("3", waitFor(pair, "select count(*) from t", "3"));
      assertEquals("2", waitFor(pair, "select received_tli from pg_stat_wal_receiver", "2"), "the downstream follows timeline 2");
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The first value of {@code sql} on the cascading standby once it equals {@code want} (or its last value after 10 s). */
  private static String waitFor(RealPgPair pair, String sql, String want) throws Exception {
    String last = null;
    for (int i = 0; i < 100; i++) {
      try (Connection c = pair.cascade(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
        last = rs.next() ? rs.getString(1) : null;
        if (want.equals(last)) return last;
      } catch (SQLException e) {
        // not yet accepting connections, or the table not replayed yet
      }
      Thread.sleep(100);
    }
    return last;
  }
}
