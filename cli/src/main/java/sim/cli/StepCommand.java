package sim.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.Durations;
import sim.core.Node;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.check.SimulationFailure;
import sim.core.fault.FaultPlan;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;

@Command(name = "step", description = "Step through a scenario one event at a time (commands on stdin; 'help' lists them).")
final class StepCommand extends Main.Streams implements Callable<Integer> {
  private static final int MAX_CONTINUE_EVENTS = 50_000_000;

  @Parameters(index = "0", paramLabel = "SCENARIO")
  String scenarioName;

  @Option(names = "--seed", description = "Root seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--faults", paramLabel = "PLAN", description = "Fault plan instead of the scenario's.")
  String faults;

  @Option(names = "--swarm", description = "Add random faults drawn from the seed.")
  boolean swarm;

  private Simulation sim;
  private Scenario scenario;
  private final List<TraceEvent> fresh = new ArrayList<>();
  private final TreeSet<String> breakpoints = new TreeSet<>();
  private long safetyEndNanos;
  private long livenessEndNanos;
  private boolean healed;
  private boolean finished;
  private boolean violated;

  @Override
  public Integer call() throws IOException {
    scenario = Scenarios.find(scenarioName);
    RunOptions options = RunOptions.seed(seed).withFaults(Scenarios.checkedFaults(faults)).withSwarm(swarm);
    sim = ScenarioRunner.prepare(scenario, options);
    sim.trace().addListener(fresh::add);
    safetyEndNanos = ScenarioRunner.safetyNanos(scenario, options);
    livenessEndNanos = safetyEndNanos + scenario.livenessNanos();
    out.println("== stepping " + scenario.name() + " (seed " + seed + "); 'help' lists commands");
    out.println(scenario.explanation());
    printFresh();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    while (true) {
      out.print("sim> ");
      out.flush();
      String line = reader.readLine();
      if (line == null) break;
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      if (!command(line)) break;
    }
    out.println();
    return violated ? 1 : 0;
  }

  /** Runs one command; false means quit. */
  private boolean command(String line) {
    String[] words = line.split("\\s+", 2);
    String verb = words[0].toLowerCase(Locale.ROOT);
    String arg = words.length > 1 ? words[1].strip() : "";
    try {
      switch (verb) {
        case "quit", "exit", "q" -> {
          return false;
        }
        case "help", "h", "?" -> help();
        case "next", "n", "s" -> next(arg.isEmpty() ? 1 : positive(arg));
        case "continue", "c" -> continueToBreakpoint();
        case "break", "b" -> addBreakpoint(arg);
        case "delete" -> {
          if (arg.isEmpty()) breakpoints.clear(); else breakpoints.remove(arg);
          out.println("breakpoints: " + breakpoints);
        }
        case "breaks" -> out.println("breakpoints: " + breakpoints);
        case "state" -> state(arg);
        case "trace" -> {
          for (TraceEvent e : sim.trace().last(arg.isEmpty() ? 10 : positive(arg))) out.println(e.narrate());
        }
        case "time" -> out.println("t=" + Durations.format(sim.nowNanos()) + ", " + sim.eventsRun() + " events run, "
            + sim.pendingEvents() + " pending, next at " + nextAt());
        case "crash", "restart", "pause", "resume", "partition", "block", "heal" -> fault(line);
        default -> {
          if (verb.startsWith("\\")) inspect(verb.substring(1), arg);
          else out.println("unknown command '" + verb + "' (type 'help')");
        }
      }
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
    }
    printFresh();
    return true;
  }

  private void help() {
    out.println("""
        next [k]            run the next k events (default 1) and show everything they did
        continue            run until a breakpoint matches (or the run ends)
        break <what>        stop at a write-path point (kafka.leader.append), a kind (crash) or a node (n1)
        breaks | delete [x] list breakpoints | remove one (or all)
        state [node]        the model's state of one node, or of all
        trace [k]           the last k events (default 10)
        time                simulated time and queue
        crash|restart|pause|resume <node>, partition a,b|c, block a->b, heal   inject a fault now
        \\<inspector> [args] a model's inspector""");
    for (Map.Entry<String, Simulation.Inspector> e : sim.inspectors().entrySet()) {
      out.printf("  \\%-17s %s%n", e.getKey(), e.getValue().help());
    }
    out.println("        quit");
  }

