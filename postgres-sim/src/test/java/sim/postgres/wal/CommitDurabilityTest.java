package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.postgres.engine.Result;
import sim.postgres.scenario.PgClient;
import sim.postgres.scenario.PostgresNode;

/**
 * COMMIT waits for XLogFlush through the kernel's durability door: with a 50 ms fsync the reply comes at
 * least 50 ms after the statement, and a crash during that fsync loses exactly what PostgreSQL loses. The
 * commit was never acknowledged; after redo it is absent, or present only if its commit record reached the
 * disk anyway (the OS wrote the page-cache data back before the crash), because redo honours every commit
 * record it finds, acknowledged or not.
 */
class CommitDurabilityTest {
  static final NodeId PG = NodeId.of("pg");
  static final NodeId CLIENT = NodeId.of("client");
  static final long FSYNC = Durations.millis(50);

  static Simulation cluster(long seed, List<String[]> script, CrashLossMode mode) {
    Simulation sim = new Simulation(seed);
    sim.addNode(PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    sim.disk(PG).setFsyncLatencyNanos(FSYNC);
    sim.disk(PG).setCrashLossMode(mode);
    sim.addClient(CLIENT, () -> new PgClient(PG, Durations.millis(100), PgClient.script(script)));
    return sim;
  }

  @Test
  void theCommitReplyComesAfterTheWalFsync() {
    List<String[]> script = List.of(
        new String[] {"s", "create table t (id int primary key)"},
        new String[] {"s", "insert into t values (1)"},
        new String[] {"s", "begin"},
        new String[] {"s", "insert into t values (2)"},
        new String[] {"s", "commit"},
        new String[] {"s", "select count(*) from t"});
    Simulation sim = cluster(1, script, CrashLossMode.LOSE_UNSYNCED);
    int[] waits = {0};
    sim.trace().addListener(e -> {
      if (e.kind().equals("fsync.wait") && e.detail().startsWith(Wal.SEGMENT)) waits[0]++;
    });
    sim.runUntilTime(Durations.seconds(2));
    PgClient c = sim.node(CLIENT, PgClient.class);
    assertEquals(script.size(), c.replies().size());
    for (PgClient.Outcome o : c.replies().values()) {
      long waited = o.repliedNanos() - o.sent().sentNanos();
      String sql = o.sent().sql();
      boolean flushes = sql.startsWith("insert into t values (1)") || sql.equals("commit");
      if (flushes) assertTrue(waited >= FSYNC, sql + " answered after " + Durations.format(waited) + ", before the fsync returned");
      else assertTrue(waited < FSYNC, sql + " writes no commit record, yet waited " + Durations.format(waited));
    }
    assertEquals(2, waits[0], "each commit went through the kernel's durability door once");
  }

  @Test
  void aCrashDuringTheCommitFsyncLosesOnlyTheUnacknowledgedCommit() {
    int presentAnyway = 0;
    for (long seed = 1; seed <= 30; seed++) {
      for (CrashLossMode mode : CrashLossMode.values()) {
        List<String[]> script = List.of(
            new String[] {"s", "create table t (id int primary key)"},
            new String[] {"s", "insert into t values (1)"},
            new String[] {"s", "insert into t values (2)"});
        Simulation sim = cluster(seed, script, mode);
        long crashAt = Durations.millis(300) + Durations.millis(2 + seed % 40); // insert 2 is in its fsync
        int[] durableCommits = {-1};
        sim.schedule(crashAt, "crash", () -> {
          sim.crash(PG);
          durableCommits[0] = (int) Wal.read(sim.disk(PG), WalFiles.segStart(1, WalFiles.DEFAULT_SEGMENT_BYTES)).stream().filter(e -> e.record() instanceof WalRecord.Commit).count();
        });
        sim.schedule(crashAt + Durations.millis(100), "restart", () -> sim.restart(PG));
        sim.runUntilTime(Durations.seconds(1));
        PgClient c = sim.node(CLIENT, PgClient.class);
        Set<String> acked = new TreeSet<>();
        for (PgClient.Outcome o : c.replies().values()) acked.add(o.sent().sql());
        String where = "seed " + seed + " " + mode;
        assertTrue(acked.contains("insert into t values (1)"), where);
        assertFalse(acked.contains("insert into t values (2)"), where + ": acknowledged before its fsync returned");
        List<Long> rows = ids(sim);
        assertTrue(rows.contains(1L), where + ": the acknowledged commit was lost: " + rows);
        boolean present = rows.contains(2L);
        assertEquals(durableCommits[0] == 2, present, where + ": present after redo iff its commit record was on disk ("
            + durableCommits[0] + " commit records survived)");
        if (mode == CrashLossMode.LOSE_UNSYNCED) assertFalse(present, where + ": nothing un-fsynced survives this mode");
        if (present) presentAnyway++;
      }
    }
    assertTrue(presentAnyway > 0, "no crash ever let the in-flight commit record reach the disk; the prefix modes showed nothing");
  }

  static List<Long> ids(Simulation sim) {
    PostgresNode pg = sim.node(PG, PostgresNode.class);
    Result r = pg.database().execute("check", "select id from t order by id");
    List<Long> out = new ArrayList<>();
    for (List<Object> row : ((Result.Rows) r).rows()) out.add((Long) row.get(0));
    return out;
  }
}
