package sim.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

/**
 * One-line scenario tests. A failure message always carries the seed and the {@code ./sim run} command that
 * replays it.
 */
public final class SimTesting {
  /** Set to {@code required} (CI does) to make tests that need a real server fail instead of skip. */
  public static final String ORACLES_ENV = "SIM_ORACLES";

  private SimTesting() {}

  public static RunResult run(Scenario scenario, long seed) {
    return ScenarioRunner.run(scenario, RunOptions.seed(seed));
  }

  public static RunResult run(Scenario scenario, long seed, String faultPlan) {
    return ScenarioRunner.run(scenario, RunOptions.seed(seed).withFaults(faultPlan));
  }

  public static RunResult runUnderSwarm(Scenario scenario, long seed) {
    return ScenarioRunner.run(scenario, RunOptions.seed(seed).withSwarm(true));
  }

  /** Runs the scenario with its own fault plan and fails with the replay command unless it holds. */
  public static RunResult assertHolds(Scenario scenario, long seed) {
    return assertOk(run(scenario, seed));
  }

  public static RunResult assertOk(RunResult result) {
    if (!result.ok()) Assertions.fail(result.describeFailure());
    return result;
  }

  /**
   * Seeds {@code firstSeed .. firstSeed + count - 1}, each with the scenario's own fault plan. With
   * {@code -Dsim.seed=N} only seed N runs (to replay a failure); {@code -Dsim.seeds=K} runs K seeds instead.
   */
  public static void assertHoldsForSeeds(Scenario scenario, long firstSeed, int count) {
    for (long s : seeds(firstSeed, count)) assertOk(run(scenario, s));
  }

  /** Like {@link #assertHoldsForSeeds}, each seed with the scenario's plan plus random seeded faults. */
  public static void assertHoldsUnderSwarm(Scenario scenario, long firstSeed, int count) {
    for (long s : seeds(firstSeed, count)) assertOk(runUnderSwarm(scenario, s));
  }

  /** The seeds a many-seed test runs, after the {@code sim.seed} / {@code sim.seeds} overrides. */
  public static long[] seeds(long firstSeed, int count) {
    String one = System.getProperty("sim.seed");
    if (one != null) return new long[] {Long.parseLong(one.strip())};
    String many = System.getProperty("sim.seeds");
    int n = many == null ? count : Integer.parseInt(many.strip());
    long[] out = new long[n];
    for (int i = 0; i < n; i++) out[i] = firstSeed + i;
    return out;
  }

  /** True when CI demands every real-system comparison run. */
  public static boolean oraclesRequired() {
    return "required".equalsIgnoreCase(System.getenv(ORACLES_ENV));
  }

  /**
   * Guards a test against a real system: skipped with {@code hint} where {@code what} is absent, failed
   * when {@code SIM_ORACLES=required}.
   */
  public static void requireOracle(String what, boolean available, String hint) {
    if (available) return;
    String message = what + " is not available here: " + hint;
    if (oraclesRequired()) Assertions.fail(message + " (" + ORACLES_ENV + "=required, so this is a failure)");
    Assumptions.assumeTrue(false, message + " (test skipped; set " + ORACLES_ENV + "=required to make it fail)");
  }
}
