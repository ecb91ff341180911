package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.schedule.ScheduleRunner;

/** KeepLogSeg and RemoveOldXlogFiles at checkpoints: what a slot, wal_keep_size and max_slot_wal_keep_size keep. */
class WalRetentionTest {
  private static final int MB = 1 << 20;

  /** A slot table of one slot, as slot.c would answer the checkpointer. */
  static final class OneSlot implements WalRetention.Slots {
    long restartLsn;
    long invalidatedAt;

    @Override
    public long minimumRestartLsn() {
      return restartLsn;
    }

    @Override
    public List<String> invalidateObsolete(long oldestLsn) {
      if (restartLsn == 0 || restartLsn >= oldestLsn) return List.of();
      invalidatedAt = restartLsn;
      restartLsn = 0;
      return List.of("s1");
    }

    @Override
    public void checkpoint() {}
  }

  private static Storage cluster(SimDisk disk, WalRetention.Settings retention) {
    return Storage.open(disk, Storage.Config.defaults().withRetention(retention.withSegmentSizeMb(1)));
  }

  /** About {@code mb} MB of WAL: 1.5 kB rows. */
  private static void writeWal(Storage s, int firstId, double mb) {
    Database db = new Database(ScheduleRunner.clockOf(new sim.core.Simulation(1)), s.state(), s);
    if (s.state().tables.get("t") == null) CrashRecoveryTest.ok(db.execute("s", "create table t (id int primary key, pad text)"));
    String pad = "x".repeat(1500);
    int rows = (int) (mb * MB / 1600);
    for (int i = 0; i < rows; i++) CrashRecoveryTest.ok(db.execute("s", "insert into t values (" + (firstId + i) + ", '" + pad + "')"));
  }

  private static List<Long> segNos(SimDisk disk) {
    List<Long> out = new ArrayList<>();
    for (String f : WalFiles.segments(disk)) out.add(WalFiles.segNoOf(f, MB));
    return out;
  }

  @Test
  void aCheckpointRemovesEverySegmentBeforeTheRedoPointsSegment() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    Storage s = cluster(disk, WalRetention.Settings.defaults());
    writeWal(s, 1, 3.5);
    assertEquals(List.of(1L, 2L, 3L, 4L), segNos(disk));
    s.checkpoint();
    long redoSeg = WalFiles.segNo(s.redoLsn(), MB);
    assertEquals(List.of(redoSeg), segNos(disk), "only the redo point's segment is left");
    assertEquals(redoSeg - 1, s.retention().lastRemovedSegNo());
  }

  @Test
  void walKeepSizeKeepsThatManySegmentsBehind() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    Storage s = cluster(disk, WalRetention.Settings.defaults().withWalKeepSizeMb(2));
    writeWal(s, 1, 4.5);
    s.checkpoint();
    long curr = WalFiles.segNo(s.wal().insertLsn(), MB);
    assertEquals(curr - 2, segNos(disk).get(0), "wal_keep_size = 2 MB: two segments before the current one stay");
  }

  @Test
  void aSlotsRestartLsnKeepsItsSegmentAndEverythingAfter() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    Storage s = cluster(disk, WalRetention.Settings.defaults());
    OneSlot slot = new OneSlot();
    s.retention().setSlots(slot);
    writeWal(s, 1, 1.2);
    slot.restartLsn = s.wal().insertLsn(); // the standby flushed this far, then went away
    long slotSeg = WalFiles.segNo(slot.restartLsn, MB);
    int id = 1_000;
    for (int round = 0; round < 3; round++) {
      writeWal(s, id, 1.1);
      id += 1_000;
      s.checkpoint();
      assertEquals(slotSeg, segNos(disk).get(0), "round " + round + ": the slot's segment is the oldest kept");
      assertEquals("reserved", s.retention().walStatus(slot.restartLsn, s.wal().writtenLsn()));
      assertNull(s.retention().safeWalSize(slot.restartLsn, "reserved", s.wal().writtenLsn()), "unlimited: no safe_wal_size");
    }
    slot.restartLsn = 0;
    s.checkpoint();
    assertTrue(segNos(disk).get(0) > slotSeg, "without the slot the next checkpoint removes them");
  }

  @Test
  void maxSlotWalKeepSizeInvalidatesASlotTooFarBehind() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    Storage s = cluster(disk, WalRetention.Settings.defaults().withMaxSlotWalKeepSizeMb(2));
    OneSlot slot = new OneSlot();
    s.retention().setSlots(slot);
    writeWal(s, 1, 1.2);
    slot.restartLsn = s.wal().insertLsn();
    long restart = slot.restartLsn;
    writeWal(s, 1_000, 1.0);
    s.checkpoint();
    assertEquals(0, slot.invalidatedAt, "within 2 MB: kept");
    String status = s.retention().walStatus(restart, s.wal().writtenLsn());
    assertEquals("reserved", status);
    long safe = s.retention().safeWalSize(restart, status, s.wal().writtenLsn());
    // failSeg = restart's segment + 2 + 1: that many bytes can still be written before the slot is lost
    assertEquals(WalFiles.segStart(WalFiles.segNo(restart, MB) + 3, MB) - s.wal().writtenLsn(), safe);
    writeWal(s, 2_000, 2.5);
    s.checkpoint();
    assertEquals(restart, slot.invalidatedAt, "the checkpoint invalidated it");
    assertFalse(segNos(disk).contains(WalFiles.segNo(restart, MB)), "and removed its segment");
    assertEquals("lost", s.retention().walStatus(restart, s.wal().writtenLsn()));
  }

  @Test
  void aSlotHoldingWalFillsADiskThatCheckpointsWouldKeepRoomyOtherwise() {
    for (boolean slotHeld : new boolean[] {false, true}) {
      SimDisk disk = SimDisk.standalone("pg", 1);
      Storage s = cluster(disk, WalRetention.Settings.defaults());
      OneSlot slot = new OneSlot();
      s.retention().setSlots(slot);
      writeWal(s, 1, 0.5);
      if (slotHeld) slot.restartLsn = s.wal().insertLsn();
      // room for the 4 MB of heap the inserts add and 2.5 MB of WAL: enough while checkpoints remove old segments
      disk.setCapacityBytes(disk.totalBytes() + 13L * MB / 2);
      String outcome = "fits";
      try {
        for (int round = 0; round < 8; round++) {
          writeWal(s, 1_000 * (round + 1), 0.5);
          s.checkpoint();
        }
      } catch (sim.core.disk.SimIOException e) {
        outcome = e.errno();
      }
      assertEquals(slotHeld ? "ENOSPC" : "fits", outcome, "slot held: " + slotHeld + ", pg_wal " + segNos(disk));
    }
  }
}
