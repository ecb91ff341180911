package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.replication.WalReceiver;
import sim.postgres.vacuum.Vacuum;

/**
 * Hot standby queries against VACUUM on the primary. Without hot_standby_feedback the replayed prune
 * conflicts with the standby's snapshots: replay waits max_standby_streaming_delay (30 s), then the queries
 * are cancelled with SQLSTATE 40001. With it, the standby's xmin travels to the primary, whose VACUUM then
 * keeps the deleted rows: no conflict, and bloat on the primary until the standby's report ends.
 */
final class StandbyConflict extends LessonScenario {
  static final String CANCELED = "error 40001 canceling statement due to conflict with recovery  DETAIL:  "
      + "User query might have needed to see row versions that must be removed.";
  static final String TERMINATED = "error 40001 terminating connection due to conflict with recovery  DETAIL:  "
      + "User query might have needed to see row versions that must be removed.";
  private static final long MAX_DELAY = Durations.seconds(30);
  private final boolean feedback;

  StandbyConflict(boolean feedback) {
    super(feedback ? new Lesson("pg.hot-standby-feedback-bloat",
        "hot_standby_feedback=on: the standby's report survives VACUUM on the primary, and the primary keeps the dead rows",
        "As pg.standby-query-conflict, with hot_standby_feedback = on on s1. Every wal_receiver_status_interval "
            + "s1's walreceiver sends the oldest xmin of its queries in a hot standby feedback message "
            + "(pg.walsender.feedback); pg's walsender takes it as its own xmin, so VACUUM's horizon on pg is held "
            + "back as by a local snapshot: the VACUUM after the DELETE finds the 50 versions 'dead but not yet "
            + "removable', logs no removal, and s1's report and idle transaction read the same 100 rows again, "
            + "uncancelled. The price is bloat on the primary: only the VACUUM after the report has ended (and s1 "
            + "has reported a newer xmin) removes them. Use \\replication and \\heap t pg.",
        "", Durations.seconds(48), Durations.millis(500))
        : new Lesson("pg.standby-query-conflict",
            "a standby query whose snapshot needs rows the replayed VACUUM removes: replay waits max_standby_streaming_delay, then the query is cancelled (40001)",
            "pg loads 100 rows; once s1 has replayed them, two REPEATABLE READ transactions on s1 read count(*) and "
                + "sum(v): 'report', which then runs a long statement (pg_sleep(40)), and 'idle', left idle in its "
                + "transaction. pg deletes half the rows and VACUUMs: the prune record carries latestRemovedXid, the "
                + "DELETE's xid. s1's startup process reaches it and finds two snapshots whose xmin is not after it "
                + "(pg.standby.conflict.wait): it waits, and replays nothing meanwhile — s1's write and flush LSNs move "
                + "on, its replay LSN stays (\\replication). 30 s after the WAL arrived (max_standby_streaming_delay) it "
                + "cancels them: the running statement gets ERROR 40001 'canceling statement due to conflict with "
                + "recovery' (DETAIL: User query might have needed to see row versions that must be removed.), the "
                + "idle one loses its connection (FATAL, same SQLSTATE), and replay goes on. (With --break "
                + "pg.standby-ignores-conflicts replay removes the rows at once and the report's second read silently "
                + "sees half of them.)",
            "", Durations.seconds(48), Durations.millis(500)));
    this.feedback = feedback;
  }

  @Override
  public void setup(Simulation sim) {
    sim.network().setLinkLatency(Replicas.PG, Replicas.S1, Durations.millis(2), Durations.millis(4));
    PostgresNode.Settings base = Replicas.settings();
    sim.addNode(Replicas.PG, () -> new PostgresNode(base.withReplication(Replication.primary("", null))));
    sim.addNode(Replicas.S1, () -> new PostgresNode(base.withReplication(Replication.standby("s1", Replicas.PG, 0)
        .withHotStandby(WalReceiver.HotStandby.DEFAULTS.withFeedback(feedback)))));
    Replicas.addInspectors(sim);
    Replicas.onePrimaryPerTimeline(sim);
    Replicas.standbyWalIsPrefix(sim);
    sim.addClient(PgScenarios.CLIENT, () -> new StandbyReportClient(Replicas.PG, Replicas.S1, feedback));
    List<Long> s1Crashes = new ArrayList<>();
    List<String> cancels = new ArrayList<>();
    long[] wait = {-1, -1}; // when replay started waiting, and how long it waited
    sim.trace().addListener(e -> {
      if (!e.node().equals("s1")) return;
      if (e.kind().equals("crash")) s1Crashes.add(e.timeNanos());
      if (e.kind().equals("pg.standby.conflict.wait") && wait[0] < 0) wait[0] = e.timeNanos();
      if (e.kind().equals("pg.standby.conflict.resolved") && wait[1] < 0) wait[1] = ((Number) e.attribute("waitedNanos")).longValue();
      if (e.kind().equals("pg.standby.conflict.cancel")) cancels.add(e.attribute("session") + lag(sim));
    });
    sim.addFinalCheck("pg.standby-snapshot-reads-repeat", () -> readsRepeat(sim, s1Crashes));
    if (feedback) {
      sim.addLessonCheck("pg.feedback-keeps-report-alive", () -> reportSurvives(sim, cancels));
      sim.addLessonCheck("pg.feedback-bloats-primary", () -> bloat(sim));
    } else {
      sim.addLessonCheck("pg.standby-query-cancelled", () -> cancelled(sim));
      sim.addLessonCheck("pg.replay-waits-for-standby-queries", () -> CheckResult.of("pg.replay-waits-for-standby-queries",
          wait[1] >= MAX_DELAY - Durations.seconds(1) && !cancels.isEmpty() && cancels.get(0).contains("behind"),
          wait[0] < 0 ? "replay never waited" : "replay waited " + Durations.format(Math.max(0, wait[1])) + " from "
              + Durations.format(wait[0]) + "; cancelled: " + cancels));
    }
  }

