package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import sim.core.Durations;
import sim.core.Simulation;
import sim.postgres.oracle.RealPgPair;
import sim.postgres.vacuum.Vacuum;

/**
 * The hot standby conflict and hot_standby_feedback on a real PostgreSQL 15 primary and standby
 * (pg_basebackup -R), against the model's pg.standby-query-conflict and pg.hot-standby-feedback-bloat
 * (seed 1, no faults) running the same statements: the same SQLSTATE, message and DETAIL for the cancelled
 * long statement and for the idle transaction's lost connection, the same 25P02 after it; with feedback the
 * report's reads repeat and the primary's VACUUM finds the same numbers removed and not yet removable. The
 * real standby runs with max_standby_streaming_delay = 3s and wal_receiver_status_interval = 1s (the model:
 * 30 s and 100 ms) so the test takes seconds.
 */
class StandbyConflictLiveTest {
  static final String READ = StandbyReportClient.READ;
  static final Pattern TUPLES = Pattern.compile("tuples: (\\d+) removed, (\\d+) remain, (\\d+) are dead but not yet removable");

  @Test
  void aReplayedPruneCancelsTheStandbyQueriesWithTheSameErrorsAsPostgres() throws Exception {
    RealPgPair.require();
    Simulation sim = model(new StandbyConflict(false));
    StandbyReportClient c = StandbyConflict.client(sim);
    try (RealPgPair pair = RealPgPair.start(List.of("max_standby_streaming_delay=3s"));
        Connection p = pair.primary(); Connection report = pair.standby(); Connection idle = pair.standby()) {
      load(pair, p);
      assertEquals(c.outcomes.get("report.read1").outcome(), read(report, true));
      assertEquals(c.outcomes.get("idle.read1").outcome(), read(idle, true));
      CompletableFuture<String> sleep = CompletableFuture.supplyAsync(() -> outcome(report, "select pg_sleep(20)"));
      Thread.sleep(300);
      p.createStatement().execute("delete from t where id <= 50");
      long vacuumed = System.nanoTime();
      p.createStatement().execute("vacuum t");
      String cancelled = sleep.get();
      long after = System.nanoTime() - vacuumed;
      assertEquals(StandbyConflict.CANCELED, cancelled);
      assertEquals(c.outcomes.get("report.sleep.reply").outcome(), cancelled);
      assertTrue(after >= Durations.seconds(2), "the real standby cancelled " + Durations.format(after) + " after VACUUM");
      assertEquals(c.outcomes.get("report.read2").outcome().substring(0, 11), outcome(report, READ).substring(0, 11)); // 25P02
      String terminated = outcome(idle, READ);
      assertEquals(StandbyConflict.TERMINATED, terminated);
      assertEquals(c.outcomes.get("idle.read2").outcome(), terminated);
    }
  }

  @Test
  void withHotStandbyFeedbackTheReportSurvivesAndTheRealPrimaryKeepsTheRowsAsTheModelDoes() throws Exception {
    RealPgPair.require();
    Simulation sim = model(new StandbyConflict(true));
    StandbyReportClient c = StandbyConflict.client(sim);
    List<Vacuum.Report> modelRuns = Replicas.node(sim, Replicas.PG).database().vacuumReports();
    try (RealPgPair pair = RealPgPair.start(List.of("max_standby_streaming_delay=3s", "hot_standby_feedback=on",
        "wal_receiver_status_interval=1s")); Connection p = pair.primary(); Connection report = pair.standby()) {
      load(pair, p);
      waitFor(p, "select count(*) from pg_stat_replication where backend_xmin is not null", "1");
      String first = read(report, true);
      assertEquals(c.outcomes.get("report.read1").outcome(), first);
      CompletableFuture<String> sleep = CompletableFuture.supplyAsync(() -> outcome(report, "select pg_sleep(5)"));
      Thread.sleep(300);
      p.createStatement().execute("delete from t where id <= 50");
      int[] held = vacuumVerbose(p);
      assertEquals(c.outcomes.get("report.sleep.reply").outcome(), sleep.get(), "pg_sleep on the real standby, not cancelled");
      assertEquals(first, read(report, false), "the real report's second read");
      assertEquals(c.outcomes.get("report.read2").outcome(), first);
      assertEquals(modelRuns.get(0).removed(), held[0], "removed by the VACUUM during the report");
      assertEquals(modelRuns.get(0).recentlyDead(), held[2], "dead but not yet removable during the report");
      report.createStatement().execute("rollback");
      Thread.sleep(2500); // two feedback intervals: the standby's new xmin reaches the primary
      int[] later = vacuumVerbose(p);
      Vacuum.Report modelLater = modelRuns.get(modelRuns.size() - 1);
      assertEquals(modelLater.removed(), later[0], "removed once the report ended");
      assertEquals(modelLater.recentlyDead(), later[2], "not yet removable once the report ended");
    }
  }

