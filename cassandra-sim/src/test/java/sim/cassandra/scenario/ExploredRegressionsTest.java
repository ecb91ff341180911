package sim.cassandra.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRegistry;
import sim.core.scenario.ScenarioRunner;

/** Plans exploration found violating a safety check; each now holds, and each excuse covers exactly its records. */
class ExploredRegressionsTest {
  private static RunResult replay(String scenario, long seed, String faults) {
    return ScenarioRunner.run(ScenarioRegistry.of(new CassandraScenarios().scenarios()).find(scenario).orElseThrow(),
        RunOptions.seed(seed).withFaults(faults));
  }

  /**
   * n2 is partitioned away when the rows are deleted, so it never holds the tombstones; n1 purges them after
   * gc_grace_seconds and a QUORUM read of n1 and n2 brings the rows back. The excuse used to count only the
   * replicas that were down at the acknowledgement (none here); it now judges by what each replica held.
   */
  @Test
  void aReplicaPartitionedAwayFromTheDeleteResurrectsTheRowsUnderGcGraceSeconds() {
    RunResult r = replay("cassandra.zombie-resurrection", 415, "at 7s partition n2|app,n1,n3; at 10s pause n3; at 10s heal");
    assertTrue(r.ok(), r.describeFailure());
    CheckResult c = r.check("cassandra.deleted-stays-deleted");
    assertTrue(c.expected(), c.render());
    assertEquals(List.of("k0", "k1", "k2", "k3"), List.copyOf(c.excuse().records()));
    assertTrue(c.render().contains("n2 held k0 without its tombstone after n1 had purged it"), c.render());
  }

  /**
   * n1 and n2 acknowledge the delete of k2 (the mutation to n3 is dropped) and both crash before their next
   * periodic commit log sync: the tombstone is gone from all but one replica (swarm seed 649). That is
   * commitlog_sync: periodic's loss, excused for exactly k2, not gc_grace_seconds'.
   */
  @Test
  void aDeleteLostInCrashesBeforeThePeriodicSyncIsExcusedByThatRule() {
    RunResult r = replay("cassandra.zombie-resurrection", 649,
        "at 5.5s crash n2; at 7s drop 0.1109997738234627; at 7s restart n2; at 9s crash n1; at 10s crash n2; at 20s restart n1");
    assertTrue(r.ok(), r.describeFailure());
    CheckResult c = r.check("cassandra.deleted-stays-deleted");
    assertTrue(c.expected(), c.render());
    assertEquals(List.of("k2"), List.copyOf(c.excuse().records()));
    assertTrue(c.render().contains("allowed by commitlog_sync: periodic"), c.render());
  }

  /** With no replica missing the delete, nothing comes back and nothing is excused. */
  @Test
  void withEveryReplicaHoldingTheTombstoneNothingIsExcused() {
    RunResult r = replay("cassandra.zombie-resurrection", 1, "");
    CheckResult c = r.check("cassandra.deleted-stays-deleted");
    assertTrue(c.ok() && !c.expected(), c.render());
    assertFalse(r.failed("cassandra.deleted-stays-deleted"), r.describeFailure());
  }
}
