package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** A long REPEATABLE READ transaction holds back VACUUM; when it ends, autovacuum reclaims the bloat. */
final class VacuumHorizon extends LessonScenario {
  static final int ROWS = 10;
  static final String READ = "select count(*), sum(n) from counters";
  static final long[] READS = {101, 200, 300, 399};
  static final long BEGIN = 100;
  static final long COMMIT = 400;

  VacuumHorizon() {
    super(new Lesson("pg.vacuum-horizon",
        "VACUUM and the xmin horizon: a long REPEATABLE READ report keeps dead versions alive until it ends",
        "A writer updates ten counters 100 times a second; every UPDATE leaves a dead version behind, and "
            + "autovacuum (every second here) runs once n_dead_tup passes 50 + 0.2 x reltuples. At 1 s a report "
            + "opens a REPEATABLE READ transaction and reads the counters' total, and reads it again at 2, 3 and 4 s: "
            + "its snapshot's xmin is the oldest xmin, and VACUUM may only remove versions deleted before it. Watch "
            + "pg.autovacuum: while the report is open each run finds the dead versions 'not yet removable' and the "
            + "table grows page after page, and each of the report's reads returns the same total; at 4 s the report "
            + "commits and the next run removes them, freeing line pointers for new versions. Use \\snapshot report, "
            + "\\heap counters and state pg.",
        "",
        Durations.seconds(6),
        Durations.millis(500)));
  }

  /** One autovacuum run as the trace told it. */
  record Run(long atNanos, long removed, long recentlyDead) {}

  @Override
  public void setup(Simulation sim) {
    sim.addNode(PgScenarios.PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    StringBuilder rows = new StringBuilder("insert into counters values ");
    for (int i = 1; i <= ROWS; i++) rows.append(i > 1 ? ", (" : "(").append(i).append(", 0)");
    String insert = rows.toString();
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PgScenarios.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"w", "create table counters (id int primary key, n int)"};
      if (n == 1) return new String[] {"w", insert};
      if (n == BEGIN) return new String[] {"report", "begin isolation level repeatable read"};
      for (long r : READS) if (n == r) return new String[] {"report", READ};
      if (n == COMMIT) return new String[] {"report", "commit"};
      return new String[] {"w", "update counters set n = n + 1 where id = " + (1 + n % ROWS)};
    }));
    PgScenarios.addInspectors(sim);
    List<Run> runs = new ArrayList<>();
    List<Long> crashes = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (!e.node().equals(PgScenarios.PG.name())) return;
      if (e.kind().equals("crash")) crashes.add(e.timeNanos());
      if (e.kind().equals("pg.autovacuum")) {
        runs.add(new Run(e.timeNanos(), ((Number) e.attribute("removed")).longValue(), ((Number) e.attribute("recentlyDead")).longValue()));
      }
    });
    sim.addFinalCheck("pg.snapshot-reads-repeat", () -> snapshotReadsRepeat(sim, crashes));
    sim.addLessonCheck("pg.vacuum-held-back-then-reclaimed", () -> heldBackThenReclaimed(sim, runs));
  }

  /**
   * SAFETY: VACUUM never removes a version a live snapshot still sees, so the report's reads inside its one
   * REPEATABLE READ transaction all return the same. Only reads known to be in that transaction are compared:
   * its BEGIN answered, no server crash between BEGIN and the read.
   */
  private static CheckResult snapshotReadsRepeat(Simulation sim, List<Long> crashes) {
    String name = "pg.snapshot-reads-repeat";
    PgClient c = PgScenarios.client(sim);
    PgClient.Outcome begin = c == null ? null : c.replies().get(BEGIN);
    if (begin == null || !begin.outcome().equals("ok")) return CheckResult.ok(name, "the report's BEGIN went unanswered: nothing to judge");
    long began = c.sent().get(BEGIN).sentNanos();
    List<String> seen = new ArrayList<>();
    for (long r : READS) {
      PgClient.Outcome o = c.replies().get(r);
      if (o == null || o.outcome().startsWith("error")) continue;
      if (crashes.stream().anyMatch(t -> t >= began && t <= o.repliedNanos())) break; // the transaction died with the server
      seen.add(o.outcome());
    }
    boolean same = seen.stream().distinct().count() <= 1;
    return CheckResult.of(name, same, "the report's reads in its REPEATABLE READ transaction: " + seen);
  }

  /** LESSON: a run while the report was open could not remove dead versions, and a run after it removed them. */
  private static CheckResult heldBackThenReclaimed(Simulation sim, List<Run> runs) {
    String name = "pg.vacuum-held-back-then-reclaimed";
    PgClient c = PgScenarios.client(sim);
    PgClient.Outcome begin = c == null ? null : c.replies().get(BEGIN);
    PgClient.Outcome commit = c == null ? null : c.replies().get(COMMIT);
    if (begin == null || commit == null || sim.incarnation(PgScenarios.PG) > 0) {
      return CheckResult.failed(name, "the report did not run as scripted on one server incarnation");
    }
    boolean heldBack = runs.stream().anyMatch(r -> r.atNanos() > begin.repliedNanos() && r.atNanos() < commit.repliedNanos()
        && r.recentlyDead() > 0);
    boolean reclaimed = runs.stream().anyMatch(r -> r.atNanos() > commit.repliedNanos() && r.removed() > 0);
    return CheckResult.of(name, heldBack && reclaimed, runs.size() + " autovacuum runs; while the report was open one "
        + "found dead versions not yet removable: " + heldBack + "; after it committed one removed them: " + reclaimed);
  }
}
