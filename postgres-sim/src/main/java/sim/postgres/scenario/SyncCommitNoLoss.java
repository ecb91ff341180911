package sim.postgres.scenario;

import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Wal;

/** synchronous_commit=on with a synchronous standby: commits wait for it, and failover loses none of them. */
final class SyncCommitNoLoss extends LessonScenario {
  static final int PROMOTE_AT = 150;

  SyncCommitNoLoss() {
    super(new Lesson("pg.sync-commit-no-loss",
        "synchronous_commit=on, synchronous_standby_names='FIRST 1 (s1)': a COMMIT waits until s1 has flushed it, blocks while s1 is down, and failover loses nothing acknowledged",
        "As pg.async-failover-loses-commits, but pg has synchronous_standby_names = 'FIRST 1 (s1)' and "
            + "synchronous_commit=on. After its local fsync, a COMMIT waits in SyncRepWaitForLSN (pg.syncrep.wait) "
            + "until s1 reports a flush LSN at or past its commit record (pg.syncrep.release); only then does the "
            + "transaction become visible and the client hear INSERT 0 1. At 0.6 s s1 crashes: every commit now "
            + "waits (it is already durable on pg, but not acknowledged); at 0.9 s s1 restarts, replays its WAL, "
            + "reconnects and the queue drains. At 1.3 s the link from pg to s1 fails: commits wait again. At 1.4 s pg crashes and at 1.5 s s1 is promoted: every commit the "
            + "client heard about was on s1's disk, so none is lost. (With --break pg.sync-rep-ignored the commits of the "
            + "last 100 ms are acknowledged without s1 and lost.)",
        "at 0.6s crash s1; at 0.9s restart s1; at 1.3s block pg->s1; at 1.4s crash pg; at 1.6s heal; at 1.8s restart pg",
        Durations.millis(2500),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    sim.network().setLinkLatency(Replicas.PG, Replicas.S1, Durations.millis(5), Durations.millis(10));
    List<Replicas.Promotion> promotions = Replicas.cluster(sim, Replicas.settings(), "FIRST 1 (s1)", "on", 0);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key, note text)"};
      if (n == PROMOTE_AT) return new String[] {"admin", "select pg_promote()", "s1"};
      String target = n > PROMOTE_AT ? "s1" : "pg";
      // one session per statement: a commit waiting for the standby holds only its own session
      return new String[] {"c" + n, "insert into t values (" + n + ", 'x')", target};
    }));
    Map<Long, Replicas.Acked> acks = Replicas.followAcks(sim);
    long[] s1Down = {-1, -1};
    sim.trace().addListener(e -> {
      if (!e.node().equals("s1")) return;
      if (e.kind().equals("crash") && s1Down[0] < 0) s1Down[0] = e.timeNanos();
      if (e.kind().equals("pg.standby") && s1Down[0] >= 0 && s1Down[1] < 0) s1Down[1] = e.timeNanos();
    });
    sim.addFinalCheck("pg.no-acknowledged-commit-lost-on-failover",
        () -> Replicas.ackedCommitsOnNewPrimary(sim, "pg.no-acknowledged-commit-lost-on-failover", acks, promotions, false));
    sim.addLessonCheck("pg.commit-blocks-while-sync-standby-down", () -> {
      String name = "pg.commit-blocks-while-sync-standby-down";
      PgClient c = PgScenarios.client(sim);
      if (c == null || s1Down[0] < 0 || s1Down[1] < 0) return CheckResult.failed(name, "s1 was never down and back");
      int sentWhileDown = 0;
      int ackedWhileDown = 0;
      int ackedAfter = 0;
      for (PgClient.Sent s : c.sent().values()) {
        if (!s.sql().startsWith("insert") || s.sentNanos() < s1Down[0] || s.sentNanos() >= s1Down[1]) continue;
        sentWhileDown++;
        PgClient.Outcome o = c.replies().get(s.id());
        if (o == null || !o.outcome().equals("count 1")) continue;
        if (o.repliedNanos() < s1Down[1]) ackedWhileDown++;
        else ackedAfter++;
      }
      return CheckResult.of(name, sentWhileDown > 0 && ackedWhileDown == 0 && ackedAfter > 0, "s1 down from "
          + Durations.format(s1Down[0]) + " to " + Durations.format(s1Down[1]) + ": " + sentWhileDown + " inserts sent, "
          + ackedWhileDown + " acknowledged while it was down, " + ackedAfter + " once it was back");
    });
    sim.addLessonCheck("pg.sync-standby-promoted", () -> CheckResult.of("pg.sync-standby-promoted",
        promotions.stream().anyMatch(p -> p.node().equals("s1")), promotions.isEmpty() ? "no promotion" : "s1 promoted at "
            + Durations.format(promotions.get(0).atNanos()) + ", timeline " + promotions.get(0).oldTimeline() + " ended at "
            + Wal.formatLsn(promotions.get(0).switchLsn())));
  }
}
