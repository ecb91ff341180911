package sim.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

@Command(name = "explore", description = "Run many seeds with random faults; stop at the first violation and print its replay command.")
final class ExploreCommand extends Main.Streams implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO")
  String scenarioName;

  @Option(names = "--seeds", description = "How many seeds to run (default ${DEFAULT-VALUE}).")
  int seeds = 100;

  @Option(names = "--first-seed", description = "The first seed (default ${DEFAULT-VALUE}).")
  long firstSeed = 1;

  @Option(names = "--no-swarm", description = "Only the scenario's own fault plan, no random faults.")
  boolean noSwarm;

  @Option(names = "--for", paramLabel = "DURATION", description = "Length of each safety phase (simulated).")
  String duration;

  @Option(names = "--break", paramLabel = "RULE", description = "Switch off a real-system rule to see why it exists (repeatable; 'sim list --breaks').")
  List<String> breakRules;

  @Option(names = "--faults", paramLabel = "PLAN", description = "Fault plan instead of the scenario's, under every seed.")
  String faults;

  @Override
  public Integer call() {
    if (seeds <= 0) throw new Main.UsageError("--seeds must be positive, got " + seeds);
    Scenario scenario = Scenarios.find(scenarioName);
    Long forNanos = Scenarios.duration(duration);
    String plan = Scenarios.checkedFaults(faults);
    java.util.Set<String> rules = Scenarios.breaks(breakRules);
    RunOptions options = RunOptions.seed(firstSeed).withFaults(plan).withSwarm(!noSwarm).withDuration(forNanos).withBreaks(rules);
    sim.core.explore.Explorer.Report report = sim.core.explore.Explorer.explore(
        new sim.core.explore.Explorer.Request(scenario, options, firstSeed, seeds, null), true);
    for (String line : report.render()) out.println(line);
    return report.held() ? 0 : 1;
  }

  private void progress(int done, int total) {
    int width = 30;
    int filled = done * width / total;
    err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total);
    err.flush();
  }
}
