package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.postgres.replication.PgRewind;
import sim.postgres.scenario.PgScenarios;
import sim.postgres.wal.ControlFile;
import sim.postgres.wal.Wal;

/**
 * pg_rewind on a real PostgreSQL 15 pair against the model (live; skipped without the binaries). The same
 * story: a primary and a standby from pg_basebackup -R, the standby promoted, the old primary writing rows the
 * new one never gets, then stopped, then pg_rewind -R from the new primary. Compared: the lines pg_rewind prints
 * (LSNs aside) with the model's at seed 1 of pg.failover-rewind; the model's timeline decision
 * ({@link PgRewind#decide}) run on the real history file and the real target's last checkpoint gives the real
 * divergence point, timeline and rewind required / not required; the precondition errors word for word; and the
 * rewound old primary, started as a standby, has exactly the new primary's rows, as in the model.
 */
class PgRewindLiveTest {
  private static final List<String> HINTS = List.of("wal_log_hints=on");
  private static final Pattern DIVERGED = Pattern.compile("pg_rewind: servers diverged at WAL location ([0-9A-F]+/[0-9A-F]+) on timeline (\\d+)");

  @Test
  void rewindOfADivergedPrimaryAgreesWithTheModel() throws Exception {
    RealPgPair.require();
    List<String> modelLines = modelRewindLines();
    try (RealPgPair pair = RealPgPair.start(HINTS, List.of())) {
      try (Connection p = pair.primary()) {
        // in postgresql.auto.conf too: pg_rewind's single-user postgres reads no command line, and would write
        // wal_log_hints = off into pg_control (then refuse the target for it)
        exec(p, "alter system set wal_log_hints = on");
        exec(p, "create table t (id int primary key, note text)");
        for (int i = 1; i <= 49; i++) exec(p, "insert into t values (" + i + ", 'x')");
        // a checkpoint both servers have (replayed before row 50): the last common one, in the segment the crash
        // recovery's checkpoint keeps (without it that is the base backup's, whose segment the crash recovery of
        // pg_rewind's single-user postgres recycles: "could not find previous WAL record")
        exec(p, "checkpoint");
        exec(p, "insert into t values (50, 'x')");
      }
      waitForRows(pair, 50);
      pair.promoteStandby();
      try (Connection s = pair.standby()) {
        exec(s, "checkpoint"); // the promotion's checkpoint, so pg_control names timeline 2
        for (int i = 61; i <= 70; i++) exec(s, "insert into t values (" + i + ", 'new')");
      }
      try (Connection p = pair.primary()) {
        for (int i = 51; i <= 60; i++) exec(p, "insert into t values (" + i + ", 'diverged')");
      }
      pair.crashPrimary();

      // --no-ensure-shutdown on a crashed target: the model's sanity check says the same
      String unclean = pair.rewindPrimary("--no-ensure-shutdown");
      String modelUnclean = fatal(new ControlFile(0, 0, 0, ControlFile.DB_IN_PRODUCTION, 0, 1, 0, 0, true, 0));
      assertTrue(unclean.contains("pg_rewind: error: " + modelUnclean), unclean);
      assertTrue(unclean.contains("exit 1"), unclean);

      String out = pair.rewindPrimary("-R");
      assertTrue(out.contains("exit 0"), out);
      List<String> realLines = rewindLines(out);
      assertEquals(shape(modelLines), shape(realLines), "real:\n" + out + "\nmodel:\n" + modelLines);

      // the model's decision, on the real history file and the real target's last checkpoint
      Matcher m = DIVERGED.matcher(out);
      assertTrue(m.find(), out);
      PgRewind.Decision d = PgRewind.decide(2, pair.standbyFile("pg_wal/00000002.history"), 1, "", Long.MAX_VALUE);
      assertEquals(m.group(1), PgRewind.lsn(d.divergeLsn()));
      assertEquals(Integer.parseInt(m.group(2)), d.divergeTli());
      assertTrue(d.rewindNeeded());

      pair.startPrimary(List.of()); // standby.signal and primary_conninfo from -R
      Set<Long> expected = ids(pair.standby());
      Set<Long> rewound = waitForIds(pair, expected);
      assertEquals(expected, rewound, "the rewound old primary has the new primary's rows");
      assertTrue(rewound.stream().noneMatch(id -> id >= 51 && id <= 60), "the diverged rows are gone: " + rewound);
    }
  }

