package sim.postgres.scenario;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.wal.Wal;

/**
 * Cascading replication: s2's primary_conninfo names the standby s1, whose walsender streams only WAL s1 has
 * flushed or replayed (GetStandbyFlushRecPtr); when s1 is promoted, s2 follows it onto timeline 2.
 */
final class CascadingStandby extends LessonScenario {
  static final NodeId S2 = NodeId.of("s2");
  static final int PROMOTE_AT = 110;
  static final int LAST_STATEMENT = 200;

  CascadingStandby() {
    super(new Lesson("pg.cascading-standby",
        "cascading replication: s2 streams from the standby s1, never ahead of what s1 has made durable, and follows s1 onto timeline 2 when s1 is promoted",
        "pg streams to s1; s2 was cloned from s1 (pg_basebackup from a standby) and its primary_conninfo names s1, so "
            + "s1 runs a walsender of its own (a cascading walsender: pg_stat_replication on s1 lists s2). It sends s2 "
            + "only WAL s1 has replayed or, on the same timeline, flushed (GetStandbyFlushRecPtr): s1's disk takes 20 ms "
            + "per fsync, and WAL s1 has written but not yet fsynced stays on s1, since a crash of s1 could lose it and s2 "
            + "would then hold WAL s1 does not. At 1 s pg crashes and at 1.1 s s1 is promoted to timeline 2; s2's "
            + "walreceiver hears nothing more on timeline 1, reconnects after wal_receiver_timeout, is sent the history "
            + "file with the WAL (recovery_target_timeline = 'latest') and follows timeline 2. pg, restarted at 1.5 s, is "
            + "rewound and rejoins as s1's standby. At the end s2 has every row s1 has. (With --break "
            + "pg.cascade-sends-unflushed s1 sends what it has only written.)",
        "at 1s crash pg; at 1.5s restart pg",
        Durations.seconds(3),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    PostgresNode.Settings base = Replicas.settings();
    base = base.withStorage(base.storage().withHints(true, false));
    Replication rejoin = Replication.standby("pg", Replicas.S1, 0).withRewindFrom(Replicas.S1);
    List<Replicas.Promotion> promotions = Replicas.cluster(sim, base, "", "local", 0, rejoin);
    PostgresNode.Settings s2 = base.withReplication(Replication.standby("s2", Replicas.S1, 0));
    sim.addNode(S2, () -> new PostgresNode(s2));
    sim.disk(Replicas.S1).setFsyncLatencyNanos(Durations.millis(20));
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key, note text)"};
      if (n == PROMOTE_AT) return new String[] {"admin", "select pg_promote()", "s1"};
      if (n > LAST_STATEMENT) return null;
      return new String[] {"c" + n, "insert into t values (" + n + ", 'x')", n > PROMOTE_AT ? "s1" : "pg"};
    }));
    Map<Long, Replicas.Acked> acks = Replicas.followAcks(sim);
    neverAheadOfUpstream(sim);
    downstreamWalIsPrefix(sim);
    boolean[] listed = {false};
    int[] followed = {0};
    sim.trace().addListener(e -> {
      if (e.node().equals("s1") && e.kind().equals("pg.walsender.start") && "s2".equals(e.attribute("standby")) && promotions.isEmpty()) {
        listed[0] = true;
      }
      if (e.node().equals("s2") && e.kind().equals("pg.walreceiver.timeline")) followed[0] = ((Number) e.attribute("timeline")).intValue();
    });
    sim.addFinalCheck("pg.acknowledged-commits-survive-failover",
        () -> Replicas.ackedCommitsOnNewPrimary(sim, "pg.acknowledged-commits-survive-failover", acks, promotions, true));
    sim.addLessonCheck("pg.cascading-walsender-on-standby", () -> CheckResult.of("pg.cascading-walsender-on-standby", listed[0],
        listed[0] ? "while s1 was a standby, its own walsender streamed to s2 (pg_stat_replication on s1 lists s2)"
            : "s2 never streamed from s1 while s1 was a standby"));
    sim.addLessonCheck("pg.downstream-follows-promotion", () -> follows(sim, followed[0]));
  }

  private static CheckResult follows(Simulation sim, int timeline) {
    String name = "pg.downstream-follows-promotion";
    PostgresNode s1 = Replicas.node(sim, Replicas.S1);
    PostgresNode s2 = Replicas.node(sim, S2);
    if (s1 == null || s2 == null || s2.receiver() == null || !s1.role().equals("primary") || s1.database().table("t") == null) {
      return CheckResult.failed(name, "s1 is not a primary with s2 its standby at the end");
    }
    Set<Long> a = Replicas.presentIds(s1);
    Set<Long> b = Replicas.presentIds(s2);
    boolean caughtUp = s2.receiver().replayLsn() >= s1.storage().wal().flushedLsn();
    return CheckResult.of(name, timeline == 2 && s2.timeline() == 2 && caughtUp && a.equals(b), "s2 followed timeline " + timeline
        + ", replayed to " + Wal.formatLsn(s2.receiver().replayLsn()) + " of s1's " + Wal.formatLsn(s1.storage().wal().flushedLsn())
        + "; rows on s1 " + a.size() + ", on s2 " + b.size());
  }

  /**
   * SAFETY invariant: s2 never holds WAL its upstream s1 could lose: while both are standbys on the same timeline,
   * what s2's walreceiver has written is at most what s1 has replayed or flushed.
   */
  private static void neverAheadOfUpstream(Simulation sim) {
    sim.addInvariant("pg.cascade-never-ahead-of-upstream", () -> {
      PostgresNode s1 = Replicas.node(sim, Replicas.S1);
      PostgresNode s2 = Replicas.node(sim, S2);
      if (s1 == null || s2 == null || s1.receiver() == null || s2.receiver() == null || s1.timeline() != s2.timeline()) return null;
      long bound = Math.max(s1.receiver().flushedLsn(), s1.receiver().replayLsn());
      long have = s2.receiver().writtenLsn();
      return have <= bound ? null : "s2 has WAL to " + Wal.formatLsn(have) + " but s1 has flushed only to " + Wal.formatLsn(bound)
          + " (written to " + Wal.formatLsn(s1.receiver().writtenLsn()) + ")";
    });
  }

  /** SAFETY invariant: what s2 replayed is byte for byte s1's WAL on the same timeline. */
  private static void downstreamWalIsPrefix(Simulation sim) {
    Map<String, Long> checkedTo = new HashMap<>();
    sim.addInvariant("pg.downstream-wal-is-prefix", () -> {
      PostgresNode s1 = Replicas.node(sim, Replicas.S1);
      PostgresNode s2 = Replicas.node(sim, S2);
      if (s1 == null || s2 == null || s2.receiver() == null || s1.timeline() != s2.timeline()) return null;
      String key = sim.incarnation(S2) + "/" + sim.incarnation(Replicas.S1) + "/" + s2.timeline();
      long from = Math.max(checkedTo.getOrDefault(key, Math.max(s1.oldestWalLsn(), s2.oldestWalLsn())), Math.max(s1.oldestWalLsn(), s2.oldestWalLsn()));
      long to = s2.receiver().replayLsn();
      if (to <= from) return null;
      byte[] mine = s2.walBytes(from, to);
      byte[] theirs = s1.walBytes(from, to);
      if (theirs.length < to - from) return "s2 replayed WAL to " + Wal.formatLsn(to) + " but s1's ends at " + Wal.formatLsn(from + theirs.length);
      int differs = Arrays.mismatch(mine, theirs);
      if (differs >= 0) return "s2's replayed WAL differs from s1's at " + Wal.formatLsn(from + differs);
      checkedTo.put(key, to);
      return null;
    });
  }
}
