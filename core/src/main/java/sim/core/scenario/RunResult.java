package sim.core.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.check.CheckResult;
import sim.core.check.SimulationFailure;
import sim.core.fault.FaultPlan;
import sim.core.fault.TimedFault;

/**
 * What a run came to: its identity (seed, trace hash), its size, the verdicts, and the faults it met: the
 * plan it was given and, under a swarm, the swarm's strikes (each as a plan item). {@code events} counts the
 * kernel's dispatches (deliveries, timers, actions); {@code traceEvents} the trace's events, one per line of
 * {@code --trace} and of {@code --verbose} narration.
 */
public record RunResult(String scenario, long seed, String traceHash, long events, long simNanos,
    List<CheckResult> checks, SimulationFailure failure, String replayCommand, FaultPlan plan, FaultPlan swarmStrikes,
    long traceEvents) {

  public RunResult {
    checks = List.copyOf(checks);
    plan = plan == null ? FaultPlan.NONE : plan;
    swarmStrikes = swarmStrikes == null ? FaultPlan.NONE : swarmStrikes;
  }

  /** Every fault of the run as one plan: the given plan's items and the swarm's strikes, in time order. */
  public FaultPlan allFaults() {
    List<TimedFault> all = new ArrayList<>(plan.faults());
    all.addAll(swarmStrikes.faults());
    return new FaultPlan(all);
  }

  /**
   * The check that failed: the invariant that stopped the run (or {@code no-exceptions} when a model threw),
   * else the first final check that failed; null when the run held.
   */
  public String failedCheck() {
    if (failure != null) return failure.invariant();
    for (CheckResult c : checks) if (!c.ok()) return c.name();
    return null;
  }

  /** Whether {@code check} failed in this run (an invariant that stopped it, or a failed final check). */
  public boolean failed(String check) {
    if (failure != null) return failure.invariant().equals(check);
    for (CheckResult c : checks) if (!c.ok() && c.name().equals(check)) return true;
    return false;
  }

  /** The lessons the faults of this run kept from happening. */
  public List<CheckResult> notDemonstrated() {
    return checks.stream().filter(c -> c.status() == CheckResult.Status.NOT_DEMONSTRATED).toList();
  }

  /** No invariant broken, no model exception, and every final check ok (expected anomalies count as ok). */
  public boolean ok() {
    return failure == null && checks.stream().allMatch(CheckResult::ok);
  }

  public List<CheckResult> expectedAnomalies() {
    return checks.stream().filter(CheckResult::expected).toList();
  }

  public CheckResult check(String name) {
    return checks.stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no final check named " + name + " in " + checks));
  }

  /** A failure report: what broke, the seed and the replay command. */
  public String describeFailure() {
    if (failure != null) return failure.getMessage();
    StringBuilder b = new StringBuilder("final checks failed for " + scenario + ":");
    for (CheckResult c : checks) if (!c.ok()) b.append("\n  ").append(c.render());
    b.append("\n  seed: ").append(seed).append("\n  replay: ").append(replayCommand);
    return b.toString();
  }
}
