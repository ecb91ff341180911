package sim.lab.server;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.fault.FaultAction;
import sim.core.fault.FaultPlan;
import sim.core.fault.TimedFault;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.KernelKinds;
import sim.core.trace.NarrationFilter;
import sim.core.trace.TraceEvent;
import sim.lab.diagram.DiagramJson;
import sim.lab.diagram.Recording;

/**
 * One learner's session in the lab: a scenario and seed, the fault plan built from their clicks, and the
 * {@link Timeline} that plan gives. Every action becomes a plan item and the session re-runs seed + plan to
 * the point where the action takes effect, so what the lab shows is what {@code ./sim run} replays, hash for
 * hash. Rewinding re-runs the same plan to an earlier event; an action taken there branches: the plan's later
 * items (the old future) are dropped.
 *
 * <p>Threads live here, at the edge: the simulation runs only on the session's own single thread; HTTP
 * handlers hand it work through {@link #call} and wait.
 */
final class LabSession {
  private static final long CALL_TIMEOUT_SECONDS = 120;
  /** Play ticks this often (wall clock, the lab's only use of it). */
  static final long TICK_MILLIS = 50;

  final String id;
  final Scenario scenario;
  final long seed;
  final Set<String> breaks;
  private final ScheduledExecutorService worker;
  private Timeline timeline;
  private int epoch;
  private String notice = "";
  private ScheduledFuture<?> playing;
  private double speed = 20;
  private double credit;
  private final Object changed = new Object();
  private long version;
  volatile long lastUsedMillis = System.currentTimeMillis();

