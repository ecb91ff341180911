package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Simulation;
import sim.postgres.mvcc.Clog;
import sim.postgres.oracle.RealPgPair;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;
import sim.postgres.wal.WalRecord;

/**
 * KnownAssignedXids against a real PostgreSQL 15 primary and hot standby, the same story as
 * {@link KnownAssignedXidsTest}: a transaction inserts and stays open, a CHECKPOINT logs RUNNING_XACTS
 * listing its xid, the standby's snapshots hold xmin at that xid; the primary crashes (immediate stop) and
 * restarts, and the standby's xmin moves past the xid though no commit or abort record for it exists. The
 * real WAL (pg_waldump) and the model's records print RUNNING_XACTS and the end-of-recovery
 * CHECKPOINT_SHUTDOWN in the same shape.
 */
class KnownAssignedXidsLiveTest {
  static final Pattern RUNNING = Pattern.compile(
      "RUNNING_XACTS nextXid (\\d+) latestCompletedXid (\\d+) oldestRunningXid (\\d+); 1 xacts: (\\d+)");
  static final Pattern SHUTDOWN = Pattern.compile("CHECKPOINT_SHUTDOWN redo \\d+/[0-9A-F]+");

  @Test
  void aStandbyStopsCountingTheXidACrashedPrimaryLeftOpenAsRealPostgresDoes() throws Exception {
    RealPgPair.require();
    try (RealPgPair pair = RealPgPair.start(List.of()); Connection p = pair.primary(); Connection open = pair.primary();
        Connection s = pair.standby()) {
      exec(p, "create table t (id int primary key)");
      String start = one(p, "select pg_current_wal_lsn()");
      exec(open, "begin");
      exec(open, "insert into t values (1)");
      long xid = Long.parseLong(one(open, "select pg_current_xact_id()"));
      exec(p, "insert into t values (2)");
      exec(p, "checkpoint");
      String end = one(p, "select pg_current_wal_lsn()");
      awaitReplay(s, end);
      assertEquals(xid, Long.parseLong(one(s, "select pg_snapshot_xmin(pg_current_snapshot())")),
          "the standby holds xmin at the open xid " + xid);

      pair.crashPrimary();
      pair.startPrimary(List.of());
      long xmin = xid;
      for (int i = 0; i < 600 && xmin <= xid; i++) {
        Thread.sleep(100);
        xmin = Long.parseLong(one(s, "select pg_snapshot_xmin(pg_current_snapshot())"));
      }
      assertTrue(xmin > xid, "the standby's xmin moved past " + xid + " after the primary's restart: " + xmin);

      String dump = pair.primaryWaldump(start);
      Matcher running = RUNNING.matcher(dump);
      boolean listed = false;
      while (running.find()) listed |= Long.parseLong(running.group(4)) == xid && Long.parseLong(running.group(3)) == xid;
      assertTrue(listed, "pg_waldump shows RUNNING_XACTS listing " + xid + ":\n" + dump);
      assertTrue(SHUTDOWN.matcher(dump).find(), "pg_waldump shows the end-of-recovery CHECKPOINT_SHUTDOWN:\n" + dump);
      Pattern ownEnd = Pattern.compile("tx:\\s+" + xid + ",.*desc: (COMMIT|ABORT)");
      assertFalse(dump.lines().anyMatch(l -> ownEnd.matcher(l).find()), "no commit or abort record for " + xid + ":\n" + dump);
    }
    assertModelPrintsTheSameRecords();
  }

  /** The model's WAL for the same story holds a RUNNING_XACTS listing the open xid and a CHECKPOINT_SHUTDOWN after the crash. */
  static void assertModelPrintsTheSameRecords() {
    Simulation sim = KnownAssignedXidsTest.crashWithOpenTransaction(new ArrayList<>());
    sim.runUntilTime(Durations.seconds(1) + Durations.millis(900));
    Clog clog = KnownAssignedXidsTest.standbyClog(sim);
    int xid = clog.takeSnapshot().xmin();
    sim.runUntilTime(Durations.seconds(8));
    List<String> texts = Wal.read(sim.disk(Replicas.PG), WalFiles.segStart(1, WalFiles.DEFAULT_SEGMENT_BYTES)).stream().map(e -> e.record().toString()).toList();
    boolean listed = false;
    for (String t : texts) {
      Matcher m = RUNNING.matcher(t);
      listed |= m.find() && Integer.parseInt(m.group(4)) == xid && Integer.parseInt(m.group(3)) == xid;
    }
    assertTrue(listed, "the model logs RUNNING_XACTS listing " + xid + " as pg_waldump prints it: " + texts);
    assertTrue(texts.stream().anyMatch(t -> SHUTDOWN.matcher(t).find()), "the model logs CHECKPOINT_SHUTDOWN: " + texts);
    assertFalse(texts.stream().anyMatch(t -> t.equals(new WalRecord.Commit(xid).toString()) || t.equals(new WalRecord.Abort(xid).toString())),
        "no commit or abort record for " + xid);
  }

  static void awaitReplay(Connection standby, String lsn) throws Exception {
    for (int i = 0; i < 300; i++) {
      if ("t".equals(one(standby, "select pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn")) ) return;
      Thread.sleep(50);
    }
    throw new AssertionError("the standby did not replay up to " + lsn);
  }

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  static String one(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
