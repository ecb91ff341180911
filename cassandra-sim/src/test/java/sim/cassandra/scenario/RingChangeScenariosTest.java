package sim.cassandra.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.cassandra.cluster.CassandraNode;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.testing.SimTesting;

/**
 * Bootstrap and decommission over many seeds: the range movement's lessons happen under the scenario's
 * plan, acknowledged writes stay readable during and after the movement (also under random faults), and
 * fetching ranges from a replica that keeps them (no consistent range movement) loses acknowledged writes.
 */
class RingChangeScenariosTest {
  private static Scenario named(String name) {
    return ScenarioRegistry.of(new CassandraScenarios().scenarios()).find(name).orElseThrow();
  }

  @Test
  void bootstrapStreamsAndKeepsAcknowledgedWritesOverManySeeds() {
    SimTesting.assertHoldsForSeeds(named("cassandra.bootstrap-node"), 1, 30);
  }

  @Test
  void decommissionStreamsAndKeepsAcknowledgedWritesOverManySeeds() {
    SimTesting.assertHoldsForSeeds(named("cassandra.decommission-node"), 1, 30);
  }

  @Test
  void bootstrapHoldsUnderRandomFaults() {
    SimTesting.assertHoldsUnderSwarm(named("cassandra.bootstrap-node"), 1, 20);
  }

  @Test
  void decommissionHoldsUnderRandomFaults() {
    SimTesting.assertHoldsUnderSwarm(named("cassandra.decommission-node"), 1, 20);
  }

  @Test
  void theLessonChecksSeeEveryTransition() {
    RunResult boot = SimTesting.assertHolds(named("cassandra.bootstrap-node"), 1);
    assertTrue(boot.check("cassandra.bootstrap-status-transitions").render().contains("[n1, n2, n3, n4]"), boot.check("cassandra.bootstrap-status-transitions").render());
    RunResult leave = SimTesting.assertHolds(named("cassandra.decommission-node"), 1);
    assertTrue(leave.check("cassandra.n4-decommissioned").render().contains("DECOMMISSIONED"), leave.check("cassandra.n4-decommissioned").render());
  }

  @Test
  void inconsistentRangeMovementMissesAcknowledgedWrites() {
    RunResult r = SimTesting.assertBreakBites(named("cassandra.bootstrap-node"), CassandraNode.BREAK_INCONSISTENT_RANGE_MOVEMENT, 3);
    assertTrue(r.failed("cassandra.acked-writes-readable"), r.describeFailure());
    assertEquals(1, r.checks().stream().filter(c -> c.name().equals("cassandra.acked-writes-readable")).count());
  }
}
