package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import sim.core.SimRandom;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;

/**
 * Crash + redo over many seeds: random transactions (inserts, updates, deletes, commits, rollbacks, one
 * left open), random checkpoints and a tiny buffer pool so pages are evicted mid-transaction, then a crash
 * under every disk loss mode. After recovery the table holds exactly the committed transactions
 * (synchronous_commit=on), or the committed transactions up to some point no earlier than the last
 * flushed commit (off). Torn pages are repaired from full-page images, or detected by checksum without them.
 */
class CrashRecoveryTest {
  record Outcome(Map<Long, Long> recovered, List<Map<Long, Long>> committedStates, int durableCommits,
      Storage.RecoveryReport report) {}

  static Outcome crashRun(long seed, boolean syncCommit, boolean fullPageWrites, CrashLossMode mode) {
    Simulation sim = new Simulation(seed);
    SimRandom rnd = sim.random("workload");
    SimDisk disk = new SimDisk("pg", sim.random("disk"));
    disk.setCrashLossMode(mode);
    Storage.Config config = new Storage.Config(3, syncCommit, fullPageWrites);
    Storage storage = Storage.open(disk, config);
    Database db = new Database(ScheduleRunner.clockOf(sim), storage.state(), storage);
    ok(db.execute("s", "create table t (id int primary key, v int, pad text)"));
    Map<Long, Long> model = new TreeMap<>();
    List<Map<Long, Long>> states = new ArrayList<>();
    states.add(Map.copyOf(model));
    List<Long> commitLsns = new ArrayList<>();
    // about ten rows per page: the table spans several pages even when pruning on read frees dead versions
    String pad = "x".repeat(700);
    long nextId = 1;
    int txns = 20 + rnd.nextInt(40);
    for (int i = 0; i < txns; i++) {
      Map<Long, Long> pending = new TreeMap<>(model);
      ok(db.execute("s", "begin"));
      int ops = 1 + rnd.nextInt(6);
      for (int k = 0; k < ops; k++) {
        int op = rnd.nextInt(3);
        if (op == 0 || pending.isEmpty()) {
          long v = rnd.nextInt(1000);
          ok(db.execute("s", "insert into t values (" + nextId + ", " + v + ", '" + pad + "')"));
          pending.put(nextId++, v);
        } else {
          long id = new ArrayList<>(pending.keySet()).get(rnd.nextInt(pending.size()));
          if (op == 1) {
            long v = rnd.nextInt(1000);
            ok(db.execute("s", "update t set v = " + v + " where id = " + id));
            pending.put(id, v);
          } else {
            ok(db.execute("s", "delete from t where id = " + id));
            pending.remove(id);
          }
        }
      }
      if (rnd.nextInt(5) == 0) {
        ok(db.execute("s", "rollback"));
      } else {
        ok(db.execute("s", "commit"));
        model = pending;
        states.add(Map.copyOf(model));
        commitLsns.add(storage.wal().insertLsn());
      }
      if (rnd.nextInt(8) == 0) storage.checkpoint();
      if (!syncCommit && rnd.nextInt(3) == 0) storage.walWriterRound();
    }
    ok(db.execute("open", "begin"));
    ok(db.execute("open", "insert into t values (" + nextId + ", 1, 'in flight')"));
    ok(db.execute("open", "update t set v = v + 1000"));
    long flushed = storage.wal().flushedLsn();
    int durable = (int) commitLsns.stream().filter(l -> l <= flushed).count();
    disk.crash();
    Storage recovered = Storage.open(disk, config);
    Database after = new Database(ScheduleRunner.clockOf(sim), recovered.state(), recovered);
    Map<Long, Long> got = new TreeMap<>();
    if (recovered.recovery().corruptPages().isEmpty()) {
      Result r = after.execute("check", "select id, v from t");
      for (List<Object> row : ((Result.Rows) r).rows()) got.put((Long) row.get(0), (Long) row.get(1));
      // the primary key index came back through its own WAL records: it finds every row the heap has
      for (var e : got.entrySet()) {
        Result byIndex = after.execute("check", "select v from t where id = " + e.getKey());
        assertEquals(List.of(List.of(e.getValue())), ((Result.Rows) byIndex).rows(), "seed " + seed + ": t_pkey lookup of " + e.getKey());
      }
      for (long missing = 1; missing <= nextId; missing++) {
        if (got.containsKey(missing)) continue;
        Result byIndex = after.execute("check", "select v from t where id = " + missing);
        assertEquals(List.of(), ((Result.Rows) byIndex).rows(), "seed " + seed + ": t_pkey finds a row the heap does not have");
      }
    }
    return new Outcome(got, states, durable, recovered.recovery());
  }

  static void ok(Result r) {
    if (r instanceof Result.Error e) fail(e.sqlState() + " " + e.message());
  }

  @Test
  void synchronousCommitKeepsExactlyTheCommittedTransactions() {
    for (long seed = 1; seed <= 60; seed++) {
      CrashLossMode mode = CrashLossMode.values()[(int) (seed % 3)];
      Outcome o = crashRun(seed, true, true, mode);
      assertTrue(o.report().corruptPages().isEmpty(), "seed " + seed + ": " + o.report());
      assertEquals(o.committedStates().get(o.committedStates().size() - 1), o.recovered(), "seed " + seed + " " + mode);
    }
  }

  @Test
  void asyncCommitLosesOnlyARecentSuffixOfCommits() {
    for (long seed = 1; seed <= 60; seed++) {
      CrashLossMode mode = CrashLossMode.values()[(int) (seed % 3)];
      Outcome o = crashRun(seed, false, true, mode);
      assertTrue(o.report().corruptPages().isEmpty(), "seed " + seed + ": " + o.report());
      int match = o.committedStates().lastIndexOf(o.recovered());
      assertTrue(match >= o.durableCommits(), "seed " + seed + " " + mode + ": recovered " + o.recovered()
          + " is not the state after any commit from the last flushed one (" + o.durableCommits() + ") on");
    }
  }

  @Test
  void tornPagesAreRepairedByFullPageImagesOrDetectedByChecksum() {
    int detected = 0;
    for (long seed = 1; seed <= 60; seed++) {
      Outcome withFpw = crashRun(seed, true, true, CrashLossMode.TORN_LAST_WRITE);
      assertTrue(withFpw.report().corruptPages().isEmpty(), "seed " + seed + ": " + withFpw.report());
      assertEquals(withFpw.committedStates().get(withFpw.committedStates().size() - 1), withFpw.recovered());
      Outcome noFpw = crashRun(seed, true, false, CrashLossMode.TORN_LAST_WRITE);
      if (!noFpw.report().corruptPages().isEmpty()) detected++;
      else assertEquals(noFpw.committedStates().get(noFpw.committedStates().size() - 1), noFpw.recovered(), "seed " + seed);
    }
    assertTrue(detected > 0, "no seed tore a data page; the test lost its point");
  }
}
