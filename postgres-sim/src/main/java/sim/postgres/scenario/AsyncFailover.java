package sim.postgres.scenario;

import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** Asynchronous streaming replication: the primary dies, the standby is promoted, acknowledged commits are gone. */
final class AsyncFailover extends LessonScenario {
  static final int PROMOTE_AT = 110;

  AsyncFailover() {
    super(new Lesson("pg.async-failover-loses-commits",
        "synchronous_commit=local, an asynchronous standby: after failover the last acknowledged commits are gone, and the old primary cannot rejoin",
        "pg streams its WAL to the standby s1 (pg_basebackup -R, then START_REPLICATION): each time WAL becomes durable "
            + "on pg, its walsender sends it (pg.walsender.send); s1's walreceiver writes it, fsyncs it and the startup "
            + "process replays it with the crash-recovery redo code (pg.walreceiver.write, .flush, pg.replay), reporting "
            + "its write/flush/replay LSNs back (\\replication shows pg_stat_replication). synchronous_standby_names is "
            + "empty and synchronous_commit=local: a COMMIT waits only for the local fsync. At 0.9 s the link from pg to "
            + "s1 fails (block pg->s1): pg goes on acknowledging commits that s1 never receives. At 1 s pg crashes; at "
            + "1.1 s the client runs pg_promote() on s1, which replays what it received, picks "
            + "timeline 2 (00000002.history records where timeline 1 ended) and takes the writes. The commits pg had "
            + "acknowledged in its last 100 ms never reached s1: they are lost, exactly those whose commit record ends "
            + "after the switch point. At 1.5 s pg restarts as a standby of s1: its WAL went past the switch point on "
            + "timeline 1, and s1 refuses it (requested starting point ... is not in this server's history). pg_rewind, "
            + "or a new base backup, would be needed.",
        "at 0.9s block pg->s1; at 1s crash pg; at 1.2s heal; at 1.5s restart pg",
        Durations.seconds(2),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    List<Replicas.Promotion> promotions = Replicas.cluster(sim, Replicas.settings(), "", "local", 0);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key, note text)"};
      if (n == PROMOTE_AT) return new String[] {"admin", "select pg_promote()", "s1"};
      String target = n > PROMOTE_AT ? "s1" : "pg";
      return new String[] {"c" + (n > PROMOTE_AT ? "2" : ""), "insert into t values (" + n + ", 'x')", target};
    }));
    Map<Long, Replicas.Acked> acks = Replicas.followAcks(sim);
    boolean[] refused = {false};
    sim.trace().addListener(e -> {
      if (e.kind().equals("pg.walreceiver.fatal") && e.node().equals("pg") && String.valueOf(e.attribute("error")).contains("not in this server's history")) {
        refused[0] = true;
      }
    });
    sim.addFinalCheck("pg.acknowledged-commits-survive-failover",
        () -> Replicas.ackedCommitsOnNewPrimary(sim, "pg.acknowledged-commits-survive-failover", acks, promotions, true));
    sim.addLessonCheck("pg.async-failover-lost-acknowledged-commits", () -> {
      CheckResult r = Replicas.ackedCommitsOnNewPrimary(sim, "x", acks, promotions, true);
      boolean lost = r.status() != CheckResult.Status.OK; // ok only when no acknowledged commit went missing
      return CheckResult.of("pg.async-failover-lost-acknowledged-commits", !promotions.isEmpty() && lost,
          (promotions.isEmpty() ? "no promotion; " : "promoted " + promotions.get(0).node() + "; ") + r.detail());
    });
    sim.addLessonCheck("pg.old-primary-refused", () -> CheckResult.of("pg.old-primary-refused", refused[0],
        refused[0] ? "pg's walreceiver: requested starting point ... on timeline 1 is not in this server's history"
            : "pg never tried to rejoin with a diverged timeline 1"));
  }
}
