package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;

/**
 * Without a slot (and with wal_keep_size = 0, the default) nothing on the primary remembers a standby that
 * is away: its checkpoints remove the segments the standby would need, and when it comes back the
 * walsender cannot open them — PostgreSQL's "requested WAL segment … has already been removed". The
 * standby can only be rebuilt from a new base backup.
 */
final class StandbyWithoutSlot extends LessonScenario {
  private static final long UP = Durations.seconds(14);

  StandbyWithoutSlot() {
    super(new Lesson("pg.standby-without-slot-falls-behind",
        "a standby without a slot, down too long, cannot resume: its WAL segment has already been removed on the primary",
        "As pg.slot-holds-wal, but s1 streams without a slot (no primary_slot_name) and wal_keep_size is 0. s1 crashes at 4 s; "
            + "pg's checkpoints go on removing every segment before their redo point (pg.wal.remove), because nothing says s1 still "
            + "needs them. At 14 s s1 restarts and asks for the WAL after what it has (START_REPLICATION from its end of WAL); the "
            + "segment holding that LSN is gone, and pg's walsender fails with 'ERROR:  requested WAL segment "
            + "000000010000000000000003 has already been removed' (at seed 1; the name is XLogFileName of the standby's start LSN: timeline, "
            + "then the segment number in two 8-digit halves). s1 logs 'FATAL:  could not receive data from WAL stream: ERROR:  "
            + "requested WAL segment … has already been removed' and replays nothing more: only a new pg_basebackup (or WAL "
            + "archiving with restore_command, or a slot from the start) would have let it go on.",
        "at 4s crash s1; at 14s restart s1", Durations.seconds(18), Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    WalSlots.cluster(sim, false);
    List<String> starts = new ArrayList<>();
    List<String> fatals = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (e.timeNanos() < UP) return;
      if (e.kind().equals("pg.walsender.start") && e.node().equals(Replicas.PG.name())) starts.add((String) e.attribute("startLsn"));
      if (e.kind().equals("pg.walreceiver.fatal") && e.node().equals(Replicas.S1.name())) fatals.add(e.detail());
    });
    sim.addLessonCheck("pg.removed-segment-error", () -> removedError(sim, starts, fatals));
  }

  /** LESSON: the restarted standby got PostgreSQL's exact error for the segment its start LSN is in, and that file is gone. */
  private static CheckResult removedError(Simulation sim, List<String> starts, List<String> fatals) {
    String name = "pg.removed-segment-error";
    if (starts.isEmpty()) return CheckResult.failed(name, "s1 never asked to stream again after its restart");
    long start = Wal.parseLsn(starts.get(0));
    String segment = WalFiles.baseName(WalFiles.fileName(1, WalFiles.segNo(start, WalSlots.SEGMENT_BYTES), WalSlots.SEGMENT_BYTES));
    String expected = "FATAL:  could not receive data from WAL stream: ERROR:  requested WAL segment " + segment + " has already been removed";
    boolean gone = !sim.isUp(Replicas.PG) || !sim.disk(Replicas.PG).exists("pg_wal/" + segment);
    return CheckResult.of(name, fatals.contains(expected) && gone, "s1 restarted and asked for " + Wal.formatLsn(start) + " (segment "
        + segment + (gone ? ", no longer in pg's pg_wal" : ", still on pg") + "): " + (fatals.isEmpty() ? "no error" : fatals.get(0)));
  }
}
