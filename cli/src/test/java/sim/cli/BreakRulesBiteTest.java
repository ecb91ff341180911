package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.check.BreakRule;
import sim.core.explore.Shrinker;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.testing.SimTesting;

/**
 * The mutation proof, for every rule any module offers: with the rule switched off, exploring its scenario
 * finds a failure within a few swarm seeds, shrinks it to a handful of fault events, and the printed
 * {@code ./sim run} command (no {@code --swarm}) fails the same check again. A rule whose break nothing
 * catches means an invariant that does not bite.
 */
class BreakRulesBiteTest {
  /** Swarm seeds explore may take to find the break. */
  static final int MAX_SEEDS = 30;
  /**
   * Rules whose story random faults rarely leave intact, with the seeds they may take instead. KIP-890's break
   * needs a produce request stalled past its transaction's abort to arrive at a leader that still leads; swarm's
   * crashes and partitions usually move the leader or stop the transaction first (found at seed 48 on 4a272fa).
   */
  static final java.util.Map<String, Integer> MAX_SEEDS_FOR = java.util.Map.of("kafka.txn-verification-skipped", 60);
  /** "A handful": fault events the shrunk plan may keep. */
  static final int MAX_FAULT_EVENTS = 6;

  @TestFactory
  Stream<DynamicTest> everyBreakRuleIsFoundAndShrunk() {
    ScenarioRegistry registry = ScenarioRegistry.load();
    List<BreakRule> rules = registry.breakRules();
    assertTrue(rules.size() >= 2, "the register example offers two rules at least: " + rules);
    return rules.stream().map(rule -> DynamicTest.dynamicTest(rule.name() + " in " + rule.scenario(), () -> {
      Scenario scenario = registry.find(rule.scenario()).orElseThrow();
      int seeds = MAX_SEEDS_FOR.getOrDefault(rule.name(), MAX_SEEDS);
      Shrinker.Shrunk shrunk = SimTesting.assertExploreFinds(scenario, Set.of(rule.name()), seeds, MAX_FAULT_EVENTS);
      String command = shrunk.command();
      assertFalse(command.contains("--swarm"), command);
      assertTrue(command.contains("--break " + rule.name()), command);
      MainTest.Outcome replay = MainTest.sim("", replayArgs(command));
      assertEquals(1, replay.exit(), command + " fails again from the command line:\n" + replay.out() + replay.err());
      assertTrue(replay.out().contains(shrunk.check()), command + " names " + shrunk.check() + ":\n" + replay.out());
    }));
  }

  private static String[] replayArgs(String command) {
    return ExploreCommandTest.replayArgs("replay: " + command + " --quiet");
  }
}
