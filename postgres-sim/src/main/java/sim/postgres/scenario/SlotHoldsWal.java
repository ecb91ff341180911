package sim.postgres.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * A physical replication slot keeps the WAL its standby has not flushed: while s1 is down every checkpoint
 * on pg would remove the segments before its redo point, but the slot's restart_lsn (KeepLogSeg) holds
 * them, so pg_wal grows by what the workload writes; when s1 comes back it resumes from the slot and the
 * next checkpoint after it caught up removes the backlog.
 */
final class SlotHoldsWal extends LessonScenario {
  private static final long DOWN = Durations.seconds(4);
  private static final long UP = Durations.seconds(14);

  SlotHoldsWal() {
    super(new Lesson("pg.slot-holds-wal",
        "a standby down with a replication slot: the primary's pg_wal grows with each checkpoint instead of shrinking, until the standby is back",
        "pg is initdb'd with 1 MB WAL segments and checkpoints every second; s1 was cloned with pg_basebackup -C -S s1, so "
            + "a physical slot 's1' on pg records how far s1 has flushed (restart_lsn, moved by every status reply: "
            + "PhysicalConfirmReceivedLocation). The client inserts 6 kB rows every 10 ms, about 0.6 MB of WAL a second. While s1 "
            + "streams, each checkpoint removes the segments before its redo point (pg.wal.remove) and pg_wal stays at one or two "
            + "files. At 4 s s1 crashes: the slot's restart_lsn stops, and from then on KeepLogSeg keeps every segment from the "
            + "slot's on — each checkpoint removes nothing and pg_wal grows (\\replication shows pg_replication_slots: active false, "
            + "wal_status reserved, restart_lsn fixed; active turns false once the walsender has heard nothing for wal_sender_timeout). Nothing bounds it with max_slot_wal_keep_size = -1 (the default): a standby "
            + "gone for good fills the primary's disk. At 14 s s1 restarts, streams from its slot, catches up, and the next checkpoint "
            + "removes the backlog. (With --break pg.checkpoint-ignores-slots the checkpointer ignores the slot and removes the "
            + "segments s1 still needs: pg.slot-wal-kept fails.)",
        "at 4s crash s1; at 14s restart s1", Durations.seconds(20), Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    List<WalSlots.AfterCheckpoint> checkpoints = WalSlots.cluster(sim, true);
    List<String> removedErrors = new java.util.ArrayList<>();
    sim.trace().addListener(e -> {
      if (e.kind().equals("pg.walreceiver.fatal") && e.detail().contains("has already been removed")) removedErrors.add(e.detail());
    });
    // SAFETY: with a valid slot (max_slot_wal_keep_size = -1 never invalidates it) the standby always finds its WAL
    sim.addFinalCheck("pg.slot-standby-finds-its-wal", () -> CheckResult.of("pg.slot-standby-finds-its-wal", removedErrors.isEmpty(),
        removedErrors.isEmpty() ? "s1 never asked for a removed segment" : removedErrors.get(0)));
    sim.addLessonCheck("pg.slot-keeps-wal-while-standby-down", () -> grows(checkpoints));
    sim.addLessonCheck("pg.wal-shrinks-after-standby-returns", () -> shrinks(checkpoints));
    sim.addLessonCheck("pg.slot-shows-reserved-while-inactive", () -> inactiveReserved(sim));
  }

  /** LESSON: during the outage pg_wal grew by several segments, its oldest file never changing. */
  private static CheckResult grows(List<WalSlots.AfterCheckpoint> checkpoints) {
    String name = "pg.slot-keeps-wal-while-standby-down";
    List<WalSlots.AfterCheckpoint> down = checkpoints.stream()
        .filter(c -> c.atNanos() > DOWN + Durations.seconds(1) && c.atNanos() < UP).toList();
    if (down.size() < 2) return CheckResult.failed(name, "fewer than two checkpoints while s1 was down");
    WalSlots.AfterCheckpoint first = down.get(0);
    WalSlots.AfterCheckpoint last = down.get(down.size() - 1);
    boolean sameOldest = down.stream().allMatch(c -> c.oldest().equals(first.oldest()));
    return CheckResult.of(name, sameOldest && last.segments() >= first.segments() + 3, "pg_wal after the checkpoints while s1 was down: "
        + down.stream().map(c -> c.segments() + "").toList() + " segments, oldest " + (sameOldest ? first.oldest() + " throughout" : "moving"));
  }

  /** LESSON: once s1 was back and had caught up, a checkpoint removed the backlog. */
  private static CheckResult shrinks(List<WalSlots.AfterCheckpoint> checkpoints) {
    String name = "pg.wal-shrinks-after-standby-returns";
    int peak = checkpoints.stream().filter(c -> c.atNanos() < UP).mapToInt(WalSlots.AfterCheckpoint::segments).max().orElse(0);
    WalSlots.AfterCheckpoint end = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
    if (end == null) return CheckResult.failed(name, "no checkpoint");
    return CheckResult.of(name, end.atNanos() > UP && end.segments() <= 3 && peak >= 6, "pg_wal peaked at " + peak
        + " segments while s1 was down; " + end.segments() + " after the last checkpoint (oldest " + end.oldest() + ")");
  }

  /** LESSON: pg_replication_slots during the outage: the slot inactive, its WAL reserved, restart_lsn fixed. */
  private static CheckResult inactiveReserved(Simulation sim) {
    String name = "pg.slot-shows-reserved-while-inactive";
    List<String> rows = WalSlots.slotRows(sim);
    boolean seen = rows.stream().anyMatch(r -> r.contains("rows [[s1, false, ") && r.contains(", reserved, null]]"));
    boolean activeBefore = rows.stream().anyMatch(r -> r.contains("rows [[s1, true, ") && r.contains(", reserved, null]]"));
    return CheckResult.of(name, seen && activeBefore, String.join("; ", rows));
  }
}
