package sim.kafka.scenario;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.testing.SimTesting;

class ScratchRunTest {
  @Test
  void runAll() {
    String only = System.getProperty("only");
    for (long seed = Long.getLong("seed", 1); seed < Long.getLong("seed", 1) + Long.getLong("count", 1); seed++)
    for (Scenario s : new KafkaScenarios().scenarios()) {
      if (only != null && !s.name().contains(only)) continue;
      long t0 = System.nanoTime();
      RunResult r = Boolean.getBoolean("swarm") ? SimTesting.runUnderSwarm(s, seed) : SimTesting.run(s, seed);
      System.out.println("=== " + s.name() + " events " + r.events() + " ms " + (System.nanoTime() - t0) / 1_000_000);
      if (r.failure() != null) System.out.println(r.describeFailure());
      if (!r.ok()) System.out.println("NOT OK seed " + r.seed());
      for (CheckResult c : r.checks()) System.out.println("  " + c.render());
    }
  }
}
