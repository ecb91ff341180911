package sim.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.JsonlTraceWriter;
import sim.core.trace.Narrator;
import sim.core.trace.TraceListener;

@Command(name = "run", description = "Run a scenario: narrate the write path and the faults, then judge it.")
final class RunCommand extends Main.Streams implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO", description = "A name from 'sim list'.")
  String scenarioName;

  @Option(names = "--seed", description = "Root seed; the same seed replays the same run (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--break", paramLabel = "RULE", description = "Switch off a real-system rule to see why it exists (repeatable; 'sim list --breaks').")
  List<String> breakRules;

  @Option(names = "--faults", paramLabel = "PLAN", description = "Fault plan instead of the scenario's, e.g. \"at 5s crash n2; at 9s heal\" ('' for none).")
  String faults;

  @Option(names = "--swarm", description = "Add random faults drawn from the seed during the safety phase.")
  boolean swarm;

  @Option(names = "--for", paramLabel = "DURATION", description = "Length of the safety phase (simulated), e.g. 30s.")
  String duration;

  @Option(names = "--trace", paramLabel = "FILE", description = "Write every event as JSON lines to FILE.")
  Path traceFile;

  @Option(names = "--quiet", description = "Print only the verdict.")
  boolean quiet;

  @Option(names = "--narrate", description = "Narrate the run (the default).")
  boolean narrate;

  @Option(names = "--verbose", description = "Narrate every event, including each send, delivery and disk write.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (quiet && (narrate || verbose)) throw new Main.UsageError("--quiet cannot be combined with --narrate or --verbose");
    Scenario scenario = Scenarios.find(scenarioName);
    RunOptions options = RunOptions.seed(seed).withFaults(Scenarios.checkedFaults(faults)).withSwarm(swarm)
        .withDuration(Scenarios.duration(duration)).withBreaks(Scenarios.breaks(breakRules));
    List<TraceListener> listeners = new ArrayList<>();
    if (!quiet) listeners.add(new Narrator(out, verbose));
    JsonlTraceWriter writer = null;
    OutputStream file = null;
    if (traceFile != null) {
      file = new BufferedOutputStream(Files.newOutputStream(traceFile));
      writer = new JsonlTraceWriter(file);
      listeners.add(writer);
    }
    if (!quiet) {
      out.println("== " + scenario.name() + " (seed " + seed + ")");
      out.println(scenario.explanation());
      out.println();
    }
    RunResult result;
    try {
      result = ScenarioRunner.run(scenario, options.withListeners(listeners));
    } finally {
      if (writer != null) writer.close();
    }
    return report(out, result);
  }

  static int report(java.io.PrintStream out, RunResult r) {
    out.println();
    out.printf("%s seed %d: %d events, %s simulated, trace %s%n", r.scenario(), r.seed(), r.events(),
        Durations.format(r.simNanos()), r.traceHash());
    if (r.failure() != null) {
      out.println(r.failure().getMessage());
      out.println("result: VIOLATION");
      return 1;
    }
    for (CheckResult c : r.checks()) out.println("  " + c.render());
    if (!r.ok()) {
      out.println("replay: " + r.replayCommand());
      out.println("result: FAILED");
      return 1;
    }
    out.println("result: OK" + (r.expectedAnomalies().isEmpty() ? "" : " (with anomalies this configuration allows)"));
    return 0;
  }
}
