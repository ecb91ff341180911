package sim.cassandra.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.cassandra.cluster.CassandraNode;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
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
    RunResult r = SimTesting.assertBreakBites(named(scenario), rule, 3);
    assertTrue(r.failed(check), "--break " + rule + " should fail the safety check " + check + ": " + r.describeFailure());
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
