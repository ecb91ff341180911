package sim.cassandra.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.cassandra.cluster.CassandraNode;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;

/** Every Cassandra lesson tells its story over several seeds, holds its safety checks under random faults, and each break rule is caught. */
class CassandraScenariosTest {
  static Stream<Scenario> scenarios() {
    return new CassandraScenarios().scenarios().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void tellsItsStory(Scenario s) {
    SimTesting.assertHoldsForSeeds(s, 1, 3);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void safetyHoldsUnderRandomFaults(Scenario s) {
    SimTesting.assertHoldsUnderSwarm(s, 100, 4);
  }

  private static Scenario named(String name) {
    return ScenarioRegistry.of(new CassandraScenarios().scenarios()).find(name).orElseThrow();
  }

  private static void breakIsCaught(String scenario, String rule, String check) {
    boolean caught = false;
    StringBuilder seen = new StringBuilder();
    for (long seed = 1; seed <= 3 && !caught; seed++) {
      RunResult r = ScenarioRunner.run(named(scenario), RunOptions.seed(seed).withBreaks(Set.of(rule)));
      if (r.failure() != null && r.failure().invariant().equals(check)) caught = true;
      for (CheckResult c : r.checks()) if (c.name().equals(check) && c.status() == CheckResult.Status.FAILED && c.kind() == CheckResult.Kind.SAFETY) caught = true;
      seen.append("\n seed ").append(seed).append(": ").append(r.checks());
    }
    assertTrue(caught, "--break " + rule + " should fail the safety check " + check + seen);
  }

  @Test
  void ackBeforeCommitLogLosesAcknowledgedWrites() {
    breakIsCaught("cassandra.commitlog-batch-durable", CassandraNode.BREAK_ACK_BEFORE_COMMITLOG, "cassandra.acked-writes-readable");
  }

  @Test
  void readingOneReplicaForQuorumMissesWrites() {
    breakIsCaught("cassandra.consistency-levels", CassandraNode.BREAK_READ_ONE, "cassandra.acked-writes-readable");
  }

  @Test
  void ignoringTheTombstoneTieLeavesReplicasDisagreeing() {
    breakIsCaught("cassandra.lww-tombstone-tie", CassandraNode.BREAK_TOMBSTONE_TIE, "cassandra.replicas-agree-on-ties");
  }

  @Test
  void periodicSyncLossIsExcusedExactly() {
    RunResult r = SimTesting.assertHolds(named("cassandra.commitlog-periodic-loss"), 1);
    assertTrue(r.check("cassandra.acked-writes-readable").expected(), r.check("cassandra.acked-writes-readable").render());
    assertFalse(r.check("cassandra.acked-writes-readable").excuse().records().isEmpty());
  }
}
