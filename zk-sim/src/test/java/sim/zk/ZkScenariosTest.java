package sim.zk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.core.scenario.DeterminismCheck;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.testing.SimTesting;
import sim.zk.scenario.ZkScenarios;

/** Every ZooKeeper lesson holds its invariants and final checks with its scripted faults, over many seeds. */
class ZkScenariosTest {
  static Stream<Scenario> scenarios() {
    List<Scenario> all = new ZkScenarios().scenarios();
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void holdsWithItsScriptedFaultsOverSeeds(Scenario scenario) {
    SimTesting.assertHoldsForSeeds(scenario, 1, 40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void sameSeedSameTrace(Scenario scenario) {
    DeterminismCheck.Outcome o = DeterminismCheck.check(scenario, RunOptions.seed(3).withSwarm(true));
    assertTrue(o.deterministic(), o.describe());
  }

  /** Lessons whose own checks do not depend on their scripted plan (the swarm replaces it). */
  static Stream<Scenario> swarmable() {
    List<String> names = List.of("zk.write-path", "zk.leader-crash", "zk.leader-crash-5", "zk.observer", "zk.partition-leader-minority",
        "zk.sync-diff", "zk.restart-from-snapshot", "zk.sync-read");
    return scenarios().filter(s -> names.contains(s.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("swarmable")
  void holdsUnderRandomFaults(Scenario scenario) {
    SimTesting.assertHoldsUnderSwarm(scenario, 1000, 25);
  }
}
