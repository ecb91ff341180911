package sim.core.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.example.register.RegisterScenarios;

/** The shared mutation proof: it passes for rules an invariant guards and fails for a rule nothing checks. */
class BreakBitesTest {
  private static final String TOOTHLESS = "example.toothless";

  /** The durable register, which also consults a rule that changes nothing. */
  private static final class Toothless implements Scenario {
    private final Scenario register = new RegisterScenarios.Register(true);

    @Override
    public String name() {
      return "example.toothless";
    }

    @Override
    public String summary() {
      return "the register, consulting a rule no check guards";
    }

    @Override
    public String explanation() {
      return summary();
    }

    @Override
    public String faultPlan() {
      return register.faultPlan();
    }

    @Override
    public long durationNanos() {
      return register.durationNanos();
    }

    @Override
    public void setup(Simulation sim) {
      sim.isBroken(TOOTHLESS); // consulted, so --break is accepted, and ignored
      register.setup(sim);
    }
  }

  @Test
  void theRegistersRulesBiteAndTheRunNamesTheBreak() {
    SimTesting.assertEveryBreakBites(new RegisterScenarios(), 1);
    RunResult r = SimTesting.assertBreakBites(new RegisterScenarios.Register(true), RegisterScenarios.ACK_BEFORE_BACKUP, 1);
    assertTrue(r.failed("acked-writes-on-backup"), r.describeFailure());
  }

  @Test
  void aRuleNoCheckGuardsFailsTheProofNamingIt() {
    ScenarioProvider toothless = new ScenarioProvider() {
      @Override
      public List<Scenario> scenarios() {
        return List.of(new Toothless());
      }

      @Override
      public List<BreakRule> breakRules() {
        return List.of(new BreakRule(TOOTHLESS, "example.toothless", "nothing: no model reads it"));
      }
    };
    AssertionError e = assertThrows(AssertionError.class, () -> SimTesting.assertEveryBreakBites(toothless, 3));
    assertTrue(e.getMessage().contains("--break " + TOOTHLESS + " failed no safety check of example.toothless in 3 seeds"), e.getMessage());
  }
}