  private void next(int k) {
    for (int i = 0; i < k && !finished; i++) {
      stepOne();
      if (i < k - 1) printFresh();
    }
  }

  private void continueToBreakpoint() {
    if (breakpoints.isEmpty()) out.println("(no breakpoints: running to the end)");
    long start = sim.eventsRun();
    for (int i = 0; i < MAX_CONTINUE_EVENTS && !finished; i++) {
      stepOne();
      int hit = indexOfBreakpoint();
      if (hit >= 0) {
        out.println("breakpoint " + fresh.get(hit).kind() + " after " + (sim.eventsRun() - start) + " events:");
        fresh.subList(0, hit).clear(); // show the matching event and what the same step did after it
        return;
      }
      fresh.clear();
    }
    out.println("ran " + (sim.eventsRun() - start) + " events");
  }

  private int indexOfBreakpoint() {
    for (int i = 0; i < fresh.size(); i++) if (matches(fresh.get(i))) return i;
    return -1;
  }

  private boolean matches(TraceEvent e) {
    for (String b : breakpoints) {
      if (e.kind().equals(b) || e.kind().startsWith(b + ".") || e.node().equals(b)) return true;
    }
    return false;
  }

  /** One kernel event, or the move to the next phase when the current one is over. */
  private void stepOne() {
    if (finished) return;
    try {
      long next = sim.nextEventTimeNanos();
      if (!healed && next > safetyEndNanos) {
        sim.runUntilTime(safetyEndNanos);
        ScenarioRunner.healEverything(sim);
        healed = true;
        return;
      }
      if (healed && next > livenessEndNanos) {
        sim.runUntilTime(livenessEndNanos);
        finish();
        return;
      }
      sim.step();
    } catch (SimulationFailure f) {
      printFresh();
      out.println(f.getMessage());
      violated = true;
      finished = true;
    }
  }

  private void finish() {
    finished = true;
    printFresh();
    out.println("run finished at " + Durations.format(sim.nowNanos()) + "; final checks:");
    for (CheckResult c : sim.runFinalChecks()) {
      out.println("  " + c.render());
      if (!c.ok()) violated = true;
    }
    fresh.clear();
  }

  private void addBreakpoint(String what) {
    if (what.isEmpty()) throw new IllegalArgumentException("break needs a point, kind or node name");
    breakpoints.add(what);
    out.println("breakpoints: " + breakpoints);
  }

  private void state(String node) {
    List<NodeId> ids = node.isEmpty() ? sim.nodeIds() : List.of(NodeId.of(node));
    for (NodeId id : ids) {
      if (!sim.hasNode(id)) throw new IllegalArgumentException("no node " + id + " (nodes: " + sim.nodeIds() + ")");
      Node n = sim.node(id);
      String status = n == null ? "CRASHED" : sim.isPaused(id) ? "PAUSED" : "up";
      out.println(id + " [" + status + "] " + (n == null ? "" : n.describeState()));
    }
    if (node.isEmpty()) out.println("network: " + sim.network().describe());
  }

  private void fault(String line) {
    FaultPlan.parse("at 0s " + line).faults().get(0).action().apply(sim);
  }

  private void inspect(String name, String arg) {
    Simulation.Inspector inspector = sim.inspectors().get(name);
    if (inspector == null) {
      throw new IllegalArgumentException("no inspector \\" + name + " in this scenario (have: " + sim.inspectors().keySet() + ")");
    }
    out.println(inspector.show().apply(arg));
  }

  private String nextAt() {
    long t = sim.nextEventTimeNanos();
    return t == Long.MAX_VALUE ? "never" : Durations.format(t);
  }

  private static int positive(String text) {
    try {
      int k = Integer.parseInt(text);
      if (k <= 0) throw new NumberFormatException();
      return k;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a positive number, got '" + text + "'");
    }
  }

  private void printFresh() {
    for (TraceEvent e : fresh) out.println(e.narrate());
    fresh.clear();
  }
}
