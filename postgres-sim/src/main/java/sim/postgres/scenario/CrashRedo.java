package sim.postgres.scenario;

import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Storage;

/** Crash in the middle of an insert workload; recovery replays the WAL. */
final class CrashRedo extends LessonScenario {
  private final boolean synchronousCommit;

  CrashRedo(boolean synchronousCommit) {
    super(new Lesson(synchronousCommit ? "pg.crash-redo" : "pg.async-commit-loss",
        synchronousCommit
            ? "PostgreSQL crashes twice mid-workload; WAL redo brings back every acknowledged commit, nothing else"
            : "synchronous_commit=off: a crash loses the acknowledged commits the WAL writer had not flushed yet",
        "A client inserts a row every 10 ms (autocommit) and updates an earlier one every fifth statement. "
            + "Each change is a WAL record in the WAL buffers (pg.wal.insert); "
            + (synchronousCommit
                ? "each COMMIT waits until the WAL is fsynced (pg.wal.write, then pg.wal.flush) before it is "
                    + "acknowledged (synchronous_commit=on). "
                : "COMMIT is acknowledged at once and the WAL writer flushes every 200 ms (synchronous_commit=off). ")
            + "Data pages stay dirty in shared buffers and reach disk only at eviction or a checkpoint (every 2 s). "
            + "The server crashes at 3 s and at 6 s with torn writes; on restart, recovery (pg.recovery) loads the "
            + "last checkpoint's pages, restores torn pages from full-page images and replays every WAL record after "
            + "the redo point. Transactions without a commit record in the durable WAL vanish. "
            + (synchronousCommit ? "Every acknowledged insert must be there after each restart."
                : "Acknowledged inserts whose commit record came after the last WAL flush before a crash are gone: "
                    + "that is the documented price of synchronous_commit=off, and the check names exactly those."),
        "at 0s disk pg torn; at 3s crash pg; at 3.5s restart pg; at 6s crash pg; at 6.2s restart pg",
        Durations.seconds(8),
        Durations.seconds(1)));
    this.synchronousCommit = synchronousCommit;
  }

  @Override
  public void setup(Simulation sim) {
    PgScenarios.cluster(sim, new Storage.Config(8, synchronousCommit, true), Durations.seconds(2), Durations.millis(10),
        PgScenarios.insertWorkload("x".repeat(100)));
    CommitLedger ledger = CommitLedger.follow(sim, PgScenarios.PG);
    if (synchronousCommit) PgScenarios.commitReportedAfterWalFlush(sim, ledger);
    sim.addFinalCheck("pg.recovery-repairs-torn-pages", () -> {
      PostgresNode pg = PgScenarios.server(sim);
      if (pg == null || pg.storage() == null) return CheckResult.failed("pg.recovery-repairs-torn-pages", "server down at the end");
      Storage.RecoveryReport r = pg.storage().recovery();
      return CheckResult.of("pg.recovery-repairs-torn-pages", r.corruptPages().isEmpty(),
          "last recovery: " + r.recordsReplayed() + " records replayed, repaired " + r.repairedPages()
              + (r.corruptPages().isEmpty() ? "" : ", corrupt " + r.corruptPages()));
    });
    sim.addFinalCheck("pg.acknowledged-commits-survive", () -> PgScenarios.acknowledgedCommitsSurvive(sim, "accounts",
        synchronousCommit ? Map.of() : ledger.allowedLosses(PgScenarios::insertName)));
    if (synchronousCommit) {
      sim.addLessonCheck("pg.redo-replays-commits", () -> {
        PostgresNode pg = PgScenarios.server(sim);
        int commits = pg == null || pg.storage() == null ? 0 : pg.storage().recovery().committedInRedo();
        return CheckResult.of("pg.redo-replays-commits", ledger.crashes().size() > 0 && commits > 0,
            ledger.crashes().size() + " crash(es); the last recovery replayed " + commits + " commit records");
      });
    } else {
      sim.addLessonCheck("pg.async-commit-loses-unflushed", () -> {
        long lost = ledger.crashes().stream().mapToLong(c -> c.unflushed().size()).sum();
        return CheckResult.of("pg.async-commit-loses-unflushed", lost > 0, ledger.crashes().size()
            + " crash(es) caught " + lost + " acknowledged commits the WAL writer had not flushed yet");
      });
    }
  }
}
