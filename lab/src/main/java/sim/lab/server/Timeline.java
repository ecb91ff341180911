package sim.lab.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.check.SimulationFailure;
import sim.core.fault.FaultPlan;
import sim.core.fault.TimedFault;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.EventFormat;
import sim.core.trace.NarrationFilter;
import sim.core.trace.Narrator;
import sim.core.trace.TraceEvent;
import sim.lab.diagram.Recording;

/**
 * One deterministic run of a scenario, seed and fault plan, advanced a kernel step at a time exactly as
 * {@code ./sim run} advances it: the safety phase, the heal, the liveness phase, the final checks. Nothing
 * here is ever changed by hand: a fault is a plan item, and a different plan is a new timeline built from the
 * seed, so a timeline is always what {@code ./sim run S --seed N --faults "…"} does, event for event.
 *
 * <p>Single-threaded like the simulation: only the session's own thread touches it.
 */
final class Timeline {
  /** Events one request may run before it stops and reports (bounded loops). */
  static final long MAX_STEPS_PER_REQUEST = 5_000_000;

  final Scenario scenario;
  final RunOptions options;
  final FaultPlan plan;
  final Simulation sim;
  final Recording recording = new Recording();
  final List<String> nodes;
  final long safetyEndNanos;
  final long livenessEndNanos;
  private final List<String> feed = new ArrayList<>();
  private final List<Long> feedIndex = new ArrayList<>();
  private final Narrator narrator;
  private boolean healed;
  private boolean finished;
  private SimulationFailure failure;
  private List<CheckResult> checks = List.of();

  /** {@code faults} null: the scenario's own plan (so lessons are judged as in a scripted run). */
  Timeline(Scenario scenario, long seed, String faults, java.util.Set<String> breaks) {
    this.scenario = scenario;
    this.plan = FaultPlan.parse(faults == null ? scenario.faultPlan() : faults);
    RunOptions base = RunOptions.seed(seed).withFaults(faults).withBreaks(breaks);
    this.narrator = new Narrator(new PrintStream(new Lines(), true, StandardCharsets.UTF_8), false,
        new EventFormat(8, EventFormat.DEFAULT_KIND_WIDTH, 0, true), NarrationFilter.ALL);
    this.options = base;
    this.sim = ScenarioRunner.prepare(scenario, base.withListeners(List.of(recording, e -> lastIndex = e.index(), narrator)));
    recording.attach(sim);
    this.nodes = sim.nodeIds().stream().map(NodeId::name).toList();
    this.safetyEndNanos = ScenarioRunner.safetyNanos(scenario, base);
    this.livenessEndNanos = safetyEndNanos + scenario.livenessNanos();
  }

  private long lastIndex = -1;

  /** How many trace events so far. */
  long events() {
    return sim.trace().count();
  }

  boolean finished() {
    return finished;
  }

  SimulationFailure failure() {
    return failure;
  }

  List<CheckResult> checks() {
    return checks;
  }

  String phase() {
    return finished ? "done" : healed ? "liveness" : "safety";
  }

  /** One kernel step, or the move to the next phase when the current one is over; what ./sim run does. */
  void stepOne() {
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
        checks = sim.runFinalChecks();
        finish();
        return;
      }
      sim.step();
    } catch (SimulationFailure f) {
      failure = f;
      finish();
    }
  }

  private void finish() {
    finished = true;
    narrator.finish();
    recording.finish();
  }

  /** Steps until a step recorded an event that {@code stop} accepts (or the run ends); returns that event. */
  TraceEvent stepUntil(Predicate<TraceEvent> stop) {
    for (long i = 0; i < MAX_STEPS_PER_REQUEST && !finished; i++) {
      long before = events();
      stepOne();
      for (TraceEvent e : recording.events().subList((int) before, (int) events())) if (stop.test(e)) return e;
    }
    return null;
  }

  /** Steps until at least {@code count} trace events exist: the position "just after event count-1". */
  void runToEventCount(long count) {
    for (long i = 0; i < MAX_STEPS_PER_REQUEST && !finished && events() < count; i++) stepOne();
  }

  /** Runs the events still due at the current instant: they come before anything a plan adds later. */
  void settleInstant() {
    for (long i = 0; i < MAX_STEPS_PER_REQUEST && !finished && sim.nextEventTimeNanos() == sim.nowNanos(); i++) stepOne();
  }

  /** Runs every event up to simulated time {@code t} (the position a re-planned timeline returns to). */
  void runToTime(long t) {
    for (long i = 0; i < MAX_STEPS_PER_REQUEST && !finished && sim.nextEventTimeNanos() <= t; i++) stepOne();
  }

  List<String> feed(int from) {
    return List.copyOf(feed.subList(Math.min(from, feed.size()), feed.size()));
  }

  List<Long> feedIndexes(int from) {
    return List.copyOf(feedIndex.subList(Math.min(from, feedIndex.size()), feedIndex.size()));
  }

  /** The plan's items at or before {@code t} (the past a new action keeps) and after it (the future it drops). */
  List<TimedFault> itemsUpTo(long t) {
    return plan.faults().stream().filter(f -> f.atNanos() <= t).toList();
  }

  /** The narration, a line at a time, each tagged with the latest event index told so far. */
  private final class Lines extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
      if (b == '\n') {
        feed.add(line.toString(StandardCharsets.UTF_8));
        feedIndex.add(lastIndex);
        line.reset();
      } else {
        line.write(b);
      }
    }
  }
}
