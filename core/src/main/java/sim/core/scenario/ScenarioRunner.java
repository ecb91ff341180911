package sim.core.scenario;

import java.util.List;
import java.util.function.Consumer;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.check.SimulationFailure;
import sim.core.fault.FaultPlan;
import sim.core.fault.SwarmFaults;
import sim.core.trace.TraceListener;

/**
 * Runs a scenario in two phases. Safety: the fault plan (and swarm) act while invariants are checked after
 * every event. Liveness: every fault is healed and every node brought back, then the system must make
 * progress; the final checks judge the whole run.
 */
public final class ScenarioRunner {
  private ScenarioRunner() {}

  /** A prepared run: the simulation, the plan it was given, and its swarm (null without one). */
  private record Started(Simulation sim, FaultPlan plan, SwarmFaults swarm) {
    FaultPlan strikes() {
      return swarm == null ? FaultPlan.NONE : swarm.strikes();
    }
  }

  /** Builds the simulation, runs the scenario's setup and schedules its faults; nothing has run yet. */
  public static Simulation prepare(Scenario scenario, RunOptions options) {
    return start(scenario, options).sim();
  }

  private static Started start(Scenario scenario, RunOptions options) {
    Simulation sim = new Simulation(options.seed());
    sim.setReplayCommand(replayCommand(scenario, options));
    sim.setScripted(options.scripted(scenario));
    sim.setTerseTrace(options.terseTrace());
    for (TraceListener l : options.listeners()) sim.trace().addListener(l);
    String plan = options.faultPlan() == null ? scenario.faultPlan() : options.faultPlan();
    FaultPlan faults = FaultPlan.parse(plan);
    sim.setBroken(options.breaks());
    scenario.setup(sim);
    List<String> idle = sim.unconsultedBreaks();
    if (!idle.isEmpty()) {
      throw new InvalidRunOptionsException("--break " + String.join(", ", idle) + ": scenario " + scenario.name()
          + " never consults that rule, so breaking it would change nothing; see './sim list --breaks'");
    }
    faults.schedule(sim);
    SwarmFaults swarm = options.swarm() ? SwarmFaults.start(sim, options.swarmRates(), safetyNanos(scenario, options)) : null;
    return new Started(sim, faults, swarm);
  }

  public static RunResult run(Scenario scenario, RunOptions options) {
    return run(scenario, options, sim -> {});
  }

  /** Runs, then hands the finished simulation to {@code afterRun} (export a node's disk, inspect a model). */
  public static RunResult run(Scenario scenario, RunOptions options, Consumer<Simulation> afterRun) {
    return run(scenario, options, sim -> {}, afterRun);
  }

  /**
   * Runs, handing the simulation to {@code beforeRun} once it is set up and before its first event (a tool
   * that reads model state as the run goes: the HTML diagram's state snapshots), and to {@code afterRun} at
   * the end.
   */
  public static RunResult run(Scenario scenario, RunOptions options, Consumer<Simulation> beforeRun, Consumer<Simulation> afterRun) {
    Started run = start(scenario, options);
    Simulation sim = run.sim();
    beforeRun.accept(sim);
    RunResult result;
    try {
      sim.runUntilTime(safetyNanos(scenario, options));
      healEverything(sim);
      sim.runFor(scenario.livenessNanos());
      List<CheckResult> checks = sim.runFinalChecks();
      result = result(scenario, run, checks, null);
    } catch (SimulationFailure f) {
      result = result(scenario, run, List.of(), f);
    }
    afterRun.accept(sim);
    return result;
  }

  /** Ends the safety phase: links restored, paused nodes resumed, crashed nodes restarted. */
  public static void healEverything(Simulation sim) {
    sim.trace().recordPoint("sim", "phase", "liveness: healing every fault, restarting every crashed node", List.of("phase", "liveness"));
    sim.network().heal();
    for (NodeId id : sim.nodeIds()) {
      sim.disk(id).setCapacityBytes(Long.MAX_VALUE);
      sim.disk(id).failNextWrites(0);
      sim.disk(id).failNextFsyncs(0);
      sim.setSlow(id, 0);
      if (sim.isPaused(id)) sim.resume(id);
      if (!sim.isUp(id)) sim.restart(id);
    }
  }

  public static long safetyNanos(Scenario scenario, RunOptions options) {
    return options.durationNanos() == null ? scenario.durationNanos() : options.durationNanos();
  }

  /** The command that reproduces this run exactly. */
  public static String replayCommand(Scenario scenario, RunOptions options) {
    StringBuilder b = new StringBuilder("./sim run ").append(scenario.name()).append(" --seed ").append(options.seed());
    if (options.faultPlan() != null && !options.faultPlan().equals(scenario.faultPlan())) {
      b.append(" --faults \"").append(FaultPlan.parse(options.faultPlan())).append('"');
    }
    if (options.swarm()) b.append(" --swarm");
    for (String r : options.sortedBreaks()) b.append(" --break ").append(r);
    if (options.durationNanos() != null && options.durationNanos() != scenario.durationNanos()) {
      b.append(" --for ").append(Durations.format(options.durationNanos()));
    }
    return b.toString();
  }

  private static RunResult result(Scenario scenario, Started run, List<CheckResult> checks, SimulationFailure failure) {
    Simulation sim = run.sim();
    return new RunResult(scenario.name(), sim.seed(), sim.trace().hashHex(), sim.eventsRun(), sim.nowNanos(),
        checks, failure, sim.replayCommand(), run.plan(), run.strikes(), sim.trace().count());
  }
}
