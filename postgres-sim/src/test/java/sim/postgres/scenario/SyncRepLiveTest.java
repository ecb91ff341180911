package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.testing.SimTesting;
import sim.postgres.oracle.RealPgPair;

/**
 * The synchronous_commit promises on a real PostgreSQL 15 primary with synchronous_standby_names = 's1' and
 * its pg_basebackup -R standby (cluster_name s1, so that is its application_name), against the model's
 * scenarios at seed 1: with the standby's replay 40 ms behind (recovery_min_apply_delay), a standby read right
 * after COMMIT sees the row under remote_apply every time and misses it under on (pg.remote-apply-read-your-writes);
 * a COMMIT at on blocks while the synchronous standby is down and returns once it is back
 * (pg.sync-commit-no-loss).
 */
class SyncRepLiveTest {
  static final List<String> PRIMARY = List.of("synchronous_standby_names=s1");
  static final List<String> STANDBY = List.of("cluster_name=s1", "recovery_min_apply_delay=40ms");

  @Test
  void remoteApplyReadsYourWritesOnTheStandbyAndOnDoesNotAsInTheModel() throws Exception {
    RealPgPair.require();
    var model = SimTesting.run(new RemoteApply(), 1);
    assertEquals(CheckResult.Status.OK, model.check("pg.remote-apply-reads-own-writes").status(), model.check("pg.remote-apply-reads-own-writes").detail());
    assertEquals(CheckResult.Status.OK, model.check("pg.on-may-not-read-your-writes").status(), model.check("pg.on-may-not-read-your-writes").detail());
    try (RealPgPair pair = RealPgPair.start(PRIMARY, STANDBY); Connection p = pair.primary(); Connection s = pair.standby()) {
      p.createStatement().execute("create table t (id int primary key, note text)");
      waitSync(p);
      int onMissed = 0;
      int applyMissed = 0;
      for (int i = 1; i <= 2 * RemoteApply.ROUNDS; i++) {
        String level = i <= RemoteApply.ROUNDS ? "on" : "remote_apply";
        p.createStatement().execute("set synchronous_commit = " + level);
        p.createStatement().execute("insert into t values (" + i + ", '" + level + "')");
        boolean seen;
        try (ResultSet rs = s.createStatement().executeQuery("select id from t where id = " + i)) {
          seen = rs.next();
        } catch (java.sql.SQLException tableNotYetReplayed) {
          seen = false;
        }
        if (!seen && level.equals("on")) onMissed++;
        if (!seen && level.equals("remote_apply")) applyMissed++;
      }
      assertEquals(0, applyMissed, "real remote_apply commits whose standby read right after missed the row");
      assertTrue(onMissed > 0, "real on commits: every standby read right after saw the row (" + RemoteApply.ROUNDS + " rounds)");
    }
  }

  @Test
  void aCommitBlocksWhileTheSynchronousStandbyIsDownAsInTheModel() throws Exception {
    RealPgPair.require();
    var model = SimTesting.run(new SyncCommitNoLoss(), 1);
    CheckResult blocks = model.check("pg.commit-blocks-while-sync-standby-down");
    assertEquals(CheckResult.Status.OK, blocks.status(), blocks.detail());
    try (RealPgPair pair = RealPgPair.start(PRIMARY, List.of("cluster_name=s1")); Connection p = pair.primary()) {
      p.createStatement().execute("create table t (id int primary key, note text)");
      waitSync(p);
      pair.crashStandby();
      CompletableFuture<String> commit = CompletableFuture.supplyAsync(() -> StandbyConflictLiveTest.outcome(p, "insert into t values (1, 'x')"));
      try {
        String early = commit.get(1500, TimeUnit.MILLISECONDS);
        throw new AssertionError("the real COMMIT returned while the synchronous standby was down: " + early);
      } catch (TimeoutException stillWaiting) {
        assertFalse(commit.isDone());
      }
      pair.startStandby(List.of("cluster_name=s1"));
      assertEquals("ok", commit.get(30, TimeUnit.SECONDS), "the real COMMIT once s1 was back");
    }
  }

  /** Until pg_stat_replication shows s1 as the synchronous standby. */
  private static void waitSync(Connection p) throws Exception {
    for (int i = 0; i < 100; i++) {
      try (ResultSet rs = p.createStatement().executeQuery("select sync_state from pg_stat_replication where application_name = 's1'")) {
        if (rs.next() && rs.getString(1).equals("sync")) return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("s1 never became the synchronous standby");
  }
}
