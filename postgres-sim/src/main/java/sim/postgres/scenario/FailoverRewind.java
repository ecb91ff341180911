package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.engine.Result;
import sim.postgres.wal.Wal;

/**
 * Failover with a synchronous standby, then pg_rewind: the former primary's commits that never reached the
 * standby (never acknowledged) are rewound away, and it follows the new timeline as a standby.
 */
final class FailoverRewind extends LessonScenario {
  static final int PROMOTE_AT = 110;
  static final int LAST_STATEMENT = 200;
  /** Wide rows: the table spans several pages, so the updates of old rows and the new inserts touch different ones. */
  static final String PAD = "x".repeat(200);

  FailoverRewind() {
    super(new Lesson("pg.failover-rewind",
        "pg_rewind: the former primary's commits that never reached the new primary are undone, block by block, and it follows timeline 2 as a standby",
        "pg has synchronous_standby_names = 'FIRST 1 (s1)', synchronous_commit=on and wal_log_hints = on. At 0.9 s the "
            + "link from pg to s1 fails: each COMMIT is flushed on pg (and committed in its pg_xact) but waits for s1, "
            + "so the client never hears of it. At 1 s pg crashes; at 1.1 s s1 is promoted to timeline 2 (its "
            + "00000002.history says timeline 1 ended where its WAL did). At 1.5 s the operator runs pg_rewind on pg "
            + "with --source-server=s1 -R: pg was not shut down cleanly, so pg_rewind first runs it in single-user mode "
            + "to finish crash recovery; then it reads s1's history, finds where the servers diverged, finds pg's last "
            + "checkpoint before that point, reads pg's own WAL from there to its end and notes every block it touched, "
            + "copies those blocks (and pg_xact, the catalog, the WAL: every non-relation file) from s1, and writes "
            + "backup_label and pg_control so that pg replays from that checkpoint on timeline 2 (pg.rewind.log, "
            + "pg.rewind, pg.rewind.done). pg starts as s1's standby and catches up. The commits pg had after the fork "
            + "are gone, and none of them had been acknowledged. (With --break pg.rewind-skips-target-wal the page map is "
            + "empty: pg keeps its own diverged pages and its data no longer equals s1's.)",
        "at 0.9s block pg->s1; at 1s crash pg; at 1.2s heal; at 1.5s restart pg",
        Durations.seconds(3),
        Durations.millis(500)));
  }

  /**
   * initdb without -k and wal_log_hints = on; a checkpoint every 850 ms (the last common one at 0.85 s, so the
   * updates after the fork are the first changes to their page since it); autovacuum off (its VACUUM records carry
   * page images, which would repair on s1's side the very pages a broken rewind leaves behind).
   */
  static PostgresNode.Settings settings() {
    PostgresNode.Settings base = Replicas.settings();
    return new PostgresNode.Settings(base.storage().withHints(true, false), base.walWriterDelayNanos(), Durations.millis(850),
        Durations.seconds(3600), base.deadlockTimeoutNanos());
  }

