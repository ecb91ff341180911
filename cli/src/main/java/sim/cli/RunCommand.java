package sim.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import sim.core.trace.EventFormat;
import sim.core.trace.JsonlTraceWriter;
import sim.core.trace.NarrationFilter;
import sim.core.trace.Narrator;
import sim.core.trace.Text;
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

  @Option(names = "--html", paramLabel = "FILE", description = "Write the space-time diagram of the run to FILE: one self-contained HTML page.")
  Path htmlFile;

  @Option(names = "--quiet", description = "Print only the verdict.")
  boolean quiet;

  @Option(names = "--narrate", description = "Narrate the run (the default).")
  boolean narrate;

  @Option(names = "--verbose", description = "Narrate every event whole: each send, delivery and disk write, no folding of repeats, no shortening.")
  boolean verbose;

  @Option(names = "--only", split = ",", paramLabel = "KIND", description = "Narrate only these kinds or kind prefixes, e.g. --only kafka.leader,crash (plumbing too: --only deliver).")
  List<String> only;

  @Option(names = "--node", split = ",", paramLabel = "NODE", description = "Narrate only the events of these nodes ('sim' for the kernel's: phases, partitions).")
  List<String> nodes;

  @Option(names = "--from", paramLabel = "TIME", description = "Narrate from this simulated time on, e.g. 4s.")
  String from;

  @Option(names = "--until", paramLabel = "TIME", description = "Narrate up to this simulated time.")
  String until;

  @Option(names = "--width", paramLabel = "COLS", description = "Wrap prose and long details at this width (default: $COLUMNS, else 100; 0 for no wrapping).")
  Integer width;

  @Override
  public Integer call() throws IOException {
    if (quiet && (narrate || verbose)) throw new Main.UsageError("--quiet cannot be combined with --narrate or --verbose");
    Scenario scenario = Scenarios.find(scenarioName);
    RunOptions options = RunOptions.seed(seed).withFaults(Scenarios.checkedFaults(faults)).withSwarm(swarm)
        .withDuration(Scenarios.duration(duration)).withBreaks(Scenarios.breaks(breakRules));
    RunPlan plan = RunPlan.of(scenario, options);
    int cols = Scenarios.width(width);
    NarrationFilter filter = Scenarios.filter(only, nodes, from, until, plan.nodes());
    List<TraceListener> listeners = new ArrayList<>();
    Narrator narrator = null;
    if (!quiet) {
      EventFormat format = verbose ? EventFormat.forNodes(plan.nodes(), 0, false) : EventFormat.forNodes(plan.nodes(), cols, true);
      narrator = new Narrator(out, verbose, format, filter);
      listeners.add(narrator);
    }
    java.util.Set<String> kindsSeen = new java.util.TreeSet<>();
    if (!filter.only().isEmpty()) listeners.add(e -> kindsSeen.add(e.kind()));
    JsonlTraceWriter writer = null;
    if (traceFile != null) {
      writer = new JsonlTraceWriter(new BufferedOutputStream(Files.newOutputStream(traceFile)));
      writer.header(plan.traceHeader());
      listeners.add(writer);
    }
    HtmlOutput html = htmlFile == null ? null : new HtmlOutput();
    if (html != null) listeners.add(html.recording());
    if (!quiet) plan.printHeader(out, "", cols);
    RunResult result;
    try {
      result = ScenarioRunner.run(scenario, plan.options().withListeners(listeners), html == null ? sim -> {} : html::attach, sim -> {});
      if (narrator != null) narrator.finish();
      if (writer != null) writer.footer(result.traceHash(), footer(result));
    } finally {
      if (writer != null) writer.close();
    }
    if (html != null) html.write(htmlFile, plan, result.traceEvents(), result.traceHash(), footer(result), quiet ? err : out);
    for (String pattern : filter.only()) {
      if (kindsSeen.stream().anyMatch(k -> NarrationFilter.kindMatches(k, pattern))) continue;
      List<String> close = Text.closeNames(pattern, kindsSeen, 3);
      err.println("note: --only " + pattern + " matched no event of this run"
          + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?"));
    }
    return report(out, result, cols);
  }

  private static Map<String, Object> footer(RunResult r) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("sim_ns", r.simNanos());
    f.put("kernel_events", r.events());
    f.put("result", verdict(r));
    return f;
  }

  /** OK, FAILED (a final check) or VIOLATION (an invariant broke the run). */
  static String verdict(RunResult r) {
    return r.failure() != null ? "VIOLATION" : r.ok() ? "OK" : "FAILED";
  }

  static int report(PrintStream out, RunResult r, int width) {
    out.println();
    out.printf("%s seed %d: %d events, %s simulated, trace %s%n", r.scenario(), r.seed(), r.traceEvents(),
        Durations.format(r.simNanos()), r.traceHash());
    if (r.failure() != null) {
      out.println(r.failure().getMessage());
      out.println("result: VIOLATION");
      return 1;
    }
    for (CheckResult c : r.checks()) out.println(Text.wrapped("  " + c.render(), width, " ".repeat(11)));
    List<CheckResult> missing = r.checks().stream()
        .filter(c -> c.kind() == CheckResult.Kind.LESSON && (c.status() == CheckResult.Status.NOT_DEMONSTRATED || c.status() == CheckResult.Status.FAILED))
        .toList();
    for (CheckResult c : missing) {
      String why = c.status() == CheckResult.Status.FAILED
          ? " although it ran with the scenario's own faults: the story this scenario promises is missing"
          : ": these faults (not the scenario's own) did not produce it; that is not a failure";
      out.println(Text.wrapped("lesson " + c.name() + " did not happen in this run" + why, width, "  "));
    }
    if (!r.ok()) {
      out.println("replay: " + r.replayCommand());
      out.println("result: FAILED");
      return 1;
    }
    String lessons = missing.isEmpty() ? "" : "; " + missing.size() + (missing.size() == 1 ? " lesson" : " lessons") + " not demonstrated";
    out.println("result: OK" + (r.expectedAnomalies().isEmpty() ? "" : " (with anomalies this configuration allows)") + lessons);
    return 0;
  }
}
