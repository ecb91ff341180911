package sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRegistry;
import sim.core.scenario.ScenarioRunner;

/**
 * Exploration runs seeds with a terse trace (message and timer types, not their contents). That must change
 * only the trace's words: for every scenario, the same seed under a swarm runs the same number of events to
 * the same verdicts either way.
 */
class TerseTraceTest {
  @TestFactory
  Stream<DynamicTest> aTerseTraceChangesNothingButTheWords() {
    return ScenarioRegistry.load().all().stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
      RunOptions options = RunOptions.seed(3).withSwarm(true);
      RunResult full = ScenarioRunner.run(s, options);
      RunResult terse = ScenarioRunner.run(s, options.withTerseTrace(true));
      assertEquals(full.events(), terse.events(), "events");
      assertEquals(full.simNanos(), terse.simNanos(), "simulated time");
      assertEquals(full.failedCheck(), terse.failedCheck(), "the failed check");
      assertEquals(full.checks().stream().map(CheckResult::render).toList(), terse.checks().stream().map(CheckResult::render).toList());
      assertNotEquals(full.traceHash(), terse.traceHash(), "the words differ, so the hash does");
    }));
  }
}