  private static Simulation model(StandbyConflict scenario) {
    Simulation sim = new Simulation(1);
    scenario.setup(sim);
    sim.runUntilTime(Durations.seconds(48));
    assertNotNull(StandbyConflict.client(sim), "the model's client");
    return sim;
  }

  /** The table and rows of the scenario, then a wait until the standby has them. */
  private static void load(RealPgPair pair, Connection p) throws Exception {
    p.createStatement().execute("create table t (id int primary key, v int)");
    p.createStatement().execute("insert into t select g, g from generate_series(1, 100) g");
    try (Connection s = pair.standby()) {
      for (int i = 0; i < 200; i++) {
        try (ResultSet rs = s.createStatement().executeQuery("select count(*) from t")) {
          if (rs.next() && rs.getLong(1) == 100) return;
        } catch (SQLException notYet) {
          // the table is not replayed yet
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the standby never had the 100 rows");
  }

  private static void waitFor(Connection c, String sql, String want) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (ResultSet rs = c.createStatement().executeQuery(sql)) {
        if (rs.next() && want.equals(rs.getString(1))) return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(sql + " never returned " + want);
  }

  /** The read in the model's rendering; {@code begin} opens the REPEATABLE READ transaction first. */
  private static String read(Connection c, boolean begin) throws SQLException {
    if (begin) c.createStatement().execute("begin isolation level repeatable read");
    return outcome(c, READ);
  }

  /** A statement's result as the model's client hears it: "rows [[...]]" or "error SQLSTATE message  DETAIL:  detail". */
  static String outcome(Connection c, String sql) {
    try (Statement st = c.createStatement()) {
      if (!st.execute(sql)) return "ok";
      try (ResultSet rs = st.getResultSet()) {
        StringBuilder b = new StringBuilder("rows [");
        int cols = rs.getMetaData().getColumnCount();
        boolean firstRow = true;
        while (rs.next()) {
          b.append(firstRow ? "[" : ", [");
          firstRow = false;
          for (int i = 1; i <= cols; i++) b.append(i > 1 ? ", " : "").append(rs.getString(i) == null ? "" : rs.getString(i));
          b.append(']');
        }
        return b.append(']').toString();
      }
    } catch (PSQLException e) {
      var m = e.getServerErrorMessage();
      if (m == null) return "error " + e.getSQLState() + " " + e.getMessage();
      return "error " + m.getSQLState() + " " + m.getMessage() + (m.getDetail() == null ? "" : "  DETAIL:  " + m.getDetail());
    } catch (SQLException e) {
      return "error " + e.getSQLState() + " " + e.getMessage();
    }
  }

  /** VACUUM VERBOSE t on the real primary: its "tuples: removed, remain, dead but not yet removable" line. */
  private static int[] vacuumVerbose(Connection p) throws SQLException {
    try (Statement st = p.createStatement()) {
      st.execute("vacuum verbose t");
      for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
        Matcher m = TUPLES.matcher(w.getMessage());
        if (m.find()) return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
      }
    }
    throw new AssertionError("VACUUM VERBOSE printed no tuples line");
  }
}
