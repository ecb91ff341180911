package sim.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.fault.FaultPlan;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.Text;
import sim.core.trace.Versions;

/**
 * A run about to start, checked before anything is printed: the scenario's nodes (from a setup that runs
 * nothing), the fault plan in force (the scenario's or the user's) checked to be able to act, the breaks.
 * Every mistake is a usage error here, before the header.
 */
record RunPlan(Scenario scenario, RunOptions options, List<String> nodes, FaultPlan faults, boolean userFaults,
    long faultPhaseNanos, FaultPlan notReached) {

  static RunPlan of(Scenario scenario, RunOptions options) {
    // Setup only: nodes start, nothing runs. It also refuses a --break the scenario never consults.
    Simulation probe = ScenarioRunner.prepare(scenario, options.withFaults("").withSwarm(false).withListeners(List.of()));
    List<NodeId> ids = probe.nodeIds();
    boolean user = options.faultPlan() != null && !options.faultPlan().equals(scenario.faultPlan());
    String text = options.faultPlan() == null ? scenario.faultPlan() : options.faultPlan();
    long end = ScenarioRunner.safetyNanos(scenario, options);
    FaultPlan plan;
    try {
      // The user's items must all act; the scenario's own plan, cut short by --for, loses its later items.
      plan = FaultPlan.parseFor(text, ids, user ? end : Long.MAX_VALUE, options.swarm());
    } catch (IllegalArgumentException e) {
      String whose = user ? "--faults: " : "the scenario's own fault plan (a bug in " + scenario.name() + "): ";
      throw new Main.UsageError(whose + e.getMessage());
    }
    FaultPlan inForce = new FaultPlan(plan.faults().stream().filter(f -> f.atNanos() <= end).toList());
    FaultPlan cut = new FaultPlan(plan.faults().stream().filter(f -> f.atNanos() > end).toList());
    // A cut plan is no longer the scenario's story: run it as an explicit plan, so lessons are judged
    // "not demonstrated" and the replay command carries it.
    RunOptions effective = cut.isEmpty() ? options : options.withFaults(inForce.toString());
    return new RunPlan(scenario, effective, ids.stream().map(NodeId::name).toList(), inForce, user, end, cut);
  }

  /** "faults: … (the scenario's plan)", swarm, breaks and phases: what is in force for this run. */
  void printHeader(PrintStream out, String verb, int width) {
    out.println("== " + verb + scenario.name() + " (seed " + options.seed() + ")");
    for (String line : headerLines()) out.println(Text.wrapped(line, width, "        "));
    out.println(Text.wrapped(scenario.explanation(), width, ""));
    out.println();
  }

  List<String> headerLines() {
    List<String> lines = new java.util.ArrayList<>();
    String mine = scenario.faultPlan().isBlank() ? "none" : FaultPlan.parse(scenario.faultPlan()).toString();
    if (!userFaults && !notReached.isEmpty()) {
      lines.add("faults: " + (faults.isEmpty() ? "none" : faults.toString()) + " (the scenario's plan, cut at "
          + Durations.format(faultPhaseNanos) + " by --for: " + notReached + " not reached)");
    } else if (!userFaults) {
      lines.add("faults: " + (faults.isEmpty() ? "none (the scenario has no fault plan)" : faults + " (the scenario's plan)"));
    } else {
      lines.add("faults: " + (faults.isEmpty() ? "none" : faults.toString()) + " (--faults, instead of the scenario's: " + mine + ")");
    }
    if (options.swarm()) lines.add("        + random faults drawn from the seed until " + Durations.format(faultPhaseNanos) + " (--swarm)");
    if (!options.breaks().isEmpty()) {
      lines.add("breaks: " + String.join(", ", options.sortedBreaks()) + " (switched off for this run: --break)");
    }
    lines.add("phases: " + Durations.format(faultPhaseNanos) + " with faults, then " + Durations.format(scenario.livenessNanos())
        + " with every fault healed and every node up");
    return lines;
  }

  /** The first line of a {@code --trace} file: what was run, by which simulator. */
  Map<String, Object> traceHeader() {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("schema", 1);
    h.put("scenario", scenario.name());
    h.put("seed", options.seed());
    h.put("fault_plan", faults.toString());
    h.put("fault_plan_source", userFaults ? "user" : notReached.isEmpty() ? "scenario" : "scenario-cut");
    h.put("swarm", options.swarm());
    h.put("breaks", options.sortedBreaks());
    h.put("fault_phase_ns", faultPhaseNanos);
    h.put("liveness_ns", scenario.livenessNanos());
    h.put("nodes", nodes);
    h.put("simulator", "internals-sim");
    h.put("simulator_version", Versions.simulator());
    h.put("module", Versions.module(scenario.getClass()));
    h.put("module_version", Versions.moduleVersion(scenario.getClass()));
    h.put("replay", ScenarioRunner.replayCommand(scenario, options));
    return h;
  }
}
