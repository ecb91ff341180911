package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Simulation;

/**
 * max_standby_streaming_delay bounds how far replay may fall behind the WAL's receipt, not each wait: the
 * limit is XLogReceiptTime plus the delay, and XLogReceiptTime restarts only when the startup process reads
 * WAL from the walreceiver's latest chunk. A second conflict in WAL that arrived while replay waited for the
 * first therefore gets no fresh 30 s: its query is cancelled as soon as replay reaches it.
 */
class RecoveryConflictDelayTest {
  static final long TICK = Durations.millis(100);

  /** pg and s1; the client acts every 100 ms: q1 and q2 each hold a snapshot on s1 across a DELETE and VACUUM on pg. */
  static Simulation cluster(List<long[]> cancels) {
    Simulation sim = new Simulation(1);
    Replication primary = Replication.primary("", null);
    sim.addNode(Replicas.PG, () -> new PostgresNode(Replicas.settings().withReplication(primary)));
    sim.addNode(Replicas.S1, () -> new PostgresNode(Replicas.settings().withReplication(Replication.standby("s1", Replicas.PG, 0))));
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(Replicas.PG, TICK, n -> {
      if (n == 0) return new String[] {"w", "create table t (id int primary key, v int)"};
      if (n == 1) return new String[] {"w", "insert into t select g, g from generate_series(1, 100) g"};
      if (n == 20) return new String[] {"q1", "begin isolation level repeatable read", "s1"};
      if (n == 21) return new String[] {"q1", "select count(*) from t", "s1"};
      if (n == 22) return new String[] {"q1", "select pg_sleep(100)", "s1"};
      if (n == 23) return new String[] {"w", "delete from t where id <= 10"};
      if (n == 24) return new String[] {"w", "vacuum t"};
      if (n == 100) return new String[] {"q2", "begin isolation level repeatable read", "s1"};
      if (n == 101) return new String[] {"q2", "select count(*) from t", "s1"};
      if (n == 102) return new String[] {"q2", "select pg_sleep(100)", "s1"};
      if (n == 103) return new String[] {"w", "delete from t where id between 11 and 20"};
      if (n == 104) return new String[] {"w", "vacuum t"};
      return n < 600 ? new String[] {"w", "insert into t values (" + (1000 + n) + ", 0)"} : null; // WAL keeps coming
    }));
    sim.trace().addListener(e -> {
      if (e.node().equals("s1") && e.kind().equals("pg.standby.conflict.cancel")) {
        cancels.add(new long[] {e.attribute("session").equals("q1") ? 1 : 2, e.timeNanos()});
      }
    });
    return sim;
  }

  @Test
  void aConflictInWalThatPiledUpDuringAWaitIsCancelledAtOnce() {
    List<long[]> cancels = new ArrayList<>();
    Simulation sim = cluster(cancels);
    sim.runUntilTime(Durations.seconds(45));
    assertEquals(2, cancels.size(), "cancels: " + cancels.size());
    assertEquals(1, cancels.get(0)[0], "q1 first");
    assertEquals(2, cancels.get(1)[0], "then q2");
    long q1Vacuum = 24 * TICK + TICK; // the client's first tick is at 100 ms
    long first = cancels.get(0)[1];
    long second = cancels.get(1)[1];
    assertTrue(first - q1Vacuum >= Durations.seconds(30) - TICK, "q1 cancelled " + Durations.format(first - q1Vacuum) + " after its VACUUM");
    assertTrue(second - first < Durations.seconds(2), "q2 cancelled " + Durations.format(second - first) + " after q1, not 30 s later");
    PgClient c = sim.node(PgScenarios.CLIENT, PgClient.class);
    assertEquals(StandbyConflict.CANCELED, c.replies().get(22L).outcome());
    assertEquals(StandbyConflict.CANCELED, c.replies().get(102L).outcome());
  }
}
