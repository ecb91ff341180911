package sim.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.explore.Explorer;
import sim.core.scenario.InvalidRunOptionsException;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

@Command(name = "explore", description = {
    "Run many seeds with random faults. Stops only at a safety violation (or, under the scenario's own plan, a "
        + "failed lesson): prints the seed, the check, and a shrunk fault plan as a ready './sim run' command.",
    "Lessons the random faults kept from happening are counted, not failed; allowed anomalies are counted per excuse rule."})
final class ExploreCommand extends Main.Streams implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO", arity = "0..1", description = "A name from 'sim list' (or --all).")
  String scenarioName;

  @Option(names = "--all", description = "Explore every scenario, one after another (each with --seeds seeds).")
  boolean all;

  @Option(names = "--seeds", description = "How many seeds to run (default ${DEFAULT-VALUE}).")
  int seeds = 100;

  @Option(names = "--first-seed", description = "The first seed (default ${DEFAULT-VALUE}).")
  long firstSeed = 1;

  @Option(names = "--shard", paramLabel = "I/N", description = "Run only every N-th seed, starting with the I-th (1 <= I <= N): "
      + "N machines with shards 1/N .. N/N cover the seeds once, with no coordinator.")
  String shard;

  @Option(names = "--jobs", paramLabel = "N", description = "Threads to run seeds on (default ${DEFAULT-VALUE}; 0 = one per core). "
      + "The output does not depend on it.")
  int jobs = 1;

  @Option(names = "--no-swarm", description = "Only the scenario's own fault plan, no random faults.")
  boolean noSwarm;

  @Option(names = "--no-progress", description = "No progress bar on stderr.")
  boolean noProgress;

  @Option(names = "--for", paramLabel = "DURATION", description = "Length of each safety phase (simulated).")
  String duration;

  @Option(names = "--break", paramLabel = "RULE", description = "Switch off a real-system rule to see why it exists (repeatable; "
      + "'sim list --breaks'). With --all, the scenarios that never consult the rule are skipped.")
  List<String> breakRules;

  @Option(names = "--faults", paramLabel = "PLAN", description = "Fault plan instead of the scenario's, under every seed.")
  String faults;

  @Override
  public Integer call() {
    if (seeds <= 0) throw new Main.UsageError("--seeds must be positive, got " + seeds);
    if (jobs < 0) throw new Main.UsageError("--jobs must be 0 (one per core) or positive, got " + jobs);
    if (all == (scenarioName != null)) throw new Main.UsageError("explore takes one SCENARIO or --all");
    Explorer.Shard slice = shard();
    RunOptions options = RunOptions.seed(firstSeed).withFaults(Scenarios.checkedFaults(faults)).withSwarm(!noSwarm)
        .withDuration(Scenarios.duration(duration)).withBreaks(Scenarios.breaks(breakRules));
    int threads = jobs == 0 ? Runtime.getRuntime().availableProcessors() : jobs;
    ExploreProgress progress = new ExploreProgress(err, !noProgress, err == System.err && System.console() != null);
    ExploreRunner runner = new ExploreRunner(threads, progress);
    List<Scenario> scenarios = all ? ScenarioRegistry.load().all() : List.of(Scenarios.find(scenarioName));
    List<String> broke = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    long events = 0;
    int seedsRun = 0;
    for (Scenario s : scenarios) {
      Explorer.Report report;
      try {
        report = runner.explore(new Explorer.Request(s, options, firstSeed, seeds, slice));
      } catch (InvalidRunOptionsException e) {
        if (!all) throw e;
        progress.finish();
        skipped.add(s.name());
        continue;
      }
      progress.finish();
      for (String line : report.render()) out.println(line);
      events += report.tally().events();
      seedsRun += report.tally().seeds();
      if (!report.held()) broke.add(s.name() + " seed " + report.failure().seed() + " (" + report.failure().failedCheck() + ")");
    }
    if (all) summary(scenarios.size(), skipped, broke, seedsRun, events);
    return broke.isEmpty() ? 0 : 1;
  }

  private void summary(int count, List<String> skipped, List<String> broke, int seedsRun, long events) {
    out.println();
    if (!skipped.isEmpty()) {
      out.println("skipped " + skipped.size() + " scenarios that never consult " + String.join(", ", Set.copyOf(breakRules))
          + ": " + String.join(", ", skipped));
    }
    int explored = count - skipped.size();
    if (broke.isEmpty()) {
      out.printf("all %d scenarios held: %d seeds, %d events%n", explored, seedsRun, events);
    } else {
      out.printf("%d of %d scenarios broke (%d seeds, %d events):%n", broke.size(), explored, seedsRun, events);
      for (String b : broke) out.println("  " + b);
    }
  }

  private Explorer.Shard shard() {
    if (shard == null) return Explorer.Shard.ALL;
    try {
      return Explorer.Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError("--shard: " + e.getMessage());
    }
  }
}
