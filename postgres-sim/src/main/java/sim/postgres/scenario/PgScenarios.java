package sim.postgres.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.postgres.engine.Result;
import sim.postgres.inspect.Inspect;
import sim.postgres.wal.Storage;

/**
 * PostgreSQL lessons: how it survives a crash (WAL redo), the write path (WAL, shared buffers, disk,
 * checkpoints, full-page images), commit durability (XLogFlush, group commit), what each isolation level
 * allows, VACUUM's horizon and deadlocks. Every check is either safety (holds under any faults) or a lesson
 * (the story happened).
 */
public final class PgScenarios implements ScenarioProvider {
  static final NodeId PG = NodeId.of("pg");
  static final NodeId CLIENT = NodeId.of("client");

  @Override
  public List<Scenario> scenarios() {
    return List.of(new CrashRedo(true), new CrashRedo(false), new WritePath(), new GroupCommit(), new IsolationLevels(),
        new VacuumHorizon(), new Deadlock(), new SubxactOverflow(), new AsyncFailover(), new SyncCommitNoLoss(), new RemoteApply(),
        new StandbyConflict(false), new StandbyConflict(true), new SlotHoldsWal(), new StandbyWithoutSlot(), new FailoverRewind(), new CascadingStandby(), new BrinLossyScan());
  }

