package sim.postgres.scenario;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Storage;

/** COMMIT waits for the WAL fsync; sessions committing together share one; a crash mid-fsync. */
final class GroupCommit extends LessonScenario {
  static final int SESSIONS = 10;

  GroupCommit() {
    super(new Lesson("pg.group-commit",
        "COMMIT waits for the WAL fsync (50 ms here): commits share fsyncs (group commit); a crash mid-fsync loses only unacknowledged ones",
        "Ten sessions insert a row each, one every 10 ms in turn, on a disk whose fsync takes 50 ms. A COMMIT "
            + "appends its commit record and calls XLogFlush: the WAL buffers are written (pg.wal.write) and the "
            + "segment fsynced through the kernel (fsync.wait ... fsync.done); only then does the transaction "
            + "become visible and the client hear INSERT 0 1 (pg.reply). Commits arriving while an fsync is in "
            + "flight wait for the next one, which covers them all: one fsync, many commits. At 1.225 s the server "
            + "crashes while commits wait for their fsync, and the disk loses every un-fsynced write: those commits "
            + "were never acknowledged and redo does not find them. With --break pg.commit-before-wal-flush the "
            + "reply goes out before the fsync, and the same crash loses acknowledged commits.",
        "at 0s disk pg lose; at 0s disk pg fsync-latency 50ms; at 1.225s crash pg; at 1.5s restart pg",
        Durations.seconds(2),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    PgScenarios.cluster(sim, new Storage.Config(128, true, true), Durations.seconds(5), Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c0", "create table t (id int primary key, session text)"};
      String session = "c" + (n % SESSIONS);
      return new String[] {session, "insert into t values (" + n + ", '" + session + "')"};
    });
    CommitLedger ledger = CommitLedger.follow(sim, PgScenarios.PG);
    long[] fsyncs = {0};
    long[] crashAt = {-1};
    sim.trace().addListener(e -> {
      if (!e.node().equals(PgScenarios.PG.name())) return;
      if (e.kind().equals("pg.wal.write")) fsyncs[0]++;
      if (e.kind().equals("crash") && crashAt[0] < 0) crashAt[0] = e.timeNanos();
    });
    PgScenarios.commitReportedAfterWalFlush(sim, ledger);
    sim.addFinalCheck("pg.acknowledged-commits-survive", () -> PgScenarios.acknowledgedCommitsSurvive(sim, "t", Map.of()));
    sim.addLessonCheck("pg.group-commit-shares-fsyncs", () -> {
      PgClient c = PgScenarios.client(sim);
      long commits = c == null ? 0 : PgScenarios.inserts(c, true).size();
      return CheckResult.of("pg.group-commit-shares-fsyncs", commits > 0 && fsyncs[0] < commits,
          commits + " acknowledged commits, " + fsyncs[0] + " WAL fsyncs");
    });
    sim.addLessonCheck("pg.crash-loses-only-unacknowledged", () -> {
      String name = "pg.crash-loses-only-unacknowledged";
      PostgresNode pg = PgScenarios.server(sim);
      PgClient c = PgScenarios.client(sim);
      if (crashAt[0] < 0 || pg == null || pg.database() == null || pg.database().table("t") == null || c == null) {
        return CheckResult.failed(name, "no crash, or the server is down at the end");
      }
      Set<Long> present = PgScenarios.presentIds(pg, "t");
      Set<Long> inFlight = new TreeSet<>();
      for (PgClient.Sent s : c.sent().values()) {
        if (s.sql().startsWith("insert") && s.sentNanos() < crashAt[0] && !c.replies().containsKey(s.id())) inFlight.add(s.id());
      }
      Set<Long> vanished = new TreeSet<>(inFlight);
      vanished.removeAll(present);
      return CheckResult.of(name, !vanished.isEmpty(), "the crash at " + Durations.format(crashAt[0]) + " caught "
          + inFlight.size() + " unacknowledged inserts; " + vanished.size() + " of them absent after redo " + vanished);
    });
  }
}
