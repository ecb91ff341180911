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

/** Every ZooKeeper lesson holds its safety checks and tells its story with its scripted faults, over many seeds. */
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

  /**
   * Under random faults every safety check holds in every lesson; a lesson whose story the faults changed
   * is "not demonstrated", never a violation.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void holdsUnderRandomFaults(Scenario scenario) {
    SimTesting.assertHoldsUnderSwarm(scenario, 1000, 25);
  }
}
