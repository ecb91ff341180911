package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.postgres.engine.Result;
import sim.postgres.inspect.Inspect;
import sim.postgres.wal.Storage;

/**
 * PostgreSQL lessons: how it survives a crash (WAL redo), the write path (WAL, shared buffers, disk,
 * checkpoints, full-page images), and what each isolation level allows.
 */
public final class PgScenarios implements ScenarioProvider {
  static final NodeId PG = NodeId.of("pg");
  static final NodeId CLIENT = NodeId.of("client");

  @Override
  public List<Scenario> scenarios() {
    return List.of(new CrashRedo(true), new CrashRedo(false), new WritePath(), new IsolationLevels(), new VacuumHorizon(),
        new Deadlock());
  }

  static PostgresNode server(Simulation sim) {
    return sim.isUp(PG) ? sim.node(PG, PostgresNode.class) : null;
  }

  /** \heap, \snapshot, \locks, \wal for ./sim step. */
  static void addInspectors(Simulation sim) {
    sim.addInspector("heap", "\\heap <table>: pages and tuples (lp, t_xmin, t_xmax, t_cid, t_ctid, infomask) like pageinspect",
        arg -> withServer(sim, s -> Inspect.heap(s.database(), arg)));
    sim.addInspector("snapshot", "\\snapshot <session>: the session's xid, isolation level and snapshot xmin:xmax:xip",
        arg -> withServer(sim, s -> Inspect.snapshot(s.database(), arg)));
    sim.addInspector("locks", "\\locks: row locks held through xmax, waits, SIREAD locks and rw-conflicts",
        arg -> withServer(sim, s -> Inspect.locks(s.database())));
    sim.addInspector("wal", "\\wal [n]: the last n WAL records with LSNs, insert and flush pointers, buffer pool",
        arg -> withServer(sim, s -> Inspect.wal(s.storage(), arg)));
  }

