package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.postgres.wal.Wal;

/**
 * The standby's durability goes through the kernel's door: the walreceiver reports a flush LSN only after
 * its fsync returned (XLogWalRcvFlush before XLogWalRcvSendReply), so a commit at synchronous_commit=on
 * (remote flush) is acknowledged at least one standby fsync after the standby wrote its WAL, and a standby
 * crash during that fsync never counts as flushed. pg_basebackup's files and pg_promote's timeline history
 * file are durable before the standby starts or the promotion returns; a crash before then loses them as
 * PostgreSQL would (the backup is taken again; the server stays a standby on its old timeline).
 */
class ReplicationDurabilityTest {
  static final NodeId PG = Replicas.PG;
  static final NodeId S1 = Replicas.S1;
  static final long FSYNC = Durations.millis(50);

  record Point(long atNanos, long lsn) {}

  /** pg with FIRST 1 (s1) at synchronous_commit=on, s1's fsyncs take 50 ms; inserts every 10 ms, each in its own session. */
  static Simulation cluster(long seed, int inserts) {
    Simulation sim = new Simulation(seed);
    sim.network().setLinkLatency(PG, S1, Durations.millis(1), Durations.millis(2));
    Replicas.cluster(sim, Replicas.settings(), "FIRST 1 (s1)", "on", 0);
    sim.disk(S1).setFsyncLatencyNanos(FSYNC);
    sim.disk(S1).setCrashLossMode(CrashLossMode.LOSE_UNSYNCED);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key)"};
      return n <= inserts ? new String[] {"c" + n, "insert into t values (" + n + ")"} : null;
    }));
    return sim;
  }

  /** Every pg.walreceiver.write on s1 (when, write LSN) and every commit pg acknowledged (when, commit LSN). */
  static void follow(Simulation sim, List<Point> writes, List<Point> acks) {
    sim.trace().addListener(e -> {
      if (e.node().equals("s1") && e.kind().equals("pg.walreceiver.write")) {
        writes.add(new Point(e.timeNanos(), Wal.parseLsn((String) e.attribute("writeLsn"))));
      }
      if (e.node().equals("pg") && e.kind().equals("pg.reply") && e.attribute("commitLsn") != null) {
        acks.add(new Point(e.timeNanos(), Wal.parseLsn((String) e.attribute("commitLsn"))));
      }
    });
  }

  @Test
  void aRemoteFlushCommitIsAcknowledgedAtLeastOneStandbyFsyncAfterTheStandbyWroteIt() {
    Simulation sim = cluster(1, 40);
    List<Point> writes = new ArrayList<>();
    List<Point> acks = new ArrayList<>();
    follow(sim, writes, acks);
    sim.runUntilTime(Durations.seconds(3));
    assertTrue(acks.size() > 30, "commits acknowledged: " + acks.size());
    for (Point ack : acks) {
      Point written = writes.stream().filter(w -> w.lsn() >= ack.lsn()).findFirst().orElse(null);
      assertNotNull(written, "commit to " + Wal.formatLsn(ack.lsn()) + " acknowledged but s1 never wrote it");
      long waited = ack.atNanos() - written.atNanos();
      assertTrue(waited >= FSYNC, "commit to " + Wal.formatLsn(ack.lsn()) + " acknowledged " + Durations.format(waited)
          + " after s1 wrote it, before s1's 50 ms fsync could return");
    }
  }

  @Test
  void aStandbyCrashDuringItsFsyncDoesNotCountAsFlushed() {
    Simulation sim = cluster(2, 60);
    List<Point> writes = new ArrayList<>();
    List<Point> acks = new ArrayList<>();
    follow(sim, writes, acks);
    long[] atCrash = {-1, -1, -1, -1}; // s1 written, s1 flushed, pg's flush_lsn for s1, restart time
    sim.trace().addListener(e -> {
      if (atCrash[0] >= 0 || !e.node().equals("s1") || !e.kind().equals("pg.walreceiver.write") || e.timeNanos() < Durations.millis(400)) {
        return;
      }
      atCrash[0] = 0;
      sim.schedule(Durations.millis(10), "crash s1 during its fsync", () -> {
        PostgresNode s1 = sim.node(S1, PostgresNode.class);
        atCrash[0] = s1.receiver().writtenLsn();
        atCrash[1] = s1.receiver().flushedLsn();
        sim.crash(S1);
      });
      sim.schedule(Durations.millis(300), "restart s1", () -> {
        PostgresNode pg = sim.node(PG, PostgresNode.class);
        atCrash[2] = Wal.parseLsn((String) pg.walSenders().statReplication().get(0).get(4));
        atCrash[3] = sim.nowNanos();
        sim.restart(S1);
      });
    });
    long[] restartedAt = {-1};
    sim.trace().addListener(e -> {
      if (e.node().equals("s1") && e.kind().equals("pg.standby") && atCrash[3] >= 0 && restartedAt[0] < 0) {
        restartedAt[0] = Wal.parseLsn((String) e.attribute("replayLsn"));
      }
    });
    sim.runUntilTime(Durations.seconds(3));
    long written = atCrash[0];
    long flushed = atCrash[1];
    assertTrue(written > flushed, "the crash came while s1's fsync was in flight: written " + Wal.formatLsn(written)
        + ", flushed " + Wal.formatLsn(flushed));
    assertTrue(atCrash[2] <= flushed, "pg counted s1 flushed to " + Wal.formatLsn(atCrash[2]) + ", past what s1 had fsynced ("
        + Wal.formatLsn(flushed) + ")");
    // an fsync returning makes later writes of the file durable too (the kernel's fsync covers what is
    // written while it runs), so s1 may come back with more WAL than it reported; never with less
    assertTrue(restartedAt[0] >= flushed, "s1 restarted with WAL to " + Wal.formatLsn(restartedAt[0]) + ", short of the "
        + Wal.formatLsn(flushed) + " it had reported flushed");
    for (Point a : acks) {
      if (a.atNanos() <= atCrash[3]) {
        assertTrue(a.lsn() <= restartedAt[0], "commit to " + Wal.formatLsn(a.lsn()) + " acknowledged before the restart is not in s1's durable WAL");
      }
    }
    List<Point> inFlight = acks.stream().filter(a -> a.lsn() > flushed && a.lsn() <= written).toList();
    assertFalse(inFlight.isEmpty(), "some acknowledged commit lay in the write s1 lost");
    for (Point a : inFlight) {
      assertTrue(a.atNanos() > atCrash[3], "commit to " + Wal.formatLsn(a.lsn()) + " acknowledged at " + Durations.format(a.atNanos())
          + ", before s1 restarted (" + Durations.format(atCrash[3]) + ") and flushed it again");
    }
  }

  @Test
  void aStandbyCrashDuringTheBaseBackupTakesTheBackupAgain() {
    Simulation sim = cluster(3, 30);
    List<Long> backups = new ArrayList<>();
    List<Long> standbyStarts = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (e.node().equals("pg") && e.kind().equals("pg.basebackup")) {
        backups.add(e.timeNanos());
        if (backups.size() == 1) {
          sim.schedule(Durations.millis(25), "crash s1 while pg_basebackup fsyncs", () -> sim.crash(S1));
          sim.schedule(Durations.millis(200), "restart s1", () -> sim.restart(S1));
        }
      }
      if (e.node().equals("s1") && e.kind().equals("pg.standby")) standbyStarts.add(e.timeNanos());
    });
    sim.runUntilTime(Durations.seconds(2));
    assertEquals(2, backups.size(), "the crash cut the first backup short, the restart took a second one");
    assertEquals(1, standbyStarts.size(), "s1 entered standby mode once, after the second backup");
    assertTrue(standbyStarts.get(0) > backups.get(1) + FSYNC, "s1 started only once the second backup's files were durable");
    PostgresNode s1 = sim.node(S1, PostgresNode.class);
    PostgresNode pg = sim.node(PG, PostgresNode.class);
    assertEquals("standby", s1.role());
    assertEquals(Replicas.presentIds(pg), Replicas.presentIds(s1), "the standby caught up with every committed row");
  }

  @Test
  void pgPromoteReturnsOnlyOnceTheHistoryFileIsDurable() {
    Promoted r = promote(4, false);
    assertEquals(1, r.promotions());
    assertTrue(r.replied() - r.sent() >= FSYNC, "pg_promote returned " + Durations.format(r.replied() - r.sent())
        + " after it was called, before the history file's fsync could return");
    assertEquals(2, r.sim().node(S1, PostgresNode.class).timeline());
  }

  @Test
  void aCrashBeforeTheHistoryFileIsDurableLeavesAStandbyOnTheOldTimeline() {
    Promoted r = promote(5, true);
    assertEquals(-1, r.replied(), "pg_promote answered though the server crashed before its history file was durable");
    assertEquals(0, r.promotions());
    PostgresNode s1 = r.sim().node(S1, PostgresNode.class);
    assertEquals("standby", s1.role());
    assertEquals(1, s1.timeline());
    assertFalse(r.sim().disk(S1).exists(sim.postgres.replication.Timelines.historyFile(2)), "no history file survives the crash");
    assertEquals(Replicas.presentIds(r.sim().node(PG, PostgresNode.class)), Replicas.presentIds(s1), "s1 streams on from pg");
  }

  record Promoted(Simulation sim, long sent, long replied, int promotions) {}

  /** s1 is asked for pg_promote() at 1 s; with {@code crash}, it crashes 20 ms later and restarts 300 ms after that. */
  private static Promoted promote(long seed, boolean crash) {
    Simulation sim = new Simulation(seed);
    Replicas.cluster(sim, Replicas.settings(), "", "local", 0);
    sim.disk(S1).setFsyncLatencyNanos(FSYNC);
    sim.disk(S1).setCrashLossMode(CrashLossMode.LOSE_UNSYNCED);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PG, Durations.millis(10), n -> {
      if (n == 0) return new String[] {"c", "create table t (id int primary key)"};
      if (n < 50) return new String[] {"c" + n, "insert into t values (" + n + ")"};
      return n == 99 ? new String[] {"admin", "select pg_promote()", "s1"} : n < 99 ? new String[] {"c", "select count(*) from t"} : null;
    }));
    int[] promotions = {0};
    sim.trace().addListener(e -> {
      if (e.kind().equals("pg.promote")) promotions[0]++;
      if (crash && e.node().equals("s1") && e.kind().equals("pg.exec") && String.valueOf(e.detail()).contains("pg_promote")) {
        sim.schedule(Durations.millis(20), "crash s1 during the history file's fsync", () -> sim.crash(S1));
        sim.schedule(Durations.millis(300), "restart s1", () -> sim.restart(S1));
      }
    });
    sim.runUntilTime(Durations.seconds(2));
    PgClient c = PgScenarios.client(sim);
    for (PgClient.Outcome o : c.replies().values()) {
      if (o.sent().sql().equals("select pg_promote()")) return new Promoted(sim, o.sent().sentNanos(), o.repliedNanos(), promotions[0]);
    }
    return new Promoted(sim, -1, -1, promotions[0]);
  }
}
