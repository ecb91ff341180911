package sim.core.scenario;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.fault.SwarmFaults;
import sim.core.trace.TraceListener;

/**
 * How to run a scenario. {@code faultPlan} null means the scenario's own plan; "" means none.
 * {@code durationNanos} null means the scenario's own duration. {@code breaks} are the real-system rules
 * switched off for the run ({@code --break}).
 */
public record RunOptions(long seed, String faultPlan, boolean swarm, SwarmFaults.Rates swarmRates,
    Long durationNanos, List<TraceListener> listeners, Set<String> breaks, boolean terseTrace) {

  public RunOptions {
    listeners = List.copyOf(listeners);
    breaks = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(breaks)); // Set.copyOf would iterate in a per-JVM order
  }

  public static RunOptions seed(long seed) {
    return new RunOptions(seed, null, false, SwarmFaults.Rates.defaults(), null, List.of(), Set.of(), false);
  }

  public RunOptions withFaults(String plan) {
    return new RunOptions(seed, plan, swarm, swarmRates, durationNanos, listeners, breaks, terseTrace);
  }

  public RunOptions withSwarm(boolean on) {
    return new RunOptions(seed, faultPlan, on, swarmRates, durationNanos, listeners, breaks, terseTrace);
  }

  public RunOptions withSwarmRates(SwarmFaults.Rates rates) {
    return new RunOptions(seed, faultPlan, swarm, rates, durationNanos, listeners, breaks, terseTrace);
  }

  public RunOptions withDuration(Long nanos) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, nanos, listeners, breaks, terseTrace);
  }

  public RunOptions withListeners(List<TraceListener> more) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, durationNanos, more, breaks, terseTrace);
  }

  public RunOptions withSeed(long newSeed) {
    return new RunOptions(newSeed, faultPlan, swarm, swarmRates, durationNanos, listeners, breaks, terseTrace);
  }

  public RunOptions withBreaks(Set<String> rules) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, durationNanos, listeners, rules, terseTrace);
  }

  /**
   * A terse trace: message and timer events name the message's or timer's type, not its contents. The run is
   * the same event for event (models never read the trace's words), but its trace hash differs from a full
   * run's. Exploration uses it, since nothing reads the words of a seed that holds; a failing seed is run
   * again in full for its report.
   */
  public RunOptions withTerseTrace(boolean on) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, durationNanos, listeners, breaks, on);
  }

  /**
   * Whether the run tells the scenario's own story: its own fault plan, no random faults, no broken rule.
   * Only then must its lesson checks hold; otherwise a lesson that did not happen is "not demonstrated".
   */
  public boolean scripted(Scenario scenario) {
    boolean ownPlan = faultPlan == null || faultPlan.equals(scenario.faultPlan());
    return ownPlan && !swarm && breaks.isEmpty();
  }

  /** The breaks in name order, for replay commands and traces. */
  public List<String> sortedBreaks() {
    return List.copyOf(new TreeSet<>(breaks));
  }
}
