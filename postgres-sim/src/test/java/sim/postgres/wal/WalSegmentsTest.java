package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;

/** WAL cut into segments as PostgreSQL cuts it: names, LSN→segment math, redo across segment boundaries. */
class WalSegmentsTest {
  @Test
  void fileNamesAreXLogFileNames() {
    int seg16 = WalFiles.DEFAULT_SEGMENT_BYTES;
    // 16 MB segments: 256 per "log" (xlogid); LSN 0/5A3F1E28 is in segment 0x5A
    assertEquals(0x5A, WalFiles.segNo(0x5A3F1E28L, seg16));
    assertEquals("pg_wal/00000001000000000000005A", WalFiles.fileName(1, 0x5A, seg16));
    assertEquals("pg_wal/000000020000000100000003", WalFiles.fileName(2, 0x103, seg16));
    // 1 MB segments: 4096 per log
    assertEquals("pg_wal/000000010000000000000FFF", WalFiles.fileName(1, 0xFFF, 1 << 20));
    assertEquals("pg_wal/000000010000000100000000", WalFiles.fileName(1, 0x1000, 1 << 20));
  }

  @Test
  void aNewClusterStartsInSegmentOne() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    Storage s = Storage.open(disk, Storage.Config.defaults());
    assertEquals(0x01000000L, s.recovery().redoLsn());
    assertEquals(List.of(Wal.SEGMENT), WalFiles.segments(disk));
  }

  @Test
  void redoCrossesSegmentBoundariesAfterACrash() {
    for (CrashLossMode mode : CrashLossMode.values()) {
      Simulation sim = new Simulation(7);
      SimDisk disk = new SimDisk("pg", sim.random("disk"));
      disk.setCrashLossMode(mode);
      Storage.Config config = Storage.Config.defaults().withRetention(WalRetention.Settings.defaults().withSegmentSizeMb(1));
      Storage storage = Storage.open(disk, config);
      Database db = new Database(ScheduleRunner.clockOf(sim), storage.state(), storage);
      CrashRecoveryTest.ok(db.execute("s", "create table t (id int primary key, pad text)"));
      String pad = "x".repeat(1500);
      int rows = 2000; // about 3 MB of WAL: four 1 MB segments
      for (int i = 1; i <= rows; i++) CrashRecoveryTest.ok(db.execute("s", "insert into t values (" + i + ", '" + pad + "')"));
      List<String> segments = WalFiles.segments(disk);
      assertTrue(segments.size() >= 4, "segments: " + segments);
      assertEquals("pg_wal/000000010000000000000001", segments.get(0), "1 MB segments: the first is segment 1");
      assertEquals(WalFiles.segNo(storage.wal().insertLsn(), 1 << 20), WalFiles.segNoOf(segments.get(segments.size() - 1), 1 << 20));
      for (String f : segments.subList(0, segments.size() - 1)) assertEquals(1 << 20, disk.size(f), f + " is a full segment");
      disk.crash();
      Storage after = Storage.open(disk, config);
      Database db2 = new Database(ScheduleRunner.clockOf(sim), after.state(), after);
      Result r = db2.execute("check", "select count(*) from t");
      assertEquals(String.valueOf(rows), String.valueOf(((Result.Rows) r).rows().get(0).get(0)), mode.toString());
      assertTrue(after.recovery().recordsReplayed() > rows, "redo replayed the inserts from segment 1 on: " + after.recovery());
    }
  }
}
