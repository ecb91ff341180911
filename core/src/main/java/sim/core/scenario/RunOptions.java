package sim.core.scenario;

import java.util.List;
import sim.core.fault.SwarmFaults;
import sim.core.trace.TraceListener;

/**
 * How to run a scenario. {@code faultPlan} null means the scenario's own plan; "" means none.
 * {@code durationNanos} null means the scenario's own duration.
 */
public record RunOptions(long seed, String faultPlan, boolean swarm, SwarmFaults.Rates swarmRates,
    Long durationNanos, List<TraceListener> listeners) {

  public static RunOptions seed(long seed) {
    return new RunOptions(seed, null, false, SwarmFaults.Rates.defaults(), null, List.of());
  }

  public RunOptions withFaults(String plan) {
    return new RunOptions(seed, plan, swarm, swarmRates, durationNanos, listeners);
  }

  public RunOptions withSwarm(boolean on) {
    return new RunOptions(seed, faultPlan, on, swarmRates, durationNanos, listeners);
  }

  public RunOptions withDuration(Long nanos) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, nanos, listeners);
  }

  public RunOptions withListeners(List<TraceListener> more) {
    return new RunOptions(seed, faultPlan, swarm, swarmRates, durationNanos, List.copyOf(more));
  }

  public RunOptions withSeed(long newSeed) {
    return new RunOptions(newSeed, faultPlan, swarm, swarmRates, durationNanos, listeners);
  }
}
