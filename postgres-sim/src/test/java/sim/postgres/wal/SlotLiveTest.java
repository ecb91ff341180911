package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.disk.SimDisk;
import sim.core.testing.SimTesting;
import sim.postgres.oracle.RealPgPair;

/**
 * A real PostgreSQL 15 pair initdb'd with 1 MB segments ({@code --wal-segsize=1}), against the model's
 * WAL-retention code fed the real server's numbers: pg_walfile_name equals XLogFileName here; after each
 * checkpoint the oldest segment left in the real pg_wal is the one the model's KeepLogSeg keeps; the real
 * pg_replication_slots' wal_status and safe_wal_size are what the model's GetWALAvailability and
 * pg_get_replication_slots compute from the same restart_lsn and write position; the real slot is invalidated
 * ("lost") exactly when the model's checkpoint invalidates it; and a standby without a slot, back too late, logs
 * the model's error for the segment it asked for.
 */
class SlotLiveTest {
  private static final int MB = 1 << 20;
  private static final List<String> PRIMARY = List.of("checkpoint_timeout=1h", "max_slot_wal_keep_size=3MB");

  private record SlotRow(String restartLsn, String walStatus, Long safeWalSize, boolean active, long writeLsn) {}

  @Test
  void aRealSlotsWalStatusSafeWalSizeAndInvalidationAreTheModels() throws Exception {
    RealPgPair.require();
    try (RealPgPair pair = RealPgPair.start("--wal-segsize=1", "-C -S s1", PRIMARY, List.of()); Connection p = pair.primary()) {
      exec(p, "create table t (id int primary key, pad text)");
      exec(p, "alter table t alter column pad set storage external"); // no pglz: the WAL is as big as the rows
      int id = insertMb(p, 0, 1.2);
      waitReplayed(p);
      for (String lsn : List.of("0/1000028", "0/5A3F1E28", "1/00000010")) { // pg_walfile_name of a boundary names the previous segment
        assertEquals(one(p, "select pg_walfile_name('" + lsn + "')"), WalFiles.baseName(WalFiles.fileName(1, WalFiles.segNo(Wal.parseLsn(lsn), MB), MB)));
      }
      checkpointAndCompare(p, null);
      pair.crashStandby();
      Thread.sleep(500); // the walsender sees the connection close and releases the slot
      id = insertMb(p, id, 1.5);
      SlotRow kept = checkpointAndCompare(p, null);
      assertEquals("reserved", kept.walStatus());
      assertTrue(!kept.active(), "the slot is inactive with its standby down");
      id = insertMb(p, id, 3.5);
      SlotRow lost = checkpointAndCompare(p, kept.restartLsn());
      assertEquals("lost", lost.walStatus(), "past max_slot_wal_keep_size = 3MB");
      assertNull(lost.restartLsn());
    }
  }

  @Test
  void aStandbyWithoutASlotBackTooLateLogsTheModelsError() throws Exception {
    RealPgPair.require();
    var model = SimTesting.run(new sim.postgres.scenario.PgScenarios().scenarios().stream()
        .filter(s -> s.name().equals("pg.standby-without-slot-falls-behind")).findFirst().orElseThrow(), 1);
    CheckResult check = model.check("pg.removed-segment-error");
    assertEquals(CheckResult.Status.OK, check.status(), check.detail());
    Matcher modelLine = Pattern.compile("(FATAL: .*requested WAL segment )([0-9A-F]{24})( has already been removed)").matcher(check.detail());
    assertTrue(modelLine.find(), check.detail());
    try (RealPgPair pair = RealPgPair.start("--wal-segsize=1", "", List.of("checkpoint_timeout=1h"), List.of()); Connection p = pair.primary()) {
      exec(p, "create table t (id int primary key, pad text)");
      exec(p, "alter table t alter column pad set storage external"); // no pglz: the WAL is as big as the rows
      int id = insertMb(p, 0, 0.5);
      waitReplayed(p);
      pair.crashStandby();
      insertMb(p, id, 3.5);
      exec(p, "checkpoint");
      pair.startStandby(List.of());
      String line = null;
      for (int i = 0; i < 100 && line == null; i++) {
        Thread.sleep(100);
        Matcher m = Pattern.compile("FATAL: .*requested WAL segment [0-9A-F]{24} has already been removed").matcher(pair.standbyLog());
        if (m.find()) line = m.group();
      }
      assertNotNull(line, "the real standby logged no removed-segment error:\n" + pair.standbyLog());
      Matcher real = Pattern.compile("requested WAL segment ([0-9A-F]{24})").matcher(line);
      assertTrue(real.find());
      assertEquals(modelLine.group(1) + real.group(1) + modelLine.group(3), line, "the model's message, with the real segment's name");
      Matcher start = Pattern.compile("started streaming WAL from primary at ([0-9A-F]+/[0-9A-F]+)").matcher(pair.standbyLog());
      String startLsn = null;
      while (start.find()) startLsn = start.group(1);
      assertNotNull(startLsn, pair.standbyLog());
      assertEquals(WalFiles.baseName(WalFiles.fileName(1, WalFiles.segNo(Wal.parseLsn(startLsn), MB), MB)), real.group(1),
          "the segment named is XLogFileName of the standby's start point");
    }
  }