  private static String withServer(Simulation sim, java.util.function.Function<PostgresNode, String> show) {
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

  /**
   * Faults can cut a scripted lesson short (a crash loses the open transactions, a partition the replies);
   * then its checks have nothing to judge. Returns why, or null when every statement was answered.
   */
  static String interrupted(Simulation sim) {
    PgClient c = sim.node(CLIENT, PgClient.class);
    if (c == null) return "client down";
    long unanswered = c.sent().keySet().stream().filter(id -> !c.replies().containsKey(id)).count();
    long failed = c.replies().values().stream()
        .filter(o -> o.outcome().startsWith("error") && !o.outcome().startsWith("error 40001")).count();
    if (unanswered == 0 && failed == 0) return null;
    return "the script was cut short by faults (" + unanswered + " statements unanswered, " + failed
        + " failed for other reasons than 40001): nothing to judge";
  }

  /** A server with these storage settings and checkpoint interval, a client inserting every interval. */
  static PostgresNode.Settings insertCluster(Simulation sim, Storage.Config config, long checkpointNanos,
      long intervalNanos, String pad) {
    PostgresNode.Settings settings = new PostgresNode.Settings(config, Durations.millis(200), checkpointNanos,
        Durations.seconds(1), Durations.seconds(1));
    sim.addNode(PG, () -> new PostgresNode(settings));
    sim.addClient(CLIENT, () -> new PgClient(PG, intervalNanos, insertWorkload(pad)));
    addInspectors(sim);
    return settings;
  }

  /** Ids whose INSERT was acknowledged (replied "count 1"), and every id an INSERT was sent for. */
  static Set<Long> ackedInserts(PgClient c, boolean ackedOnly) {
    Set<Long> out = new TreeSet<>();
    for (PgClient.Sent s : c.sent().values()) {
      if (!s.sql().startsWith("insert")) continue;
      PgClient.Outcome o = c.replies().get(s.id());
      if (!ackedOnly || (o != null && o.outcome().equals("count 1"))) out.add(s.id());
    }
    return out;
  }

  static Set<Long> presentIds(PostgresNode pg) {
    Set<Long> out = new TreeSet<>();
    Result r = pg.database().execute("check", "select id from accounts");
    if (r instanceof Result.Rows rows) for (List<Object> row : rows.rows()) out.add((Long) row.get(0));
    return out;
  }

  /** Crash in the middle of an insert workload; recovery replays the WAL. */
  static final class CrashRedo extends LessonScenario {
    private final boolean synchronousCommit;

    CrashRedo(boolean synchronousCommit) {
      super(new Lesson(synchronousCommit ? "pg.crash-redo" : "pg.async-commit-loss",
          synchronousCommit
          ? "PostgreSQL crashes twice mid-workload; WAL redo brings back every acknowledged commit, nothing else"
          : "synchronous_commit=off: a crash loses the last few acknowledged commits (at most ~3 x wal_writer_delay)",
          "A client inserts a row every 10 ms (autocommit) and updates an earlier one every fifth statement. "
          + "Each change is a WAL record in the WAL buffers (pg.wal.insert); "
          + (synchronousCommit
              ? "each COMMIT flushes the WAL to disk before it is acknowledged (pg.wal.flush, synchronous_commit=on). "
              : "COMMIT is acknowledged at once and the WAL writer flushes every 200 ms (synchronous_commit=off). ")
          + "Data pages stay dirty in shared buffers and reach disk only at eviction or a checkpoint (every 2 s). "
          + "The server crashes at 3 s and at 6 s with torn writes; on restart, recovery (pg.recovery) loads the "
          + "last checkpoint's pages, restores torn pages from full-page images and replays every WAL record after "
          + "the redo point. Transactions without a commit record in the durable WAL vanish. "
          + (synchronousCommit ? "Every acknowledged insert must be there after each restart."
              : "Acknowledged inserts from the last instants before each crash may be gone: that is the documented "
                  + "price of synchronous_commit=off, reported as an expected anomaly if within 3 x wal_writer_delay."),
          "at 0s disk pg torn; at 3s crash pg; at 3.5s restart pg; at 6s crash pg; at 6.2s restart pg",
          Durations.seconds(8),
          Durations.seconds(1)));
      this.synchronousCommit = synchronousCommit;
    }

    @Override
    public void setup(Simulation sim) {
      PostgresNode.Settings settings = insertCluster(sim, new Storage.Config(8, synchronousCommit, true),
          Durations.seconds(2), Durations.millis(10), "x".repeat(100));
      List<Long> crashTimes = new ArrayList<>();
      List<long[]> stalls = new ArrayList<>(); // [from, to) when the server was paused: its WAL writer stood still
      sim.trace().addListener(e -> { // the kernel's own crash/pause/resume events, as they happen
        if (!e.node().equals(PG.name())) return;
        boolean stallOpen = !stalls.isEmpty() && stalls.get(stalls.size() - 1)[1] == Long.MAX_VALUE;
        switch (e.kind()) {
          case "crash" -> {
            crashTimes.add(e.timeNanos());
            if (stallOpen) stalls.get(stalls.size() - 1)[1] = e.timeNanos();
          }
          case "pause" -> stalls.add(new long[] {e.timeNanos(), Long.MAX_VALUE});
          case "resume" -> {
            if (stallOpen) stalls.get(stalls.size() - 1)[1] = e.timeNanos();
          }
          default -> { }
        }
      });
      sim.addFinalCheck("pg.recovery-repairs-torn-pages", () -> {
        PostgresNode pg = server(sim);
        if (pg == null) return CheckResult.failed("pg.recovery-repairs-torn-pages", "server down at the end");
        Storage.RecoveryReport r = pg.storage().recovery();
        return CheckResult.of("pg.recovery-repairs-torn-pages", r.corruptPages().isEmpty(),
            "last recovery: " + r.recordsReplayed() + " records replayed, repaired " + r.repairedPages()
                + (r.corruptPages().isEmpty() ? "" : ", corrupt " + r.corruptPages()));
      });
      sim.addFinalCheck("pg.acknowledged-commits-survive", () -> {
        String name = "pg.acknowledged-commits-survive";
        PostgresNode pg = server(sim);
        PgClient client = sim.node(CLIENT, PgClient.class);
        if (pg == null || client == null) return CheckResult.failed(name, "server or client down at the end");
        Set<Long> present = presentIds(pg);
        Set<Long> acked = ackedInserts(client, true);
        Set<Long> sent = ackedInserts(client, false);
        Set<Long> phantom = new TreeSet<>(present);
        phantom.removeAll(sent);
        if (!phantom.isEmpty()) return CheckResult.failed(name, "rows nobody inserted: " + phantom);
        Set<Long> lost = new TreeSet<>(acked);
        lost.removeAll(present);
        String summary = acked.size() + " acknowledged inserts, " + present.size() + " rows after recovery";
        if (lost.isEmpty()) return CheckResult.ok(name, summary + ", none lost");
        if (synchronousCommit) return CheckResult.failed(name, summary + ", LOST acknowledged " + lost);
        long windowNanos = 3 * settings.walWriterDelayNanos();
        for (long id : lost) {
          long sentAt = client.sent().get(id).sentNanos();
          long ackedAt = client.replies().get(id).repliedNanos(); // may arrive just after the crash
          boolean nearCrash = crashTimes.stream()
              .anyMatch(c -> sentAt <= c && c - ackedAt - stalled(stalls, ackedAt, c) <= windowNanos);
          if (!nearCrash) return CheckResult.failed(name, "insert " + id + " acknowledged at " + Durations.format(ackedAt)
              + " lost, more than 3 x wal_writer_delay of running time before any crash " + crashTimes);
        }
        return CheckResult.expectedAnomaly(name, summary + ", lost " + lost.size() + " acknowledged within "
            + Durations.format(windowNanos) + " before a crash (synchronous_commit=off): " + lost);
      });
    }
  }

  /** How long the server was paused between {@code from} and {@code to}. */
  static long stalled(List<long[]> stalls, long from, long to) {
    long total = 0;
    for (long[] st : stalls) total += Math.max(0, Math.min(to, st[1]) - Math.max(from, st[0]));
    return total;
  }

  /** The write path, step by step, with evictions and checkpoints. */
  static final class WritePath extends LessonScenario {
    WritePath() {
      super(new Lesson("pg.write-path",
          "WAL -> shared buffers -> disk: WAL before data, checkpoints, full-page images, a torn page repaired",
          "Follow one INSERT: the heap tuple goes into a page in shared buffers (dirty), its WAL record into the "
          + "WAL buffers (pg.wal.insert, with a full-page image if this is the page's first change since the last "
          + "checkpoint), and COMMIT flushes the WAL (pg.wal.flush). With only 4 shared buffers, a dirty page is "
          + "soon evicted by the clock sweep: before it is written (pg.buffer.write) the WAL is flushed up to the "
          + "page's LSN - WAL before data, checked on every write. Every second a checkpoint (pg.checkpoint) writes "
          + "all dirty pages and moves the redo point. At 2.5 s the server crashes with torn writes: of the page "
          + "writes not yet fsynced, a prefix survives and the next one may be half on disk. Recovery replays the "
          + "WAL from the redo point and restores such a torn page from the full-page image logged with its first "
          + "change after the checkpoint (try a few seeds; the final check lists the pages it repaired). "
          + "Use \\wal, \\heap accounts and state pg to watch.",
          "at 0s disk pg torn; at 2.5s crash pg; at 2.7s restart pg",
          Durations.seconds(4),
          Durations.millis(500)));
    }

    @Override
    public void setup(Simulation sim) {
      insertCluster(sim, new Storage.Config(4, true, true), Durations.seconds(1), Durations.millis(5), "y".repeat(400));
      sim.addFinalCheck("pg.acknowledged-commits-survive", () -> {
        PostgresNode pg = server(sim);
        PgClient client = sim.node(CLIENT, PgClient.class);
        if (pg == null || client == null) return CheckResult.failed("pg.acknowledged-commits-survive", "down at the end");
        Set<Long> lost = new TreeSet<>(ackedInserts(client, true));
        lost.removeAll(presentIds(pg));
        Storage.RecoveryReport r = pg.storage().recovery();
        return CheckResult.of("pg.acknowledged-commits-survive", lost.isEmpty() && r.corruptPages().isEmpty(),
            "lost " + lost + "; recovery replayed " + r.recordsReplayed() + " records, " + r.fullPageImages()
                + " full-page images, repaired torn pages " + r.repairedPages());
      });
    }
  }

  /** Write skew (doctors on call) at REPEATABLE READ and at SERIALIZABLE, side by side. */
  static final class IsolationLevels extends LessonScenario {
    IsolationLevels() {
      super(new Lesson("pg.isolation-levels",
          "Write skew: REPEATABLE READ lets two doctors both go off call; SERIALIZABLE (SSI) aborts one with 40001",
          "Two doctors are on call; the rule is that at least one stays on call. Two transactions each check "
          + "'select count(*) from doctors where on_call' (2), then take their own doctor off call. Neither writes "
          + "what the other reads, so no row lock ever conflicts. Under REPEATABLE READ both commit and nobody is "
          + "on call (write skew, which PostgreSQL allows at that level, as Hermitage's G2-item shows). Under "
          + "SERIALIZABLE, SSI records SIREAD locks on what each read and rw-antidependencies in both directions: "
          + "the first commit dooms the other, whose COMMIT fails with 40001. Use \\locks to see the SIREAD locks "
          + "and rw-conflicts, and \\snapshot a_ser to see a snapshot.",
          "",
          Durations.seconds(3),
          Durations.millis(200)));
    }

    @Override
    public void setup(Simulation sim) {
      sim.addNode(PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
      List<String[]> script = new ArrayList<>();
      for (String lvl : List.of("rr", "ser")) {
        String t = "doctors_" + lvl;
        script.add(new String[] {"setup", "create table " + t + " (name text primary key, on_call boolean)"});
        script.add(new String[] {"setup", "insert into " + t + " values ('alice', true), ('bob', true)"});
      }
      for (String lvl : List.of("rr", "ser")) {
        String t = "doctors_" + lvl;
        String level = lvl.equals("rr") ? "repeatable read" : "serializable";
        script.add(new String[] {"a_" + lvl, "begin isolation level " + level});
        script.add(new String[] {"b_" + lvl, "begin isolation level " + level});
        script.add(new String[] {"a_" + lvl, "select count(*) from " + t + " where on_call"});
        script.add(new String[] {"b_" + lvl, "select count(*) from " + t + " where on_call"});
        script.add(new String[] {"a_" + lvl, "update " + t + " set on_call = false where name = 'alice'"});
        script.add(new String[] {"b_" + lvl, "update " + t + " set on_call = false where name = 'bob'"});
        script.add(new String[] {"a_" + lvl, "commit"});
        script.add(new String[] {"b_" + lvl, "commit"});
      }
      sim.addClient(CLIENT, () -> new PgClient(PG, Durations.millis(100), PgClient.script(script)));
      addInspectors(sim);
      sim.addFinalCheck("pg.repeatable-read-write-skew", () -> {
        String cut = interrupted(sim);
        if (cut != null) return CheckResult.ok("pg.repeatable-read-write-skew", cut);
        long onCall = onCall(sim, "doctors_rr");
        if (onCall < 0) return CheckResult.failed("pg.repeatable-read-write-skew", "server down");
        return onCall == 0
            ? CheckResult.expectedAnomaly("pg.repeatable-read-write-skew", "nobody on call: write skew, allowed under REPEATABLE READ")
            : CheckResult.ok("pg.repeatable-read-write-skew", onCall + " on call");
      });
      sim.addFinalCheck("pg.serializable-prevents-write-skew", () -> {
        String cut = interrupted(sim);
        if (cut != null) return CheckResult.ok("pg.serializable-prevents-write-skew", cut);
        long onCall = onCall(sim, "doctors_ser");
        PgClient c = sim.node(CLIENT, PgClient.class);
        long failures = c == null ? 0 : c.replies().values().stream()
            .filter(o -> o.sent().session().endsWith("_ser") && o.outcome().startsWith("error 40001")).count();
        return CheckResult.of("pg.serializable-prevents-write-skew", onCall >= 1 && failures == 1,
            onCall + " on call, " + failures + " transaction(s) failed with 40001");
      });
    }

    private static long onCall(Simulation sim, String table) {
      PostgresNode pg = server(sim);
      if (pg == null) return -1;
      Result r = pg.database().execute("check", "select count(*) from " + table + " where on_call");
      return r instanceof Result.Rows rows ? (Long) rows.rows().get(0).get(0) : -1;
    }
  }

  /** A long REPEATABLE READ transaction holds back VACUUM; when it ends, autovacuum reclaims the bloat. */
  static final class VacuumHorizon extends LessonScenario {
    VacuumHorizon() {
      super(new Lesson("pg.vacuum-horizon",
          "VACUUM and the xmin horizon: a long REPEATABLE READ report keeps dead versions alive until it ends",
          "A writer updates ten counters 100 times a second; every UPDATE leaves a dead version behind, and "
          + "autovacuum (every second here) runs once n_dead_tup passes 50 + 0.2 x reltuples. At 1 s a report "
          + "opens a REPEATABLE READ transaction and reads: its snapshot's xmin becomes the oldest xmin, and "
          + "VACUUM may only remove versions deleted before it. Watch pg.autovacuum: while the report is open "
          + "every run finds the dead versions 'not yet removable' and the table grows page after page; at 4 s "
          + "the report commits and the next run removes them, freeing line pointers for new versions. Use "
          + "\\snapshot report, \\heap counters and state pg.",
          "",
          Durations.seconds(6),
          Durations.millis(500)));
    }
    static final int ROWS = 10;

    @Override
    public void setup(Simulation sim) {
      sim.addNode(PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
      StringBuilder rows = new StringBuilder("insert into counters values ");
      for (int i = 1; i <= ROWS; i++) rows.append(i > 1 ? ", (" : "(").append(i).append(", 0)");
      String insert = rows.toString();
      sim.addClient(CLIENT, () -> new PgClient(PG, Durations.millis(10), n -> {
        if (n == 0) return new String[] {"w", "create table counters (id int primary key, n int)"};
        if (n == 1) return new String[] {"w", insert};
        if (n == 100) return new String[] {"report", "begin isolation level repeatable read"};
        if (n == 101) return new String[] {"report", "select count(*), sum(n) from counters"};
        if (n == 400) return new String[] {"report", "commit"};
        return new String[] {"w", "update counters set n = n + 1 where id = " + (1 + n % ROWS)};
      }));
      addInspectors(sim);
      sim.addFinalCheck("pg.vacuum-respects-the-horizon", () -> {
        String name = "pg.vacuum-respects-the-horizon";
        PostgresNode pg = server(sim);
        if (pg == null) return CheckResult.failed(name, "server down at the end");
        if (sim.incarnation(PG) > 0) return CheckResult.ok(name, "the server restarted, ending the report early: nothing to judge");
        PgClient c = sim.node(CLIENT, PgClient.class);
        boolean reportRan = c != null && c.sent().values().stream().filter(st -> st.session().equals("report"))
            .allMatch(st -> c.replies().containsKey(st.id()) && !c.replies().get(st.id()).outcome().startsWith("error"));
        if (!reportRan) return CheckResult.ok(name, "faults kept the report from running as scripted: nothing to judge");
        long openedAt = c.replies().values().stream().filter(o -> o.sent().sql().startsWith("begin"))
            .mapToLong(PgClient.Outcome::repliedNanos).min().orElse(0);
        long closedAt = c.replies().values().stream().filter(o -> o.sent().session().equals("report")
            && o.sent().sql().equals("commit")).mapToLong(PgClient.Outcome::repliedNanos).max().orElse(0);
        if (closedAt - openedAt < 2 * Durations.seconds(1)) {
          return CheckResult.ok(name, "faults delayed the report so that it was open for less than two autovacuum "
              + "naptimes: nothing to judge");
        }
        var reports = pg.database().vacuumReports();
        boolean heldBack = reports.stream().anyMatch(r -> r.removed() == 0 && r.recentlyDead() > 0);
        boolean reclaimed = reports.stream().anyMatch(r -> r.removed() > 0);
        return CheckResult.of(name, heldBack && reclaimed, reports.size() + " autovacuum runs; held back by the "
            + "report: " + heldBack + ", reclaimed after it: " + reclaimed + "; last: "
            + (reports.isEmpty() ? "none" : reports.get(reports.size() - 1)));
      });
    }
  }

  /** Two transactions lock two rows in opposite orders; the deadlock detector breaks the cycle. */
  static final class Deadlock extends LessonScenario {
    Deadlock() {
      super(new Lesson("pg.deadlock",
          "Row locks and deadlock detection: after deadlock_timeout (1 s) one waiter finds the cycle and fails with 40P01",
          "Transfer A updates account 1 then account 2; transfer B updates account 2 then account 1, 100 ms "
          + "apart. Each UPDATE takes its row lock by writing its xid into the tuple's xmax; the second UPDATE of "
          + "each finds the other's xid there, still running, and waits for that transaction to end (\\locks shows "
          + "who waits for whom). Nobody checks for cycles at once: a waiter that is still waiting after "
          + "deadlock_timeout (1 s) runs the deadlock detector, and the first to do so - A, which started waiting "
          + "first - finds the cycle and fails with 40P01 'deadlock detected'. Its transaction aborts at once, "
          + "releasing its lock, so B's UPDATE proceeds and B commits.",
          "",
          Durations.seconds(3),
          Durations.millis(200)));
    }

    @Override
    public void setup(Simulation sim) {
      sim.addNode(PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
      List<String[]> script = List.of(
          new String[] {"setup", "create table accounts (id int primary key, balance int)"},
          new String[] {"setup", "insert into accounts values (1, 100), (2, 100)"},
          new String[] {"a", "begin"},
          new String[] {"b", "begin"},
          new String[] {"a", "update accounts set balance = balance - 10 where id = 1"},
          new String[] {"b", "update accounts set balance = balance - 20 where id = 2"},
          new String[] {"a", "update accounts set balance = balance + 10 where id = 2"},
          new String[] {"b", "update accounts set balance = balance + 20 where id = 1"},
          new String[] {"a", "commit"},
          new String[] {"b", "commit"});
      sim.addClient(CLIENT, () -> new PgClient(PG, Durations.millis(100), PgClient.script(script)));
      addInspectors(sim);
      sim.addFinalCheck("pg.deadlock-broken", () -> {
        String name = "pg.deadlock-broken";
        if (sim.incarnation(PG) > 0) return CheckResult.ok(name, "the server restarted: nothing to judge");
        PgClient c = sim.node(CLIENT, PgClient.class);
        if (c == null || c.replies().size() < script.size()) {
          return CheckResult.ok(name, "faults cut the script short: nothing to judge");
        }
        long deadlocks = c.replies().values().stream().filter(o -> o.outcome().startsWith("error 40P01")).count();
        PostgresNode pg = server(sim);
        Result r = pg.database().execute("check", "select sum(balance) from accounts");
        Object sum = r instanceof Result.Rows rows ? rows.rows().get(0).get(0) : null;
        return CheckResult.of(name, deadlocks == 1 && Long.valueOf(200).equals(sum),
            deadlocks + " transaction(s) failed with 40P01; total balance " + sum);
      });
    }
  }
}
