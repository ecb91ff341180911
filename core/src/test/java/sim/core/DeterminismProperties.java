package sim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import sim.core.scenario.DeterminismCheck;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimArbitraries;
import sim.example.register.RegisterScenarios;

class DeterminismProperties {
  private final RegisterScenarios.Register scenario = new RegisterScenarios.Register(true);

  @Property(tries = 100)
  void sameSeedAndPlanGiveTheSameTraceHash(@ForAll long seed, @ForAll("plans") String plan) {
    RunOptions options = RunOptions.seed(seed).withFaults(plan).withDuration(Durations.seconds(4));
    RunResult a = ScenarioRunner.run(scenario, options);
    RunResult b = ScenarioRunner.run(scenario, options);
    assertEquals(a.traceHash(), b.traceHash(), "seed " + seed + ", plan " + plan);
    assertEquals(a.events(), b.events());
  }

  @Provide
  Arbitrary<String> plans() {
    return SimArbitraries.faultPlans(List.of("primary", "backup"), Durations.seconds(4), 6);
  }

  @Test
  void differentSeedsGiveDifferentTraces() {
    long distinct = java.util.stream.LongStream.range(1, 21)
        .mapToObj(s -> ScenarioRunner.run(scenario, RunOptions.seed(s)).traceHash()).distinct().count();
    assertEquals(20, distinct, "20 seeds must give 20 different runs");
  }

  @Test
  void determinismCheckPassesForTheExampleUnderASwarm() {
    DeterminismCheck.Outcome o = DeterminismCheck.check(scenario, RunOptions.seed(11).withSwarm(true));
    assertTrue(o.deterministic(), o.describe());
  }

  @Test
  void determinismCheckNamesTheFirstDifferingEvent() {
    // A scenario that leaks identity hashes into its trace: exactly the bug the check exists to find.
    sim.core.scenario.Scenario leaky = new sim.core.scenario.Scenario() {
      public String name() { return "test.leaky"; }
      public String summary() { return "leaks an identity hash"; }
      public String explanation() { return summary(); }
      public long durationNanos() { return Durations.millis(10); }
      public void setup(Simulation sim) {
        sim.schedule(Durations.millis(1), "identity " + System.identityHashCode(new Object()), () -> {});
      }
    };
    DeterminismCheck.Outcome o = DeterminismCheck.check(leaky, RunOptions.seed(1));
    assertTrue(!o.deterministic(), o.describe());
    assertNotEquals(o.firstA().detail(), o.firstB().detail());
    assertTrue(o.describe().contains("first difference at event"), o.describe());
  }
}
