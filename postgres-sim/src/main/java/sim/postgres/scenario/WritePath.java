package sim.postgres.scenario;

import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Storage;

/** The write path, step by step, with evictions and checkpoints, and a torn page repaired by redo. */
final class WritePath extends LessonScenario {
  WritePath() {
    super(new Lesson("pg.write-path",
        "WAL -> shared buffers -> disk: WAL before data, checkpoints, full-page images, a torn page repaired",
        "Follow one INSERT: the heap tuple goes into a page in shared buffers (dirty), its WAL record into the "
            + "WAL buffers (pg.wal.insert, with a full-page image if this is the page's first change since the last "
            + "checkpoint), and COMMIT waits for XLogFlush (pg.wal.write, fsync.wait, fsync.done, pg.wal.flush) before "
            + "the client hears INSERT 0 1 (pg.reply). With only 4 shared buffers, a dirty page is soon evicted by the "
            + "clock sweep: before it is written (pg.buffer.write) the WAL is flushed up to the page's LSN - WAL before "
            + "data, checked on every write. Every second a checkpoint (pg.checkpoint) writes all dirty pages and moves "
            + "the redo point. At 2.8 s the server crashes with torn writes: of the page writes since the last "
            + "checkpoint, a prefix survives and the next one is half on disk. Recovery (pg.recovery) finds that page's "
            + "checksum wrong and replays the WAL from the redo point: the full-page image logged with the page's first "
            + "change after the checkpoint (or, for a page born since, XLOG_HEAP_INIT_PAGE) rebuilds it whole. "
            + "Use \\wal, \\heap accounts and state pg to watch.",
        "at 0s disk pg torn; at 2.8s crash pg; at 3s restart pg",
        Durations.seconds(4),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    PgScenarios.cluster(sim, new Storage.Config(4, true, true), Durations.seconds(1), Durations.millis(5),
        PgScenarios.insertWorkload("y".repeat(400)));
    CommitLedger ledger = CommitLedger.follow(sim, PgScenarios.PG);
    PgScenarios.commitReportedAfterWalFlush(sim, ledger);
    sim.addFinalCheck("pg.acknowledged-commits-survive", () -> PgScenarios.acknowledgedCommitsSurvive(sim, "accounts", Map.of()));
    sim.addFinalCheck("pg.no-corrupt-pages", () -> {
      PostgresNode pg = PgScenarios.server(sim);
      if (pg == null || pg.storage() == null) return CheckResult.failed("pg.no-corrupt-pages", "server down at the end");
      Storage.RecoveryReport r = pg.storage().recovery();
      return CheckResult.of("pg.no-corrupt-pages", r.corruptPages().isEmpty(), "full_page_writes=on; last recovery: "
          + r.recordsReplayed() + " records, " + r.fullPageImages() + " full-page images"
          + (r.corruptPages().isEmpty() ? "" : ", CORRUPT " + r.corruptPages()));
    });
    sim.addLessonCheck("pg.torn-page-repaired", () -> {
      PostgresNode pg = PgScenarios.server(sim);
      if (pg == null || pg.storage() == null) return CheckResult.failed("pg.torn-page-repaired", "server down at the end");
      Storage.RecoveryReport r = pg.storage().recovery();
      return CheckResult.of("pg.torn-page-repaired", !r.repairedPages().isEmpty(), r.repairedPages().isEmpty()
          ? "this crash tore no data page write (the disk kept every un-fsynced write whole or none of the page's); try seed 1"
          : "recovery repaired torn " + r.repairedPages());
    });
  }
}