  /** s1's replay lag at this moment, for the cancel's note. */
  private static String lag(Simulation sim) {
    PostgresNode s = Replicas.node(sim, Replicas.S1);
    if (s == null || s.receiver() == null) return "";
    long behind = s.receiver().flushedLsn() - s.receiver().replayLsn();
    return " (replay " + (behind > 0 ? behind + " bytes behind the flushed WAL" : "caught up") + ")";
  }

  static StandbyReportClient client(Simulation sim) {
    return sim.isUp(PgScenarios.CLIENT) ? sim.node(PgScenarios.CLIENT, StandbyReportClient.class) : null;
  }

  /**
   * SAFETY: a standby query never sees a pruned state silently: inside one REPEATABLE READ transaction on
   * s1 every read that answers returns what the first returned; the only other outcome is a cancellation.
   * Judged only when the BEGIN was answered and s1 did not crash in between (the transaction died with it).
   */
  private static CheckResult readsRepeat(Simulation sim, List<Long> s1Crashes) {
    String name = "pg.standby-snapshot-reads-repeat";
    StandbyReportClient c = client(sim);
    if (c == null) return CheckResult.ok(name, "client down");
    List<String> judged = new ArrayList<>();
    for (String tx : List.of("report", "idle")) {
      StandbyReportClient.Outcome begin = c.outcomes.get(tx + ".begin");
      StandbyReportClient.Outcome r1 = c.outcomes.get(tx + ".read1");
      StandbyReportClient.Outcome r2 = c.outcomes.get(tx + ".read2");
      if (begin == null || !"ok".equals(begin.outcome()) || r1 == null || r2 == null) continue;
      if (r1.outcome() == null || r2.outcome() == null || !r1.outcome().startsWith("rows") || !r2.outcome().startsWith("rows")) continue;
      if (s1Crashes.stream().anyMatch(t -> t >= begin.sentNanos() && t <= r2.repliedNanos())) continue;
      if (!r1.outcome().equals(r2.outcome())) {
        return CheckResult.failed(name, tx + "'s REPEATABLE READ transaction on s1 read " + r1.outcome() + " and then " + r2.outcome()
            + ": replay removed row versions its snapshot still needed");
      }
      judged.add(tx + " read " + r1.outcome() + " twice");
    }
    return CheckResult.ok(name, judged.isEmpty() ? "no transaction answered both reads (cancelled or faults)" : String.join("; ", judged));
  }

  private static CheckResult cancelled(Simulation sim) {
    String name = "pg.standby-query-cancelled";
    StandbyReportClient c = client(sim);
    StandbyReportClient.Outcome sleep = c == null ? null : c.outcomes.get("report.sleep.reply");
    StandbyReportClient.Outcome idle = c == null ? null : c.outcomes.get("idle.read2");
    StandbyReportClient.Outcome vacuum = c == null ? null : c.outcomes.get("vacuum");
    if (sleep == null || idle == null || vacuum == null || sleep.outcome() == null || vacuum.outcome() == null) {
      return CheckResult.failed(name, "the script did not run to the end");
    }
    boolean report = CANCELED.equals(sleep.outcome());
    boolean idleGone = TERMINATED.equals(idle.outcome());
    long after = sleep.repliedNanos() - vacuum.repliedNanos();
    return CheckResult.of(name, report && idleGone && after >= MAX_DELAY - Durations.seconds(1), "report's long statement, "
        + Durations.format(after) + " after the VACUUM: " + sleep.outcome() + "; idle transaction's next read: " + idle.outcome());
  }

  private static CheckResult reportSurvives(Simulation sim, List<String> cancels) {
    String name = "pg.feedback-keeps-report-alive";
    StandbyReportClient c = client(sim);
    StandbyReportClient.Outcome r2 = c == null ? null : c.outcomes.get("report.read2");
    StandbyReportClient.Outcome i2 = c == null ? null : c.outcomes.get("idle.read2");
    boolean same = r2 != null && i2 != null && "rows [[100, 5050]]".equals(r2.outcome()) && "rows [[100, 5050]]".equals(i2.outcome());
    return CheckResult.of(name, same && cancels.isEmpty(), "second reads: report " + (r2 == null ? "-" : r2.outcome()) + ", idle "
        + (i2 == null ? "-" : i2.outcome()) + "; " + cancels.size() + " cancelled");
  }

  /** LESSON: the VACUUM during the report kept the deleted versions, the one after it removed them. */
  private static CheckResult bloat(Simulation sim) {
    String name = "pg.feedback-bloats-primary";
    PostgresNode p = Replicas.node(sim, Replicas.PG);
    if (p == null || p.database() == null) return CheckResult.failed(name, "pg down at the end");
    List<Vacuum.Report> runs = p.database().vacuumReports().stream().filter(r -> r.table().equals("t")).toList();
    boolean kept = !runs.isEmpty() && runs.get(0).recentlyDead() >= 50 && runs.get(0).removed() == 0;
    boolean removedLater = runs.stream().skip(1).anyMatch(r -> r.removed() >= 50);
    return CheckResult.of(name, kept && removedLater, runs.size() + " VACUUMs of t on pg: " + runs.stream()
        .map(r -> "removed " + r.removed() + ", " + r.recentlyDead() + " not yet removable").toList());
  }
}
