package sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.scenario.DeterminismCheck;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;

@Command(name = "check-determinism", description = "Run each seed twice and compare the traces event by event.")
final class CheckDeterminismCommand extends Main.Streams implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO")
  String scenarioName;

  @Option(names = "--seeds", description = "How many seeds (default ${DEFAULT-VALUE}).")
  int seeds = 10;

  @Option(names = "--first-seed", description = "The first seed (default ${DEFAULT-VALUE}).")
  long firstSeed = 1;

  @Option(names = "--swarm", description = "Add random faults drawn from the seed.")
  boolean swarm;

  @Override
  public Integer call() {
    if (seeds <= 0) throw new Main.UsageError("--seeds must be positive, got " + seeds);
    Scenario scenario = Scenarios.find(scenarioName);
    for (int i = 0; i < seeds; i++) {
      long seed = firstSeed + i;
      DeterminismCheck.Outcome o = DeterminismCheck.check(scenario, RunOptions.seed(seed).withSwarm(swarm));
      out.println("seed " + seed + ": " + o.describe());
      if (!o.deterministic()) return 1;
    }
    return 0;
  }
}
