package sim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRegistry;
import sim.core.testing.SimTesting;
import sim.example.register.RegisterScenarios;

class RegisterExampleTest {
  private final RegisterScenarios.Register durable = new RegisterScenarios.Register(true);
  private final RegisterScenarios.Register ackBeforeFsync = new RegisterScenarios.Register(false);

  @Test
  void durableRegisterLosesNoAcknowledgedWriteAcrossSeeds() {
    SimTesting.assertHoldsForSeeds(durable, 1, 30);
  }

  @Test
  void durableRegisterSurvivesRandomFaultSwarms() {
    SimTesting.assertHoldsUnderSwarm(durable, 100, 30);
  }

  @Test
  void ackingBeforeFsyncLosesAcknowledgedWritesAndSaysItIsExpected() {
    RunResult r = SimTesting.assertHolds(ackBeforeFsync, 7);
    CheckResult loss = r.check("acked-writes-survive");
    assertTrue(loss.expected(), "the crash at 3s must lose writes acked from the page cache: " + loss);
    assertFalse(loss.detail().contains(" 0 of them lost"), loss.detail());
  }

  @Test
  void examplesAreRegisteredForTheCli() {
    ScenarioRegistry registry = ScenarioRegistry.load();
    assertTrue(registry.find("example.register").isPresent());
    assertEquals(java.util.List.of("example.register"), registry.suggest("example.registr").subList(0, 1));
  }
}
