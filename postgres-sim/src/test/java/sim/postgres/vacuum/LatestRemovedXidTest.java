package sim.postgres.vacuum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.postgres.engine.Database;
import sim.postgres.engine.HeapLog;
import sim.postgres.engine.SharedState;
import sim.postgres.heap.Table;
import sim.postgres.schedule.ScheduleRunner;

/**
 * The conflict horizon VACUUM's WAL record carries for hot standbys (xl_heap_prune's latestRemovedXid,
 * HeapTupleHeaderAdvanceLatestRemovedXid): the newest deleter of a removed version whose inserter committed;
 * versions of aborted inserters add nothing; a page newly all-visible adds its newest xmin (XLOG_HEAP2_VISIBLE).
 */
class LatestRemovedXidTest {
  final List<Integer> horizons = new ArrayList<>();
  final Database db = new Database(ScheduleRunner.clockOf(new Simulation(1)), new SharedState(), new HeapLog() {
    @Override
    public void vacuumed(Table table, int block, int conflictXid) {
      horizons.add(conflictXid);
    }
  });

  private int xidOf(String session, String sql) {
    db.execute(session, "begin");
    db.execute(session, sql);
    int xid = db.transactionOf(session).xid();
    db.execute(session, "commit");
    return xid;
  }

  @Test
  void theRecordCarriesTheNewestDeleterOfTheRemovedVersions() {
    db.execute("w", "create table t (id int primary key, v int)");
    xidOf("w", "insert into t values (1, 1), (2, 2), (3, 3)");
    int first = xidOf("w", "delete from t where id = 1");
    int second = xidOf("w", "delete from t where id = 2");
    db.execute("w", "vacuum t");
    assertEquals(List.of(second), horizons, "deleters " + first + " and " + second);
  }

  @Test
  void anAbortedInsertAddsNothingButTheAllVisiblePageAddsItsNewestXmin() {
    db.execute("w", "create table t (id int primary key, v int)");
    int inserter = xidOf("w", "insert into t values (1, 1)");
    db.execute("a", "begin");
    db.execute("a", "insert into t values (2, 2)");
    db.execute("a", "rollback");
    db.execute("w", "vacuum t");
    assertEquals(List.of(inserter), horizons);
  }
}
