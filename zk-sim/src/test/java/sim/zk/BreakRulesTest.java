package sim.zk;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.core.check.BreakRule;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.zk.scenario.ZkScenarios;

/**
 * The proof that the invariants bite: each rule ZooKeeper depends on, switched off with {@code --break},
 * makes a safety check fail in the scenario that shows it, under its own plan and under random faults.
 */
class BreakRulesTest {
  private static final ZkScenarios ZK = new ZkScenarios();

  static Stream<BreakRule> rules() {
    return ZK.breakRules().stream();
  }

  private static Scenario scenarioOf(BreakRule r) {
    return ZK.scenarios().stream().filter(s -> s.name().equals(r.scenario())).findFirst().orElseThrow();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void breakingTheRuleFailsASafetyCheckUnderTheScenariosPlan(BreakRule rule) {
    SimTesting.assertBreakBites(scenarioOf(rule), rule.name(), 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void randomFaultsFindTheBreakWithinThirtySeeds(BreakRule rule) {
    Scenario s = scenarioOf(rule);
    for (long seed = 1; seed <= 30; seed++) {
      RunResult r = ScenarioRunner.run(s, RunOptions.seed(seed).withSwarm(true).withBreaks(Set.of(rule.name())));
      if (!r.ok()) return;
    }
    fail("30 swarm seeds of " + s.name() + " with --break " + rule.name() + " found nothing");
  }
}
