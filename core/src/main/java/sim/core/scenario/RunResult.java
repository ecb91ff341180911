package sim.core.scenario;

import java.util.List;
import sim.core.check.CheckResult;
import sim.core.check.SimulationFailure;

/**
 * What a run came to: its identity (seed, trace hash), its size, and the verdicts. {@code events} counts the
 * kernel's dispatches (deliveries, timers, actions); {@code traceEvents} the trace's events, one per line of
 * {@code --trace} and of {@code --verbose} narration.
 */
public record RunResult(String scenario, long seed, String traceHash, long events, long simNanos,
    List<CheckResult> checks, SimulationFailure failure, String replayCommand, long traceEvents) {

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