  @Override
  public List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(PostgresNode.BREAK_COMMIT_BEFORE_WAL_FLUSH, "pg.group-commit",
            "COMMIT is reported before XLogFlush returns: the crash mid-fsync loses acknowledged commits "
                + "(pg.commit-reported-after-wal-flush, pg.acknowledged-commits-survive)"),
        new BreakRule(PostgresNode.BREAK_VACUUM_IGNORES_SNAPSHOTS, "pg.vacuum-horizon",
            "VACUUM's horizon counts running xids but not snapshots' xmin: it removes versions the REPEATABLE READ "
                + "report still reads, and the report's next read changes (pg.snapshot-reads-repeat)"),
        new BreakRule(PostgresNode.BREAK_SYNC_REP_IGNORED, "pg.sync-commit-no-loss",
            "COMMIT does not wait for the synchronous standby (SyncRepWaitForLSN returns at once): the failover loses "
                + "acknowledged commits (pg.no-acknowledged-commit-lost-on-failover)"),
        new BreakRule(PostgresNode.BREAK_PROMOTE_KEEPS_TIMELINE, "pg.async-failover-loses-commits",
            "pg_promote() keeps timeline 1: the former primary, restarted, finds no fork and the new primary cannot tell "
                + "its diverged WAL apart (pg.standby-wal-is-prefix)"),
        new BreakRule(PostgresNode.BREAK_WALRECEIVER_IGNORES_GAPS, "pg.remote-apply-read-your-writes",
            "the walreceiver appends WAL after a gap where its own WAL ends (pg.standby-wal-is-prefix)"),
        new BreakRule(PostgresNode.BREAK_STANDBY_IGNORES_CONFLICTS, "pg.standby-query-conflict",
            "the standby's startup process replays a prune at once, whatever standby snapshots still need the removed "
                + "versions: the report's second read silently misses them (pg.standby-snapshot-reads-repeat)"),
        new BreakRule(PostgresNode.BREAK_CHECKPOINT_IGNORES_SLOTS, "pg.slot-holds-wal",
            "KeepLogSeg ignores the replication slots: the checkpoints while s1 is down remove the segments from its slot's "
                + "restart_lsn on (pg.slot-wal-kept)"),
        new BreakRule(PostgresNode.BREAK_REWIND_SKIPS_TARGET_WAL, "pg.failover-rewind",
            "pg_rewind copies no block its target's own WAL changed after the last common checkpoint: the former primary "
                + "keeps its diverged pages and, replaying s1's WAL, ends up with rows s1 does not have (pg.rewound-standby-matches-primary)"),
        new BreakRule(PostgresNode.BREAK_CASCADE_SENDS_UNFLUSHED, "pg.cascading-standby",
            "the cascading walsender on s1 sends WAL its walreceiver has written but not yet fsynced: s2 holds WAL s1 could "
                + "still lose (pg.cascade-never-ahead-of-upstream)"),
        new BreakRule(PostgresNode.BREAK_BRIN_INSERT_SKIPS_SUMMARY, "pg.brin-lossy-scan",
            "brininsert leaves a summarized range's summary as it was: a late row outside the range's [min, max] is "
                + "skipped by every BRIN scan for it (pg.brin-scan-misses-no-row)"),
        new BreakRule(PostgresNode.BREAK_NO_SSI, "pg.isolation-levels",
            "SERIALIZABLE without SSI is REPEATABLE READ: both doctors go off call (pg.serializable-prevents-write-skew)"));
  }

  static PostgresNode server(Simulation sim) {
    return sim.isUp(PG) ? sim.node(PG, PostgresNode.class) : null;
  }

  static PgClient client(Simulation sim) {
    return sim.node(CLIENT, PgClient.class);
  }

  /** \heap, \snapshot, \locks, \wal for ./sim step. */
  static void addInspectors(Simulation sim) {
    sim.addInspector("heap", "\\heap [table]: (default: the scenario's table) pages and tuples (lp, t_xmin, t_xmax, t_cid, t_ctid, infomask) like pageinspect",
        arg -> withServer(sim, s -> Inspect.heap(s.database(), arg)));
    sim.addInspector("snapshot", "\\snapshot <session>: the session's xid, isolation level and snapshot xmin:xmax:xip",
        arg -> withServer(sim, s -> Inspect.snapshot(s.database(), arg)));
    sim.addInspector("locks", "\\locks: row locks held through xmax, waits, SIREAD locks and rw-conflicts",
        arg -> withServer(sim, s -> Inspect.locks(s.database())));
    sim.addInspector("wal", "\\wal [n]: the last n WAL records with LSNs, insert and flush pointers, buffer pool",
        arg -> withServer(sim, s -> Inspect.wal(s.storage(), arg)));
  }

  private static String withServer(Simulation sim, Function<PostgresNode, String> show) {
    PostgresNode s = server(sim);
    return s == null || s.database() == null ? "pg is down" : show.apply(s);
  }

  /** Insert ids 1, 2, 3 … (autocommit), with an update of an earlier row every fifth statement. */
  static PgClient.Workload insertWorkload(String pad) {
    return n -> {
      if (n == 0) return new String[] {"c", "create table accounts (id int primary key, balance int, note text)"};
      if (n % 5 == 0) return new String[] {"c", "update accounts set balance = balance + 1 where id = " + (n / 2)};
      return new String[] {"c", "insert into accounts values (" + n + ", " + (n * 10) + ", '" + pad + "')"};
    };
  }

  /** A server with these storage settings and checkpoint interval, a client running {@code workload}. */
  static PostgresNode.Settings cluster(Simulation sim, Storage.Config config, long checkpointNanos, long intervalNanos,
      PgClient.Workload workload) {
    PostgresNode.Settings settings = new PostgresNode.Settings(config, Durations.millis(200), checkpointNanos,
        Durations.seconds(1), Durations.seconds(1));
    sim.addNode(PG, () -> new PostgresNode(settings));
    sim.addClient(CLIENT, () -> new PgClient(PG, intervalNanos, workload));
    addInspectors(sim);
    return settings;
  }

  /** Statement ids whose INSERT was sent (and, if {@code ackedOnly}, acknowledged with "count 1"). */
  static Set<Long> inserts(PgClient c, boolean ackedOnly) {
    Set<Long> out = new TreeSet<>();
    for (PgClient.Sent s : c.sent().values()) {
      if (!s.sql().startsWith("insert")) continue;
      PgClient.Outcome o = c.replies().get(s.id());
      if (!ackedOnly || (o != null && o.outcome().equals("count 1"))) out.add(s.id());
    }
    return out;
  }

  /** The ids in {@code table}; the workloads insert id n with statement n. */
  static Set<Long> presentIds(PostgresNode pg, String table) {
    Set<Long> out = new TreeSet<>();
    Result r = pg.database().execute("check", "select id from " + table);
    if (r instanceof Result.Rows rows) for (List<Object> row : rows.rows()) out.add((Long) row.get(0));
    return out;
  }

  /**
   * SAFETY: every acknowledged INSERT is there after the crashes, and nothing nobody inserted. A loss is
   * excused only by a rule in {@code allowed} (rule → the inserts it covers): with synchronous_commit=off,
   * exactly the commits reported after the last WAL flush before a crash.
   */
  static CheckResult acknowledgedCommitsSurvive(Simulation sim, String table, Map<String, List<String>> allowed) {
    String name = "pg.acknowledged-commits-survive";
    PostgresNode pg = server(sim);
    PgClient c = client(sim);
    if (pg == null || pg.database() == null || c == null) return CheckResult.failed(name, "server or client down at the end");
    if (pg.database().table(table) == null) return CheckResult.ok(name, "faults kept the table from being created: nothing to judge");
    Set<Long> present = presentIds(pg, table);
    Set<Long> phantom = new TreeSet<>(present);
    phantom.removeAll(inserts(c, false));
    if (!phantom.isEmpty()) return CheckResult.failed(name, "rows nobody inserted: " + phantom);
    Set<Long> acked = inserts(c, true);
    List<String> lost = acked.stream().filter(id -> !present.contains(id)).map(PgScenarios::insertName).toList();
    String summary = acked.size() + " acknowledged inserts, " + present.size() + " rows after recovery"
        + (lost.isEmpty() ? ", none lost" : ", lost " + lost.size());
    return CheckResult.losses(name, summary, lost, allowed);
  }

  static String insertName(long id) {
    return "insert " + id;
  }

  /** SAFETY invariant for synchronous_commit=on: no commit is reported before its WAL is durable. */
  static void commitReportedAfterWalFlush(Simulation sim, CommitLedger ledger) {
    sim.addInvariant("pg.commit-reported-after-wal-flush", () -> {
      String early = ledger.reportedBeforeFlush();
      return early == null ? null : "synchronous_commit=on, yet " + early;
    });
  }

  /**
   * The client's statements the server actually executed ({@code pg.exec}): statement id → the server
   * incarnation that ran it. A statement whose request the network dropped never ran, and one sent after a
   * crash ran on a new server where its transaction no longer exists.
   */
  static Map<Long, Integer> executedQueries(Simulation sim) {
    Map<Long, Integer> out = new java.util.TreeMap<>();
    int[] incarnation = {0};
    sim.trace().addListener(e -> {
      if (!e.node().equals(PG.name())) return;
      if (e.kind().equals("crash")) incarnation[0]++;
      if (e.kind().equals("pg.exec")) out.put(((Number) e.attribute("query")).longValue(), incarnation[0]);
    });
    return out;
  }

  /**
   * Whether the server ran the transaction made of statements {@code ids} (BEGIN first) as the client meant
   * it: nothing of it, or its BEGIN and then a prefix of the rest, all on one server incarnation. Otherwise a
   * lost BEGIN made the rest autocommit, a lost statement made a half transaction, or statements sent after a
   * crash ran outside it: what the server then did says nothing about the transaction's promises.
   */
  static boolean ranAsSent(Map<Long, Integer> executed, List<Long> ids) {
    if (ids.stream().noneMatch(executed::containsKey)) return true;
    Integer incarnation = executed.get(ids.get(0));
    if (incarnation == null) return false;
    boolean gap = false;
    for (long id : ids) {
      Integer ran = executed.get(id);
      if (ran == null) {
        gap = true;
      } else if (gap || !ran.equals(incarnation)) {
        return false;
      }
    }
    return true;
  }

  /** What statement {@code sql} of the client got back: its outcome, or null while unanswered. */
  static String outcomeOf(PgClient c, String session, String sql) {
    for (PgClient.Sent s : c.sent().values()) {
      if (!s.session().equals(session) || !s.sql().equals(sql)) continue;
      PgClient.Outcome o = c.replies().get(s.id());
      return o == null ? null : o.outcome();
    }
    return null;
  }

  /** A one-value query on the server, or null if the server is down or the query fails. */
  static Object scalar(Simulation sim, String sql) {
    PostgresNode pg = server(sim);
    if (pg == null || pg.database() == null) return null;
    Result r = pg.database().execute("check", sql);
    return r instanceof Result.Rows rows && !rows.rows().isEmpty() ? rows.rows().get(0).get(0) : null;
  }
}
