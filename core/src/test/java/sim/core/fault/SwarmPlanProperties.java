package sim.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimArbitraries;
import sim.example.register.RegisterScenarios;

/** A swarm's strikes are a fault plan: each prints as plan text that parses back to it, and replays the same run. */
class SwarmPlanProperties {
  @Property(tries = 1000)
  void everyFaultPrintsAsPlanTextThatParsesBackToIt(@ForAll("faults") TimedFault fault) {
    FaultPlan parsed = FaultPlan.parse(fault.toString());
    assertEquals(List.of(fault), parsed.faults(), fault.toString());
  }

  @Provide
  Arbitrary<TimedFault> faults() {
    return SimArbitraries.timedFaults(List.of("n1", "n2", "primary"), Durations.seconds(60));
  }

  @Property(tries = 25)
  void aSwarmsStrikesReplayedAsAPlanWithoutTheSwarmGiveTheSameRun(@ForAll @LongRange(min = 1, max = 100_000) long seed) {
    var scenario = new RegisterScenarios.Register(true);
    RunResult swarm = ScenarioRunner.run(scenario, RunOptions.seed(seed).withSwarm(true));
    Assume.that(!swarm.swarmStrikes().isEmpty()); // its random gaps may outlast the run: e^-4 of the seeds
    assertEquals(swarm.swarmStrikes(), FaultPlan.parse(swarm.swarmStrikes().toString()), "the strikes print and parse back");
    RunResult plan = ScenarioRunner.run(scenario, RunOptions.seed(seed).withFaults(swarm.allFaults().toString()));
    assertEquals(swarm.events(), plan.events(), "the same events, one by one");
    assertEquals(swarm.failedCheck(), plan.failedCheck());
    assertEquals(swarm.checks().stream().map(CheckResult::render).toList(), plan.checks().stream().map(CheckResult::render).toList());
  }
}
