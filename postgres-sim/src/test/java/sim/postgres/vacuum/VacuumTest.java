package sim.postgres.vacuum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.core.SimRandom;
import sim.core.Simulation;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.heap.Table;
import sim.postgres.schedule.ScheduleRunner;

class VacuumTest {
  static Database newDb(long seed) {
    Database db = new Database(ScheduleRunner.clockOf(new Simulation(seed)));
    ok(db.execute("s", "create table t (id int primary key, v int)"));
    ok(db.execute("s", "insert into t values (1, 0), (2, 0), (3, 0), (4, 0)"));
    return db;
  }

  static Result ok(Result r) {
    if (r instanceof Result.Error e) fail(e.sqlState() + " " + e.message());
    return r;
  }

  static List<List<Object>> read(Database db, String session) {
    return ((Result.Rows) ok(db.execute(session, "select id, v from t order by id"))).rows();
  }

  @Test
  void aLongRepeatableReadTransactionHoldsTheHorizonBack() {
    Database db = newDb(1);
    ok(db.execute("reader", "begin isolation level repeatable read"));
    List<List<Object>> before = read(db, "reader");
    for (int i = 0; i < 5; i++) ok(db.execute("w", "update t set v = v + 1"));
    ok(db.execute("vac", "vacuum t"));
    Vacuum.Report held = db.vacuumReports().get(db.vacuumReports().size() - 1);
    assertEquals(0, held.removed(), held.toString());
    assertEquals(20, held.recentlyDead(), held.toString());
    assertEquals(before, read(db, "reader"), "the reader's snapshot still sees the old versions");
    ok(db.execute("reader", "commit"));
    ok(db.execute("vac", "vacuum t"));
    Vacuum.Report freed = db.vacuumReports().get(db.vacuumReports().size() - 1);
    assertEquals(20, freed.removed(), freed.toString());
    assertEquals(4, freed.live());
    assertEquals(1, freed.allVisiblePages());
  }

  @Test
  void vacuumNeverRemovesAVersionSomeSnapshotCanSee() {
    for (long seed = 1; seed <= 40; seed++) {
      Simulation sim = new Simulation(seed);
      SimRandom rnd = sim.random("workload");
      Database db = newDb(seed);
      Map<String, List<List<Object>>> seen = new LinkedHashMap<>();
      List<String> readers = new ArrayList<>();
      for (int step = 0; step < 60; step++) {
        int what = rnd.nextInt(6);
        String reader = "r" + rnd.nextInt(3);
        if (what == 0 && !readers.contains(reader)) {
          ok(db.execute(reader, "begin isolation level repeatable read"));
          seen.put(reader, read(db, reader));
          readers.add(reader);
        } else if (what == 1 && readers.contains(reader)) {
          ok(db.execute(reader, "commit"));
          readers.remove(reader);
          seen.remove(reader);
        } else if (what == 2) {
          ok(db.execute("vac", "vacuum" + (rnd.nextInt(4) == 0 ? " freeze" : "") + " t"));
        } else {
          int id = 1 + rnd.nextInt(6);
          String sql = switch (rnd.nextInt(3)) {
            case 0 -> "update t set v = v + 1 where id = " + id;
            case 1 -> "delete from t where id = " + id;
            default -> "insert into t values (" + (10 + step) + ", " + step + ")";
          };
          ok(db.execute("w", sql));
        }
        for (String r : readers) assertEquals(seen.get(r), read(db, r), "seed " + seed + " step " + step + " reader " + r);
      }
      for (String r : readers) ok(db.execute(r, "commit"));
      ok(db.execute("vac", "vacuum t"));
      Vacuum.Report last = db.vacuumReports().get(db.vacuumReports().size() - 1);
      assertEquals(0, last.recentlyDead(), "seed " + seed + ": nothing holds the horizon, everything dead goes: " + last);
    }
  }

  @Test
  void autovacuumTriggersAfterFiftyPlusTwentyPercentOfTuplesDie() {
    Database db = newDb(3);
    Table t = db.table("t");
    ok(db.execute("vac", "vacuum t"));
    assertEquals(4, t.relTuples);
    for (int i = 0; i < 12; i++) ok(db.execute("w", "update t set v = v + 1"));
    assertFalse(Vacuum.needsAutovacuum(t), "48 dead tuples <= 50 + 0.2 * 4");
    ok(db.execute("w", "update t set v = v + 1"));
    assertTrue(Vacuum.needsAutovacuum(t), "52 dead tuples > 50.8");
  }

  @Test
  void freedLinePointersAreReusedAndHotChainsKeepTheirRoot() {
    Database db = newDb(4);
    ok(db.execute("w", "update t set v = 1 where id = 1")); // HOT: (0,1) -> (0,5)
    ok(db.execute("w", "delete from t where id = 2"));
    ok(db.execute("vac", "vacuum t"));
    ok(db.execute("w", "insert into t values (9, 9)"));
    List<List<Object>> rows = ((Result.Rows) ok(db.execute("w", "select ctid, id from t where id in (1, 9)"))).rows();
    assertEquals(List.of(List.of("(0,5)", 1L), List.of("(0,2)", 9L)), rows, "id 1 through the redirect at (0,1); id 9 reuses (0,2)");
  }
}
