package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;
import sim.postgres.wal.WalRetention;

/**
 * The WAL-retention scenarios' cluster: {@code pg} initdb'd with 1 MB segments ({@code --wal-segsize=1},
 * PostgreSQL's smallest, so that a few seconds of inserts fill several), a checkpoint every second, and
 * {@code s1}, its standby, with or without a slot; the client inserts 6 kB rows every 10 ms and reads
 * pg_replication_slots every 2 s. The safety invariant {@code pg.slot-wal-kept} and what the lessons read:
 * pg_wal's segments after each checkpoint.
 */
final class WalSlots {
  static final int SEGMENT_BYTES = 1 << 20;
  static final String SLOT = "s1";
  static final String SLOTS_QUERY = "select slot_name, active, restart_lsn, wal_status, safe_wal_size from pg_replication_slots";

  /** pg_wal after one checkpoint on pg: when, how many segments, the oldest. */
  record AfterCheckpoint(long atNanos, int segments, String oldest) {}

  private WalSlots() {}

  static List<AfterCheckpoint> cluster(Simulation sim, boolean slot) {
    sim.network().setLinkLatency(Replicas.PG, Replicas.S1, Durations.millis(2), Durations.millis(4));
    Storage.Config storage = Storage.Config.defaults().withRetention(WalRetention.Settings.defaults().withSegmentSizeMb(1));
    PostgresNode.Settings base = Replicas.settings().withStorage(storage);
    Replication standby = Replication.standby("s1", Replicas.PG, 0);
    Replication s1 = slot ? standby.withPrimarySlotName(SLOT) : standby;
    sim.addNode(Replicas.PG, () -> new PostgresNode(base.withReplication(Replication.primary("", null))));
    sim.addNode(Replicas.S1, () -> new PostgresNode(base.withReplication(s1)));
    Replicas.addInspectors(sim);
    Replicas.onePrimaryPerTimeline(sim);
    Replicas.standbyWalIsPrefix(sim);
    slotWalKept(sim);
    sim.addFinalCheck("pg.redo-wal-kept", () -> redoWalKept(sim));
    String pad = "x".repeat(6000); // a page a row: no TOAST in this model (PostgreSQL would compress it)
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key, pad text)"};
      if (n % 200 == 0) return new String[] {"v", SLOTS_QUERY};
      return new String[] {"c", "insert into t values (" + n + ", '" + pad + "')"};
    }));
    List<AfterCheckpoint> checkpoints = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (!e.kind().equals("pg.checkpoint") || !e.node().equals(Replicas.PG.name()) || !sim.isUp(Replicas.PG)) return;
      List<String> files = WalFiles.segments(sim.disk(Replicas.PG));
      checkpoints.add(new AfterCheckpoint(e.timeNanos(), files.size(), files.isEmpty() ? "-" : WalFiles.baseName(files.get(0))));
    });
    return checkpoints;
  }

  /**
   * SAFETY invariant {@code pg.slot-wal-kept}: on the primary, the WAL segment holding each valid slot's
   * restart_lsn, and every later one, is still in pg_wal (a standby streaming through the slot can always
   * resume from it).
   */
  static void slotWalKept(Simulation sim) {
    sim.addInvariant("pg.slot-wal-kept", () -> {
      PostgresNode p = Replicas.node(sim, Replicas.PG);
      if (p == null || p.slots() == null || p.storage() == null) return null;
      Storage st = p.storage();
      int segSize = st.wal().segmentSize();
      long oldest = WalFiles.oldestLsn(sim.disk(Replicas.PG), segSize);
      for (Map.Entry<String, Long> slot : p.slots().restartLsns().entrySet()) {
        if (slot.getValue() == 0) continue;
        long seg = WalFiles.segNo(slot.getValue(), segSize);
        // removal goes oldest first, so the slot's own segment gone is the whole story
        if (seg > st.retention().lastRemovedSegNo() && WalFiles.segStart(seg, segSize) >= oldest) continue;
        return "slot \"" + slot.getKey() + "\" has restart_lsn " + Wal.formatLsn(slot.getValue()) + " but its segment "
            + WalFiles.baseName(WalFiles.fileName(p.timeline(), seg, segSize)) + " was removed from pg's pg_wal";
      }
      return null;
    });
  }

  /**
   * SAFETY: crash recovery can always start: the segment holding pg_control's redo point, and every one
   * after it, is still in pg_wal (RemoveOldXlogFiles never goes past the redo segment).
   */
  private static CheckResult redoWalKept(Simulation sim) {
    String name = "pg.redo-wal-kept";
    PostgresNode p = Replicas.node(sim, Replicas.PG);
    if (p == null || p.storage() == null) return CheckResult.ok(name, "pg down at the end");
    Storage st = p.storage();
    int segSize = st.wal().segmentSize();
    long redoSeg = WalFiles.segNo(st.redoLsn(), segSize);
    long oldest = WalFiles.oldestLsn(sim.disk(Replicas.PG), segSize);
    return CheckResult.of(name, WalFiles.segStart(redoSeg, segSize) >= oldest && redoSeg > st.retention().lastRemovedSegNo(),
        "redo point " + Wal.formatLsn(st.redoLsn()) + " in segment " + redoSeg + "; pg_wal holds " + WalFiles.segments(sim.disk(Replicas.PG)).size()
            + " segments from " + Wal.formatLsn(oldest));
  }

  /** The replies to {@link #SLOTS_QUERY}, in order: when, and the row. */
  static List<String> slotRows(Simulation sim) {
    List<String> rows = new ArrayList<>();
    if (!sim.isUp(PgScenarios.CLIENT)) return rows;
    for (PgClient.Outcome o : PgScenarios.client(sim).replies().values()) {
      if (o.sent().sql().equals(SLOTS_QUERY)) rows.add("at " + Durations.format(o.repliedNanos()) + ": " + o.outcome());
    }
    return rows;
  }
}