  /**
   * CHECKPOINT on the real server, with the model's retention deciding on a copy of the real pg_wal's
   * names (before): the oldest segment the model keeps is the real one's oldest; then the slot's row against
   * the model's walStatus and safeWalSize for the real restart_lsn and write position.
   */
  private static SlotRow checkpointAndCompare(Connection p, String slotRestartBefore) throws SQLException {
    SlotRow before = slot(p);
    String restart = before.restartLsn() != null ? before.restartLsn() : slotRestartBefore;
    SimDisk mirror = mirror(p);
    exec(p, "checkpoint");
    String redo = one(p, "select redo_lsn from pg_control_checkpoint()");
    String ckpt = one(p, "select checkpoint_lsn from pg_control_checkpoint()");
    WalRetention model = new WalRetention(mirror, settings());
    WalRetentionTest.OneSlot s = new WalRetentionTest.OneSlot();
    s.restartLsn = restart == null ? 0 : Wal.parseLsn(restart);
    model.setSlots(s);
    model.afterCheckpoint(Wal.parseLsn(redo), Wal.parseLsn(ckpt));
    assertEquals(oldestReal(p), WalFiles.baseName(WalFiles.segments(mirror).get(0)), "oldest segment kept after the checkpoint (redo " + redo + ")");
    SlotRow after = slot(p);
    WalRetention view = new WalRetention(mirror(p), settings());
    view.setSlots(s);
    long write = after.writeLsn();
    String status = s.invalidatedAt != 0 ? "lost" : view.walStatus(Wal.parseLsn(after.restartLsn()), write);
    assertEquals(after.walStatus(), status, "wal_status for restart_lsn " + after.restartLsn() + " at " + Wal.formatLsn(write));
    Long safe = after.restartLsn() == null ? null : view.safeWalSize(Wal.parseLsn(after.restartLsn()), status, write);
    assertEquals(after.safeWalSize(), safe, "safe_wal_size");
    return after;
  }

  private static WalRetention.Settings settings() {
    return WalRetention.Settings.defaults().withSegmentSizeMb(1).withMaxSlotWalKeepSizeMb(3);
  }

  /** Empty files named as the real pg_wal's segments, up to the current one (later ones are preallocated or recycled). */
  private static SimDisk mirror(Connection p) throws SQLException {
    SimDisk d = SimDisk.standalone("mirror", 1);
    String current = one(p, "select pg_walfile_name(pg_current_wal_lsn())");
    for (String name : names(p)) if (name.compareTo(current) <= 0) d.create("pg_wal/" + name);
    return d;
  }

  private static String oldestReal(Connection p) throws SQLException {
    return names(p).get(0);
  }

  private static List<String> names(Connection p) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = p.createStatement().executeQuery("select name from pg_ls_waldir() where name ~ '^[0-9A-F]{24}$' order by name")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static SlotRow slot(Connection p) throws SQLException {
    try (ResultSet rs = p.createStatement().executeQuery(
        "select restart_lsn, wal_status, safe_wal_size, active, pg_current_wal_lsn() from pg_replication_slots where slot_name = 's1'")) {
      assertTrue(rs.next(), "no slot s1");
      long safe = rs.getLong(3);
      Long safeOrNull = rs.wasNull() ? null : safe;
      return new SlotRow(rs.getString(1), rs.getString(2), safeOrNull, rs.getBoolean(4), Wal.parseLsn(rs.getString(5)));
    }
  }

  /** Inserts about {@code mb} MB of WAL as the scenarios do (6 kB rows); returns the next id. */
  private static int insertMb(Connection p, int from, double mb) throws SQLException {
    int rows = (int) (mb * MB / 6200);
    exec(p, "insert into t select g, repeat(md5(g::text), 190) from generate_series(" + (from + 1) + ", " + (from + rows) + ") g");
    return from + rows;
  }

  private static void waitReplayed(Connection p) throws Exception {
    for (int i = 0; i < 100; i++) {
      String lag = one(p, "select coalesce((select (pg_current_wal_lsn() = replay_lsn)::text from pg_stat_replication), 'none')");
      if ("true".equals(lag)) return;
      Thread.sleep(50);
    }
  }

  private static String one(Connection p, String sql) throws SQLException {
    try (ResultSet rs = p.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(Connection p, String sql) throws SQLException {
    p.createStatement().execute(sql);
  }
}
