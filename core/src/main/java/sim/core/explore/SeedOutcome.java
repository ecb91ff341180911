package sim.core.explore;

import java.util.List;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;

/**
 * One explored seed, kept small so thousands fit in memory: whether it held, which check failed, which
 * lessons its faults kept from happening, which excuses it used. The full {@link RunResult} is kept only
 * for a failing seed (to shrink and report it).
 */
public record SeedOutcome(long seed, String failedCheck, long events, List<String> notDemonstrated,
    List<String> excuses, RunResult failingRun) {

  public SeedOutcome {
    notDemonstrated = List.copyOf(notDemonstrated);
    excuses = List.copyOf(excuses);
  }

  static SeedOutcome of(RunResult r) {
    String failed = r.failedCheck();
    List<String> lessons = r.notDemonstrated().stream().map(CheckResult::name).toList();
    List<String> excuses = r.expectedAnomalies().stream().flatMap(c -> excuseKeys(c).stream()).toList();
    return new SeedOutcome(r.seed(), failed, r.events(), lessons, excuses, failed == null ? null : r);
  }

  /** Whether the seed held: no invariant broken, no model exception, no failed final check. */
  public boolean held() {
    return failedCheck == null;
  }

  /**
   * The rules an excused check leaned on, each as "check: rule", the rule cut at its first ": " so that
   * the specifics of one run (which partition, which epoch) do not split the count.
   */
  static List<String> excuseKeys(CheckResult c) {
    if (c.excuse() == null) return List.of(c.name() + ": (no excuse)");
    return java.util.Arrays.stream(c.excuse().rule().split("; "))
        .map(rule -> {
          int colon = rule.indexOf(": ");
          return c.name() + ": " + (colon > 0 ? rule.substring(0, colon) : rule).strip();
        })
        .distinct()
        .toList();
  }
}
