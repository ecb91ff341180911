package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Simulation;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.Snapshot;

/**
 * A hot standby counts an xid as running from its first replayed record until its commit or abort record
 * (KnownAssignedXids). When the primary crashes with a transaction open, no such record ever comes: the
 * restarted primary's end-of-recovery XLOG_CHECKPOINT_SHUTDOWN tells the standby nothing runs any more, and
 * the standby expires the xid (ExpireOldKnownAssignedTransactionIds), so its snapshots' xmin moves on and the
 * xid reads as aborted. Without that the xid would hold every standby snapshot (and, with
 * hot_standby_feedback, the primary's VACUUM) back forever.
 */
class KnownAssignedXidsTest {

  /** pg and its standby s1; session "open" inserts in a transaction it never ends; pg crashes at 2 s, back at 2.5 s. */
  static Simulation crashWithOpenTransaction(List<String> expiries) {
    Simulation sim = new Simulation(1);
    Replicas.cluster(sim, Replicas.settings(), "", "on", 0);
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, Durations.millis(50), n -> switch ((int) n) {
      case 0 -> new String[] {"c", "create table t (id int primary key)"};
      case 1 -> new String[] {"open", "begin"};
      case 2 -> new String[] {"open", "insert into t values (1)"};
      case 3 -> new String[] {"c", "insert into t values (2)"};
      default -> null;
    }));
    sim.trace().addListener(e -> {
      if (e.node().equals("s1") && e.kind().equals("pg.standby.expire")) expiries.add(e.detail());
    });
    sim.schedule(Durations.seconds(2), "crash pg", () -> sim.crash(Replicas.PG));
    sim.schedule(Durations.millis(2500), "restart pg", () -> sim.restart(Replicas.PG));
    return sim;
  }

  static Clog standbyClog(Simulation sim) {
    PostgresNode s1 = Replicas.node(sim, Replicas.S1);
    assertNotNull(s1, "s1 is up");
    return s1.receiver().replay().state().clog;
  }

  @Test
  void theRestartedPrimarysShutdownCheckpointExpiresTheXidTheCrashLeftOpen() {
    List<String> expiries = new ArrayList<>();
    Simulation sim = crashWithOpenTransaction(expiries);
    sim.runUntilTime(Durations.millis(1900));
    Clog before = standbyClog(sim);
    Snapshot held = before.takeSnapshot();
    int open = held.xmin();
    assertTrue(before.isInProgress(open), "s1 counts xid " + open + " (session open's insert) as running");
    assertTrue(held.xmax() != open, "a later commit moved xmax past it: " + held);

    sim.runUntilTime(Durations.seconds(8));
    Clog after = standbyClog(sim);
    Snapshot moved = after.takeSnapshot();
    assertTrue(sim.isUp(Replicas.PG), "pg restarted");
    assertEquals(Clog.Status.ABORTED, after.status(open), "xid " + open + " after the restart");
    assertTrue(moved.xmin() != open && !after.isInProgress(open), "s1's snapshot moved past xid " + open + ": " + moved);
    assertEquals(1, expiries.size(), "one expiry on s1: " + expiries);
    assertTrue(expiries.get(0).contains("XLOG CHECKPOINT_SHUTDOWN"), "the shutdown checkpoint expired it: " + expiries);
  }
}
