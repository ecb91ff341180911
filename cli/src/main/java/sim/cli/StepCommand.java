package sim.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import sim.core.trace.EventFormat;
import sim.core.trace.NarrationFilter;
import sim.core.trace.Text;
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

  @Option(names = "--width", paramLabel = "COLS", description = "Wrap long details at this width (default: $COLUMNS, else 100; 0 for no wrapping).")
  Integer width;

  private Simulation sim;
  private Scenario scenario;
  private final List<TraceEvent> fresh = new ArrayList<>();
  private final TreeSet<String> breakpoints = new TreeSet<>();
  private long safetyEndNanos;
  private long livenessEndNanos;
  private boolean healed;
  private boolean finished;
  private boolean violated;
  private int errors;
  private RunOptions options;
  private EventFormat format;
  private KnownPoints known;
  private final Set<String> seenKinds = new TreeSet<>();
  private final HtmlOutput html = new HtmlOutput();
  private RunPlan plan;

  @Override
  public Integer call() throws IOException {
    scenario = Scenarios.find(scenarioName);
    options = RunOptions.seed(seed).withFaults(Scenarios.checkedFaults(faults)).withSwarm(swarm);
    plan = RunPlan.of(scenario, options);
    options = plan.options();
    int cols = Scenarios.width(width);
    format = EventFormat.forNodes(plan.nodes(), cols, true);
    sim = ScenarioRunner.prepare(scenario, options.withListeners(List.of(html.recording())));
    html.attach(sim);
    sim.trace().addListener(fresh::add);
    sim.trace().addListener(e -> seenKinds.add(e.kind()));
    safetyEndNanos = ScenarioRunner.safetyNanos(scenario, options);
    livenessEndNanos = safetyEndNanos + scenario.livenessNanos();
    plan.printHeader(out, "stepping ", cols);
    out.println("'help' lists the commands, this scenario's points and its nodes");
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
    if (errors > 0) err.println(errors + (errors == 1 ? " command" : " commands") + " failed in this session");
    return violated ? 1 : errors > 0 ? 2 : 0;
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
        case "break", "b" -> addBreakpoint(arg, false);
        case "break!", "b!" -> addBreakpoint(arg, true);
        case "delete" -> {
          if (arg.isEmpty()) breakpoints.clear(); else breakpoints.remove(arg);
          out.println("breakpoints: " + breakpoints);
        }
        case "breaks" -> out.println("breakpoints: " + breakpoints);
        case "state" -> state(arg);
        case "trace" -> {
          for (TraceEvent e : sim.trace().last(arg.isEmpty() ? 10 : positive(arg))) out.println(format.format(e));
        }
        case "time" -> out.println("t=" + Durations.format(sim.nowNanos()) + ", " + sim.eventsRun() + " steps run (kernel events: deliveries, timers, actions), "
            + sim.pendingEvents() + " pending, next at " + nextAt());
        case "crash", "restart", "pause", "resume", "partition", "block", "heal" -> fault(line);
        case "html" -> writeHtml(arg);
        default -> {
          if (verb.startsWith("\\")) inspect(verb.substring(1), arg);
          else throw new IllegalArgumentException("unknown command '" + verb + "'" + closeCommand(verb) + " (type 'help')");
        }
      }
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      errors++;
    }
    printFresh();
    return true;
  }

  private static final List<String> COMMANDS = List.of("next", "continue", "break", "break!", "breaks", "delete",
      "state", "trace", "time", "html", "crash", "restart", "pause", "resume", "partition", "block", "heal", "help", "quit");

  private static String closeCommand(String verb) {
    List<String> close = Text.closeNames(verb, COMMANDS, 2);
    return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
  }

  private void help() {
    KnownPoints k = known();
    String example = k.points().stream().findFirst().orElse("crash");
    String node = sim.nodeIds().isEmpty() ? "n1" : sim.nodeIds().get(0).name();
    out.println("""
        next [k]            run the next k steps (kernel events, default 1) and show everything they did
        continue            run until a breakpoint matches (or the run ends)
        break <what>        stop at a write-path point (%s), a kind (crash, fsync.done) or a node (%s);
                            a prefix stops at every point under it; a misspelt name is refused (break! forces)
        breaks | delete [x] list breakpoints | remove one (or all)
        state [node]        the model's state of one node, or of all
        trace [k]           the last k events (default 10)
        time                simulated time and queue
        html FILE           write the space-time diagram of the events so far to FILE (HTML)
        crash|restart|pause|resume <node>, partition a,b|c, block a->b, heal   inject a fault now
        \\<inspector> [args] a model's inspector""".formatted(example, node));
    for (Map.Entry<String, Simulation.Inspector> e : sim.inspectors().entrySet()) {
      out.printf("  \\%-17s %s%n", e.getKey(), e.getValue().help());
    }
    out.println("quit");
    int cols = format.width() <= 0 ? Scenarios.DEFAULT_WIDTH : format.width();
    out.println(Text.wrapped("points of " + scenario.name() + ": " + String.join(", ", k.points()), cols, "    "));
    out.println(Text.wrapped("nodes: " + String.join(", ", k.nodes()), cols, "    "));
    out.println(Text.wrapped("kernel kinds: " + String.join(", ", new TreeSet<>(KnownPoints.KERNEL_KINDS)), cols, "    "));
  }

  /** The names of this session, from a dry run of the same seed and faults (computed on first need). */
  private KnownPoints known() {
    if (known == null) known = KnownPoints.of(scenario, options);
    return known;
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
        out.println("breakpoint " + fresh.get(hit).kind() + " after " + (sim.eventsRun() - start) + " steps:");
        fresh.subList(0, hit).clear(); // show the matching event and what the same step did after it
        return;
      }
      fresh.clear();
    }
    out.println("ran " + (sim.eventsRun() - start) + " steps");
  }

  private int indexOfBreakpoint() {
    for (int i = 0; i < fresh.size(); i++) if (matches(fresh.get(i))) return i;
    return -1;
  }

  private boolean matches(TraceEvent e) {
    for (String b : breakpoints) {
      if (NarrationFilter.kindMatches(e.kind(), b) || e.node().equals(b)) return true;
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

  private void addBreakpoint(String what, boolean force) {
    if (what.isEmpty()) throw new IllegalArgumentException("break needs a point, kind or node name");
    if (!force && !known().knows(what, seenKinds)) {
      List<String> close = known().closeTo(what, seenKinds);
      if (!close.isEmpty()) {
        throw new IllegalArgumentException("no point, kind or node '" + what + "' in this run of " + scenario.name()
            + "; did you mean " + String.join(", ", close) + "? ('help' lists them; 'break! " + what + "' sets it anyway)");
      }
      out.println("note: no '" + what + "' in a dry run of this session (seed " + seed + ", the same faults): it matches only"
          + " if the faults you inject bring it about ('help' lists the points and nodes)");
    }
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

  private void writeHtml(String file) {
    if (file.isEmpty()) throw new IllegalArgumentException("html needs a file name, e.g. html run.html");
    String result = !finished ? "IN PROGRESS" : violated ? "VIOLATION" : "OK";
    try {
      html.write(java.nio.file.Path.of(file), plan, sim.trace().count(), sim.trace().hashHex(),
          Map.of("sim_ns", sim.nowNanos(), "result", result), out);
    } catch (Main.UsageError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
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
    for (TraceEvent e : fresh) out.println(format.format(e));
    fresh.clear();
  }
}