  @Test
  void aCleanlyStoppedPrimaryNeedsNoRewind() throws Exception {
    RealPgPair.require();
    try (RealPgPair pair = RealPgPair.start(HINTS, List.of())) {
      try (Connection p = pair.primary()) {
        exec(p, "alter system set wal_log_hints = on");
        exec(p, "create table t (id int primary key)");
        exec(p, "insert into t select generate_series(1, 20)");
      }
      waitForRows(pair, 20);
      pair.stopPrimaryCleanly(); // its shutdown checkpoint reaches the standby before it exits
      Thread.sleep(300);
      pair.promoteStandby();
      try (Connection s = pair.standby()) {
        exec(s, "checkpoint");
      }
      String out = pair.rewindPrimary("");
      assertTrue(out.contains("pg_rewind: no rewind required"), out);
      Matcher m = DIVERGED.matcher(out);
      assertTrue(m.find(), out);
      // the model's rule on the real inputs: the target's WAL ends with its shutdown checkpoint record
      long end = checkpointEnd(pair);
      PgRewind.Decision d = PgRewind.decide(2, pair.standbyFile("pg_wal/00000002.history"), 1, "", end);
      assertEquals(m.group(1), PgRewind.lsn(d.divergeLsn()));
      assertTrue(!d.rewindNeeded(), "the model would rewind: WAL end " + PgRewind.lsn(end) + ", diverged " + m.group(1));
      assertEquals(List.of("servers diverged at WAL location " + m.group(1) + " on timeline 1", "no rewind required"), d.log());
    }
  }

  @Test
  void withoutChecksumsOrWalLogHintsTheTargetIsRefused() throws Exception {
    RealPgPair.require();
    try (RealPgPair pair = RealPgPair.start(List.of(), List.of())) {
      pair.promoteStandby();
      pair.stopPrimaryCleanly();
      String out = pair.rewindPrimary("");
      String model = fatal(new ControlFile(0, 0, 0, ControlFile.DB_SHUTDOWNED, 0, 1, 0, 0, false, 0));
      assertTrue(out.contains("pg_rewind: error: " + model), out);
      assertTrue(out.contains("exit 1"), out);
    }
  }

  /** The lines the model's pg_rewind printed in pg.failover-rewind at seed 1. */
  private static List<String> modelRewindLines() {
    List<String> lines = new ArrayList<>();
    RunOptions o = RunOptions.seed(1).withListeners(List.<sim.core.trace.TraceListener>of((TraceEvent e) -> {
      if (e.kind().startsWith("pg.rewind.")) lines.add(e.detail());
    }));
    var r = ScenarioRunner.run(new PgScenarios().scenarios().stream().filter(s -> s.name().equals("pg.failover-rewind")).findFirst()
        .orElseThrow(), o);
    SimTesting.assertOk(r);
    return lines;
  }

  private static String fatal(ControlFile target) {
    try {
      PgRewind.sanityChecks(target);
      return "(no error)";
    } catch (PgRewind.Fatal f) {
      return f.getMessage();
    }
  }

  /** pg_rewind's own lines (the single-user postgres's log lines in between left out). */
  private static List<String> rewindLines(String out) {
    List<String> lines = new ArrayList<>();
    for (String l : out.split("\n")) if (l.startsWith("pg_rewind: ")) lines.add(l.trim());
    return lines;
  }

  /** LSNs and the executable's path replaced, so the story's lines compare. */
  private static List<String> shape(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll("[0-9A-F]+/[0-9A-F]+", "X/X").replaceAll("executing \"[^\"]*postgres\"", "executing \"postgres\""))
        .toList();
  }

  /**
   * The end of the target's last checkpoint record (xlogreader's EndRecPtr: the record's start plus its MAXALIGNed
   * length): pg_controldata's location, pg_waldump's length of the record there.
   */
  private static long checkpointEnd(RealPgPair pair) throws Exception {
    Matcher loc = Pattern.compile("Latest checkpoint location:\\s+([0-9A-F]+/[0-9A-F]+)").matcher(pair.primaryControlData());
    assertTrue(loc.find());
    String dump = pair.primaryWaldump(loc.group(1));
    Matcher len = Pattern.compile("len \\(rec/tot\\):\\s*\\d+/\\s*(\\d+), tx:\\s*\\d+, lsn: ([0-9A-F]+/[0-9A-F]+)").matcher(dump);
    assertTrue(len.find(), dump);
    assertEquals(Wal.parseLsn(loc.group(1)), Wal.parseLsn(len.group(2)), dump);
    return Wal.parseLsn(loc.group(1)) + ((Long.parseLong(len.group(1)) + 7) & ~7L);
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static Set<Long> ids(Connection c) throws SQLException {
    Set<Long> out = new TreeSet<>();
    try (c; Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select id from t")) {
      while (rs.next()) out.add(rs.getLong(1));
    }
    return out;
  }

  private static void waitForRows(RealPgPair pair, int n) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        if (ids(pair.standby()).size() == n) return;
      } catch (SQLException e) {
        // the table has not been replayed yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the standby never had " + n + " rows");
  }

  /** The rewound node's ids once they equal {@code expected} (or after 10 s). */
  private static Set<Long> waitForIds(RealPgPair pair, Set<Long> expected) throws Exception {
    Set<Long> last = Set.of();
    for (int i = 0; i < 100; i++) {
      try {
        last = ids(pair.primary());
        if (last.equals(expected)) return last;
      } catch (SQLException e) {
        // not yet accepting connections (consistency not reached)
      }
      Thread.sleep(100);
    }
    return last;
  }
}