  @Override
  public void setup(Simulation sim) {
    sim.network().setLinkLatency(Replicas.PG, Replicas.S1, Durations.millis(5), Durations.millis(10));
    Replication rejoin = Replication.standby("pg", Replicas.S1, 0).withRewindFrom(Replicas.S1);
    List<Replicas.Promotion> promotions = Replicas.cluster(sim, settings(), "FIRST 1 (s1)", "on", 0, rejoin);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key, note text)"};
      if (n == PROMOTE_AT) return new String[] {"admin", "select pg_promote()", "s1"};
      if (n > LAST_STATEMENT) return null; // quiet at the end: the rewound standby catches up
      String target = n > PROMOTE_AT ? "s1" : "pg";
      // an old row, in the table's first page, which s1 will not touch again; none between the checkpoint at 0.85 s and
      // the fork, so the updates after the fork are the first changes to that page since the last common checkpoint
      if (n % 4 == 0 && n < PROMOTE_AT && (n <= 80 || n >= 92)) {
        return new String[] {"c" + n, "update t set note = 'u" + n + "' where id = " + ((n / 4) % 10 * 4 + 1), target};
      }
      return new String[] {"c" + n, "insert into t values (" + n + ", '" + PAD + "')", target}; // a waiting commit holds only its session
    }));
    Map<Long, Replicas.Acked> acks = Replicas.followAcks(sim);
    List<String> rewinds = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (e.node().equals("pg") && e.kind().equals("pg.rewind")) rewinds.add(String.valueOf(e.attribute("rowsBefore")));
    });
    sim.addFinalCheck("pg.no-acknowledged-commit-lost-on-failover",
        () -> Replicas.ackedCommitsOnNewPrimary(sim, "pg.no-acknowledged-commit-lost-on-failover", acks, promotions, false));
    sim.addFinalCheck("pg.rewound-standby-matches-primary", () -> rewoundMatches(sim, !rewinds.isEmpty()));
    sim.addLessonCheck("pg.rewind-removed-unacknowledged-commits", () -> lesson(sim, rewinds));
  }

  /** Whether pg is s1's standby on s1's timeline and has replayed all s1 has flushed; then both, else null. */
  private static PostgresNode[] caughtUp(Simulation sim) {
    PostgresNode pg = Replicas.node(sim, Replicas.PG);
    PostgresNode s1 = Replicas.node(sim, Replicas.S1);
    if (pg == null || s1 == null || pg.receiver() == null || !s1.role().equals("primary") || s1.database().table("t") == null) return null;
    if (pg.timeline() != s1.timeline() || pg.receiver().replayLsn() < s1.storage().wal().flushedLsn()) return null;
    return new PostgresNode[] {pg, s1};
  }

  /** SAFETY: a rewound standby that has replayed everything its primary flushed has exactly the primary's rows. */
  private static CheckResult rewoundMatches(Simulation sim, boolean rewound) {
    String name = "pg.rewound-standby-matches-primary";
    if (!rewound) return CheckResult.ok(name, "pg was never rewound (faults): nothing to judge");
    PostgresNode[] both = caughtUp(sim);
    if (both == null) return CheckResult.ok(name, "pg is not a caught-up standby of s1 at the end (faults): nothing to judge");
    List<String> mine = rows(both[0]);
    List<String> theirs = rows(both[1]);
    String at = " at " + Wal.formatLsn(both[0].receiver().replayLsn()) + " on timeline " + both[0].timeline();
    if (mine.equals(theirs)) return CheckResult.ok(name, "pg (rewound, standby) and s1 both have " + mine.size() + " rows" + at);
    List<String> extra = new ArrayList<>(mine);
    extra.removeAll(theirs);
    List<String> missing = new ArrayList<>(theirs);
    missing.removeAll(mine);
    return CheckResult.failed(name, "pg replayed s1's WAL" + at + " but its rows differ: only on pg " + abbreviate(extra)
        + ", missing on pg " + abbreviate(missing));
  }

  /** LESSON: the row versions pg had before pg_rewind and timeline 2 does not have are gone from pg, and none was acknowledged. */
  private static CheckResult lesson(Simulation sim, List<String> rewinds) {
    String name = "pg.rewind-removed-unacknowledged-commits";
    if (rewinds.isEmpty()) return CheckResult.failed(name, "pg was never rewound");
    PostgresNode[] both = caughtUp(sim);
    if (both == null) return CheckResult.failed(name, "pg is not a caught-up standby of s1 at the end");
    String last = rewinds.get(rewinds.size() - 1);
    List<String> gone = new ArrayList<>(last.isEmpty() ? List.of() : List.of(last.split(",")));
    gone.removeAll(rows(both[1]));
    List<String> onPg = rows(both[0]);
    boolean goneFromPg = gone.stream().noneMatch(onPg::contains);
    PgClient c = PgScenarios.client(sim);
    List<Long> acked = gone.stream().map(FailoverRewind::statement).filter(id -> acknowledged(c, id)).toList();
    boolean ok = !gone.isEmpty() && goneFromPg && acked.isEmpty();
    List<Long> statements = gone.stream().map(FailoverRewind::statement).sorted().toList();
    return CheckResult.of(name, ok, gone.size() + " row versions pg had before pg_rewind are not on timeline 2 (statements "
        + statements + ")" + (goneFromPg ? " and are gone from pg" : ", yet pg still has some") + "; acknowledged: "
        + (acked.isEmpty() ? "none" : acked) + "; pg follows s1 on timeline " + both[0].timeline());
  }

  /** The client statement that wrote a row version "id:note": an insert's id, or the n of an update's 'u<n>'. */
  private static long statement(String row) {
    String note = row.substring(row.indexOf(':') + 1);
    return note.startsWith("u") ? Long.parseLong(note.substring(1)) : Long.parseLong(row.substring(0, row.indexOf(':')));
  }

  private static boolean acknowledged(PgClient c, long id) {
    PgClient.Outcome o = c.replies().get(id);
    return o != null && (o.outcome().equals("count 1"));
  }

  private static List<String> rows(PostgresNode n) {
    List<String> out = new ArrayList<>();
    Result r = n.database().execute("check", "select id, note from t");
    if (r instanceof Result.Rows rows) for (List<Object> row : rows.rows()) out.add(row.get(0) + ":" + row.get(1));
    out.sort(null);
    return out;
  }

  private static String abbreviate(List<String> l) {
    return l.size() <= 8 ? l.toString() : l.subList(0, 8) + " … " + (l.size() - 8) + " more";
  }
}
