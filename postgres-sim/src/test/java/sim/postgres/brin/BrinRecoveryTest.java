package sim.postgres.brin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.SimRandom;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.schedule.ScheduleRunner;
import sim.postgres.wal.Storage;

/**
 * Crash recovery of BRIN indexes: random batches of inserts (some rolled back), VACUUMs, summarize calls and
 * checkpoints under a tiny buffer pool, then a crash under each disk loss mode. After redo the index's pages,
 * read through pageinspect's brin_* functions, are exactly those before the crash (the last statement is a
 * commit, so all of the index's WAL was flushed), torn pages included.
 */
class BrinRecoveryTest {
  @Test
  void redoRestoresEveryBrinPage() {
    int changed = 0;
    for (CrashLossMode mode : CrashLossMode.values()) {
      for (long seed = 1; seed <= 15; seed++) {
        Simulation sim = new Simulation(seed);
        SimRandom rnd = sim.random("workload");
        SimDisk disk = new SimDisk("pg", sim.random("disk"));
        disk.setCrashLossMode(mode);
        Storage.Config config = new Storage.Config(3, true, true);
        Storage storage = Storage.open(disk, config);
        Database db = new Database(ScheduleRunner.clockOf(sim), storage.state(), storage);
        ok(db.execute("s", "create table t (id int, v int)"));
        ok(db.execute("s", "insert into t select g, g from generate_series(1, " + (200 + rnd.nextInt(600)) + ") g"));
        ok(db.execute("s", "create index t_v on t using brin (v) with (pages_per_range = " + (1 + rnd.nextInt(2)) + ")"));
        List<String> start = pages(db, "t_v");
        int batches = 3 + rnd.nextInt(8);
        for (int i = 0; i < batches; i++) {
          ok(db.execute("s", "begin"));
          int lo = rnd.nextInt(5000) - 500;
          ok(db.execute("s", "insert into t select g, g from generate_series(" + lo + ", " + (lo + rnd.nextInt(400)) + ") g"));
          ok(db.execute("s", rnd.nextInt(5) == 0 ? "rollback" : "commit"));
          int op = rnd.nextInt(6);
          if (op == 0) ok(db.execute("s", "vacuum t"));
          if (op == 1) ok(db.execute("s", "select brin_summarize_new_values('t_v')"));
          if (rnd.nextInt(4) == 0) storage.checkpoint();
        }
        ok(db.execute("s", "insert into t values (0, 0)"));
        List<String> before = pages(db, "t_v");
        if (!before.equals(start)) changed++;
        disk.crash();
        Storage recovered = Storage.open(disk, config);
        Database after = new Database(ScheduleRunner.clockOf(sim), recovered.state(), recovered);
        assertTrue(recovered.recovery().corruptPages().isEmpty(), "seed " + seed + " " + mode + ": " + recovered.recovery().corruptPages());
        assertEquals(String.join("\n", before), String.join("\n", pages(after, "t_v")), "seed " + seed + " " + mode);
      }
    }
    assertTrue(changed > 30, "the workloads changed the index after its build: " + changed);
  }

  static List<String> pages(Database db, String index) {
    List<String> out = new ArrayList<>();
    int blocks = db.sharedState().brins.get(index).blocks();
    for (int b = 0; b < blocks; b++) {
      String page = "get_raw_page('" + index + "', " + b + ")";
      String type = (String) rows(db, "select * from brin_page_type(" + page + ")").get(0).get(0);
      String q = switch (type) {
        case "meta" -> "select * from brin_metapage_info(" + page + ")";
        case "revmap" -> "select * from brin_revmap_data(" + page + ") where pages <> '(0,0)'";
        default -> "select * from brin_page_items(" + page + ", '" + index + "')";
      };
      out.add(b + " " + type);
      for (List<Object> r : rows(db, q)) out.add(r.toString());
    }
    return out;
  }

  static List<List<Object>> rows(Database db, String sql) {
    Result r = db.execute("s", sql);
    if (r instanceof Result.Error e) throw new AssertionError(sql + ": " + e.message());
    return ((Result.Rows) r).rows();
  }

  static void ok(Result r) {
    if (r instanceof Result.Error e) throw new AssertionError(e.message());
  }
}