  LabSession(String id, Scenario scenario, long seed, String faults, Set<String> breaks) {
    this.id = id;
    this.scenario = scenario;
    this.seed = seed;
    this.breaks = Set.copyOf(breaks);
    this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lab-session-" + id);
      t.setDaemon(true);
      return t;
    });
    call(() -> {
      if (faults != null) validate(faults);
      timeline = new Timeline(scenario, seed, faults, this.breaks);
      return null;
    });
  }

  /** Runs {@code work} on the session's thread and waits for it; a refusal keeps its status. */
  <T> T call(Callable<T> work) {
    lastUsedMillis = System.currentTimeMillis();
    try {
      return worker.submit(work).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw LabError.notFound("session " + id + " was closed; start a new one");
    } catch (ExecutionException e) {
      bump();
      if (e.getCause() instanceof LabError le) throw le;
      if (e.getCause() instanceof IllegalArgumentException iae) throw LabError.bad(iae.getMessage());
      throw new IllegalStateException("session " + id + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new LabError(503, "session " + id + " is busy (over " + CALL_TIMEOUT_SECONDS + "s); try again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabError(503, "interrupted");
    }
  }

  void close() {
    worker.shutdownNow();
  }

  // ---- change notification (for the event stream) ----

  private void bump() {
    synchronized (changed) {
      version++;
      changed.notifyAll();
    }
  }

  long version() {
    synchronized (changed) {
      return version;
    }
  }

  /** Waits until the session changed after {@code seen} (or the timeout passed); returns the new version. */
  long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
    synchronized (changed) {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (version == seen) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) break;
        changed.wait(left);
      }
      return version;
    }
  }

  // ---- what runs on the session thread ----

  /** {@code mode}: "event" (count steps), "point" (to the next write-path point), "kind" (to the next event of a kind or prefix). */
  Map<String, Object> step(String mode, int count, String kind) {
    Timeline t = timeline;
    if (t.finished()) throw LabError.bad("the run is over; rewind to an earlier event to go on");
    notice = "";
    switch (mode) {
      case "event" -> {
        if (count < 1 || count > 1_000_000) throw LabError.bad("count must be 1..1000000, got " + count);
        for (int i = 0; i < count && !t.finished(); i++) t.stepOne();
      }
      case "point" -> {
        TraceEvent e = t.stepUntil(ev -> KernelKinds.isPoint(ev.kind()));
        notice = e == null ? "no further write-path point: the run ended" : "";
      }
      case "kind" -> {
        if (kind == null || kind.isBlank()) throw LabError.bad("step to a kind needs 'kind' (e.g. kafka.leader.elected, crash, b2)");
        String k = kind.strip();
        TraceEvent e = t.stepUntil(ev -> NarrationFilter.kindMatches(ev.kind(), k) || ev.node().equals(k));
        notice = e == null ? "no " + k + " before the end of the run" : "";
      }
      case "end" -> t.stepUntil(ev -> false);
      default -> throw LabError.bad("unknown step mode '" + mode + "' (event, point, kind, end)");
    }
    bump();
    return view();
  }

  /** Starts playing {@code speed} kernel steps per second (0.5 .. 100000), until paused or the run ends. */
  void play(double stepsPerSecond) {
    if (!(stepsPerSecond >= 0.5 && stepsPerSecond <= 100_000)) throw LabError.bad("speed must be 0.5..100000 steps per second");
    speed = stepsPerSecond;
    credit = 0;
    bump();
    if (playing != null) return;
    playing = worker.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  void pause() {
    if (playing != null) playing.cancel(false);
    playing = null;
    bump();
  }

  boolean isPlaying() {
    return playing != null;
  }

  private void tick() {
    credit += speed * TICK_MILLIS / 1000.0;
    int steps = (int) Math.floor(credit);
    credit -= steps;
    for (int i = 0; i < steps && !timeline.finished(); i++) timeline.stepOne();
    if (timeline.finished()) pause();
    if (steps > 0) bump();
  }

  /**
   * Takes an action now, as a plan item: "crash b1", "partition b1|b2,b3", "drop message 57", "disk b2 eio 3"
   * (the plan's words, without "at"). Returns the view at the point where it took effect.
   */
  Map<String, Object> act(String actionText) {
    pause();
    Timeline t = timeline;
    if (actionText == null || actionText.isBlank()) throw LabError.bad("an action needs its words, e.g. 'crash b1' or 'heal'");
    FaultAction action;
    try {
      List<TimedFault> parsed = FaultPlan.parse("at 0s " + actionText.strip()).faults();
      if (parsed.size() != 1) throw LabError.bad("one action at a time, got " + parsed.size() + ": '" + actionText + "'");
      action = parsed.get(0).action();
    } catch (IllegalArgumentException e) {
      throw LabError.bad("action '" + actionText.strip() + "': " + e.getMessage().replace("at 0s ", ""));
    }
    if (t.finished()) throw LabError.bad("the run is over; rewind to an earlier event to act there");
    t.settleInstant();
    long now = t.sim.nowNanos();
    long at = ActionTime.choose(now, t.sim.nextEventTimeNanos(), t.safetyEndNanos);
    if (at < 0) {
      throw LabError.bad("faults act only in the fault phase (until " + Durations.format(t.safetyEndNanos)
          + "); now is " + Durations.format(now) + ", the liveness phase heals everything. Rewind to act earlier");
    }
    List<TimedFault> items = new ArrayList<>(t.itemsUpTo(now));
    int dropped = t.plan.faults().size() - items.size();
    items.add(new TimedFault(at, action));
    String text = new FaultPlan(items).toString();
    validate(text);
    rebuild(text);
    String label = "fault: " + action;
    TraceEvent e = timeline.stepUntil(ev -> ev.kind().equals("action") && ev.timeNanos() == at && ev.detail().equals(label));
    if (e == null) throw new IllegalStateException("the replayed plan never reached its own item at " + Durations.formatExact(at));
    notice = "at " + Durations.formatExact(at) + " " + action + (dropped == 0 ? "" : "; branched: the plan's " + dropped
        + " later item" + (dropped == 1 ? "" : "s") + " dropped");
    bump();
    return view();
  }

  /** Back to just after event {@code index}, by replaying the same seed and plan from the start. */
  Map<String, Object> rewind(long index) {
    pause();
    if (index < 0) throw LabError.bad("index must be a trace event index (0 or more), got " + index);
    long shown = timeline.events();
    if (index >= shown) throw LabError.bad("rewind goes back: no event #" + index + " yet (this timeline has #0..#" + (shown - 1) + "); step forward instead");
    rebuild(faultsText());
    timeline.runToEventCount(index + 1);
    notice = "rewound to #" + index + " by replaying seed " + seed + " and the plan";
    bump();
    return view();
  }

  /** Replaces the whole plan (the plan editor) and replays it back to the current simulated time. */
  Map<String, Object> setPlan(String text) {
    pause();
    String plan = text == null ? "" : text;
    validate(plan);
    long now = timeline.sim.nowNanos();
    String normal = FaultPlan.parse(plan).toString();
    rebuild(normal);
    timeline.runToTime(now);
    notice = "plan replaced; replayed to " + Durations.format(timeline.sim.nowNanos());
    bump();
    return view();
  }

  /** The plan must be one {@code ./sim run --faults} accepts: the same check, the same words. */
  private void validate(String plan) {
    List<NodeId> ids = timeline == null
        ? ScenarioRunner.prepare(scenario, sim.core.scenario.RunOptions.seed(seed).withFaults("").withBreaks(breaks)).nodeIds()
        : timeline.sim.nodeIds();
    long end = ScenarioRunner.safetyNanos(scenario, sim.core.scenario.RunOptions.seed(seed));
    try {
      FaultPlan.parseFor(plan, ids, end, false);
    } catch (IllegalArgumentException e) {
      throw LabError.bad("the plan would be refused by ./sim run: " + e.getMessage());
    }
  }

  private void rebuild(String faults) {
    String own = FaultPlan.parse(scenario.faultPlan()).toString();
    timeline = new Timeline(scenario, seed, faults.equals(own) ? null : faults, breaks);
    epoch++;
  }

  private String faultsText() {
    return timeline.plan.toString();
  }

  int epoch() {
    return epoch;
  }

  // ---- views ----

  Map<String, Object> view() {
    Timeline t = timeline;
    Simulation sim = t.sim;
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("epoch", epoch);
    v.put("scenario", scenario.name());
    v.put("seed", seed);
    v.put("t_ns", sim.nowNanos());
    v.put("time", Durations.format(sim.nowNanos()));
    v.put("events", t.events());
    v.put("phase", t.phase());
    v.put("finished", t.finished());
    v.put("playing", isPlaying());
    v.put("speed", speed);
    v.put("safety_ns", t.safetyEndNanos);
    v.put("liveness_ns", t.livenessEndNanos);
    v.put("can_act", !t.finished() && sim.nowNanos() < t.safetyEndNanos);
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (NodeId n : sim.nodeIds()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n.name());
      m.put("status", !sim.isUp(n) ? "crashed" : sim.isPaused(n) ? "paused" : "up");
      m.put("server", sim.serverIds().contains(n));
      nodes.add(m);
    }
    v.put("nodes", nodes);
    v.put("network", sim.network().describe());
    List<Map<String, Object>> plan = new ArrayList<>();
    for (TimedFault f : t.plan.faults()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("at_ns", f.atNanos());
      m.put("item", f.toString());
      m.put("ahead", f.atNanos() > sim.nowNanos());
      plan.add(m);
    }
    v.put("plan", plan);
    v.put("plan_text", t.plan.toString());
    v.put("replay", ScenarioRunner.replayCommand(scenario, t.options));
    v.put("trace_hash", sim.trace().hashHex());
    v.put("in_flight", sim.inFlight().size());
    v.put("notice", notice);
    if (t.failure() != null) v.put("violation", t.failure().getMessage());
    List<Map<String, Object>> checks = new ArrayList<>();
    for (CheckResult c : t.checks()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("kind", c.kind().name());
      m.put("status", c.status().name());
      m.put("text", c.render());
      checks.add(m);
    }
    v.put("checks", checks);
    return v;
  }

  /** The events from {@code from} on, in the diagram's column form (a JSON text). */
  String eventsJson(int from) {
    Timeline t = timeline;
    StringWriter out = new StringWriter();
    try {
      DiagramJson.writeEvents(out, t.nodes, t.recording.events(), Math.max(0, Math.min(from, t.recording.size())));
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  List<String> nodeNames() {
    return timeline.nodes;
  }

  Map<String, Object> feed(int from) {
    return Map.of("from", from, "lines", timeline.feed(from), "at", timeline.feedIndexes(from));
  }

  String state(String node) {
    NodeId id = node(node);
    return Recording.describe(timeline.sim, id);
  }

  /** Every node's state summary now, in name order. */
  Map<String, String> states() {
    Map<String, String> out = new LinkedHashMap<>();
    for (NodeId n : timeline.sim.nodeIds()) out.put(n.name(), Recording.describe(timeline.sim, n));
    return out;
  }

  /** The node's state summary after the step of event {@code index} (a snapshot), or null. */
  Map<String, Object> stateAt(long index) {
    Timeline t = timeline;
    if (index < 0 || index >= t.recording.size()) throw LabError.bad("no event #" + index + " in this timeline (0.." + (t.recording.size() - 1) + ")");
    TraceEvent e = t.recording.events().get((int) index);
    List<long[]> snaps = t.recording.snapshots().get(e.node());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("node", e.node());
    if (snaps == null) return out;
    long[] best = null;
    for (long[] s : snaps) if (s[0] <= index) best = s;
    if (best != null) {
      out.put("since", best[0]);
      out.put("text", t.recording.states().get((int) best[1]));
    }
    return out;
  }

  List<Map<String, Object>> inspectors() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Simulation.Inspector> e : timeline.sim.inspectors().entrySet()) {
      out.add(Map.of("name", e.getKey(), "help", e.getValue().help()));
    }
    return out;
  }

  String inspect(String name, String arg) {
    Simulation.Inspector inspector = timeline.sim.inspectors().get(name);
    if (inspector == null) throw LabError.notFound("no inspector '" + name + "' in " + scenario.name() + " (have: " + timeline.sim.inspectors().keySet() + ")");
    try {
      return inspector.show().apply(arg == null ? "" : arg);
    } catch (RuntimeException e) {
      throw LabError.bad("inspector " + name + " '" + arg + "': " + e.getMessage());
    }
  }

  /**
   * The inspect tab's overview: every node's state summary, then every inspector the scenario registered
   * (the module's own view of its mechanism: partitions and segments, heap pages and snapshots, the AOF, zxids
   * and epochs, SSTables, the translog), each answered now. {@code args} gives an inspector its argument; an
   * inspector whose usage asks for a node ({@code <broker>}, {@code <server>}, {@code [node]}) gets the first
   * server when none is given. An inspector that fails shows why instead of failing the whole overview.
   */
  List<Panel> panels(Map<String, String> args) {
    Simulation sim = timeline.sim;
    for (String name : args.keySet()) {
      if (!sim.inspectors().containsKey(name)) throw LabError.notFound("no inspector '" + name + "' in " + scenario.name() + " (have: " + sim.inspectors().keySet() + ")");
    }
    List<Panel> out = new ArrayList<>();
    StringBuilder nodes = new StringBuilder();
    states().forEach((n, s) -> nodes.append(n).append(' ').append(s).append(s.endsWith("\n") ? "" : "\n"));
    out.add(new Panel("nodes", "every node's state (describeState)", "", nodes.toString()));
    for (Map.Entry<String, Simulation.Inspector> e : sim.inspectors().entrySet()) {
      String arg = args.containsKey(e.getKey()) ? args.get(e.getKey()).strip() : defaultArg(e.getValue().help());
      String text;
      try {
        text = e.getValue().show().apply(arg);
      } catch (RuntimeException ex) {
        text = "(\\" + e.getKey() + " " + arg + ": " + ex.getMessage() + ")";
      }
      out.add(new Panel(e.getKey(), e.getValue().help(), arg, text));
    }
    return out;
  }

  /** One section of the overview: an inspector (or "nodes"), its usage, the argument it was given, its answer. */
  record Panel(String name, String help, String arg, String text) {}

  /** The first live server's name for an inspector whose usage (its help's first words) takes a node; else "". */
  String defaultArg(String help) {
    java.util.regex.Matcher m = NODE_ARGUMENT.matcher(help);
    List<NodeId> servers = timeline.sim.serverIds();
    if (!m.find() || servers.isEmpty()) return "";
    return servers.stream().filter(timeline.sim::isUp).findFirst().orElse(servers.get(0)).name();
  }

  private static final java.util.regex.Pattern NODE_ARGUMENT =
      java.util.regex.Pattern.compile("^\\\\?[\\w-]+\\s+[<\\[](broker|server|node|replica)[>\\]]");

  List<Map<String, Object>> inFlight() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Simulation.InFlight m : timeline.sim.inFlight()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("id", m.id());
      x.put("from", m.from());
      x.put("to", m.to());
      x.put("type", m.type());
      x.put("words", m.words());
      x.put("arrival_ns", m.arrivalNanos());
      out.add(x);
      if (out.size() >= 500) break;
    }
    return out;
  }

  private NodeId node(String name) {
    if (name == null || name.isBlank()) throw LabError.bad("which node? (nodes: " + timeline.nodes + ")");
    NodeId id;
    try {
      id = NodeId.of(name.strip());
    } catch (IllegalArgumentException e) {
      throw LabError.bad(e.getMessage());
    }
    if (!timeline.sim.hasNode(id)) throw LabError.notFound("no node '" + name + "' (nodes: " + timeline.nodes + ")");
    return id;
  }
}
