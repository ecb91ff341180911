package sim.core.scenario;

import sim.core.Durations;
import sim.core.Simulation;

/**
 * A lesson that runs: a cluster, a workload, the faults that test it, and what must hold.
 *
 * <p>{@link #setup} builds everything on the given simulation (nodes, clients, invariants, final checks,
 * inspectors). The runner then applies the fault plan ({@link #faultPlan()} unless the user gives one),
 * runs for {@link #durationNanos()}, heals, runs the liveness phase, and evaluates the final checks.
 */
public interface Scenario {
  /** "kafka.leader-crash": system prefix, then a short slug. */
  String name();

  /** One line for {@code ./sim list}. */
  String summary();

  /** One paragraph: what the user is about to watch and what to look for. */
  String explanation();

  /** Builds the cluster and workload and registers invariants and final checks. */
  void setup(Simulation sim);

  /** The scripted faults this lesson is about ("at 5s crash n2; at 9s restart n2"); empty for none. */
  default String faultPlan() {
    return "";
  }

  /** How long the safety phase (faults on) runs, in simulated time. */
  default long durationNanos() {
    return Durations.seconds(30);
  }

  /** How long the liveness phase (all faults healed, every node back up) runs before the final checks. */
  default long livenessNanos() {
    return Durations.seconds(10);
  }
}
