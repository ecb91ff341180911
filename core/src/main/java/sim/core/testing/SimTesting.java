package sim.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import sim.core.NodeId;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.explore.Explorer;
import sim.core.explore.Shrinker;
import sim.core.fault.FaultPlan;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.core.scenario.ScenarioRegistry;
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

  /**
   * Exploration finds a failure of {@code scenario} with {@code breaks} switched off within {@code maxSeeds}
   * swarm seeds, shrinks it to at most {@code maxFaultEvents} scripted fault events, and the shrunk run (same
   * seed, the shrunk plan, no swarm) fails the same check again. This is the proof that a rule the real
   * system depends on is guarded by an invariant that bites. Returns the shrunk failure.
   */
  public static Shrinker.Shrunk assertExploreFinds(Scenario scenario, Set<String> breaks, int maxSeeds, int maxFaultEvents) {
    RunOptions options = RunOptions.seed(1).withSwarm(true).withBreaks(breaks);
    Explorer.Report report = Explorer.explore(new Explorer.Request(scenario, options, 1, maxSeeds, null), true);
    String what = scenario.name() + (breaks.isEmpty() ? "" : " --break " + String.join(" --break ", new TreeSet<>(breaks)));
    if (report.held()) {
      Assertions.fail("explore " + what + " found no failure in " + maxSeeds + " swarm seeds: the invariants do not bite\n  "
          + String.join("\n  ", report.tally().render()));
    }
    Shrinker.Shrunk shrunk = report.shrunk();
    String found = String.join("\n", report.render());
    Assertions.assertTrue(shrunk.reproduced(), "explore " + what + ": the failure does not replay without the swarm\n" + found);
    Assertions.assertTrue(shrunk.faultEvents() <= maxFaultEvents, "explore " + what + " shrank the failure to "
        + shrunk.faultEvents() + " fault events, more than " + maxFaultEvents + "\n" + found);
    List<NodeId> nodes = ScenarioRunner.prepare(scenario, shrunk.options().withFaults("")).nodeIds();
    Assertions.assertDoesNotThrow(() -> FaultPlan.parseFor(shrunk.plan().toString(), nodes,
        ScenarioRunner.safetyNanos(scenario, shrunk.options()), false), "./sim run refuses the shrunk plan of " + shrunk.command());
    RunResult replay = ScenarioRunner.run(scenario, shrunk.options());
    Assertions.assertTrue(replay.failed(shrunk.check()), "replaying " + shrunk.command() + " did not fail " + shrunk.check()
        + " again: " + (replay.ok() ? "it held" : replay.describeFailure()));
    return shrunk;
  }

  /**
   * Every rule {@code provider} offers with {@code --break} bites in the scenario it names, under that
   * scenario's own plan ({@link #assertBreakBites}); one failure lists every rule that did not.
   */
  public static void assertEveryBreakBites(ScenarioProvider provider, int maxSeeds) {
    List<BreakRule> rules = provider.breakRules();
    ScenarioRegistry registry = ScenarioRegistry.of(provider.scenarios(), rules); // each rule names a scenario it has
    List<String> toothless = new ArrayList<>();
    for (BreakRule rule : rules) {
      try {
        assertBreakBites(registry.find(rule.scenario()).orElseThrow(), rule.name(), maxSeeds);
      } catch (AssertionError e) {
        toothless.add(e.getMessage());
      }
    }
    if (!toothless.isEmpty()) Assertions.fail(toothless.size() + " of " + rules.size() + " break rules:\n" + String.join("\n", toothless));
  }

  /**
   * The proof that an invariant guards {@code rule}: {@code scenario} holds at seed 1 with the rule in place;
   * with it switched off, one of seeds 1..{@code maxSeeds} (the scenario's own plan, no swarm) fails a safety
   * check (a model exception or a lesson that did not happen is no proof), and its replay command carries the
   * {@code --break}. Returns that failing run.
   */
  public static RunResult assertBreakBites(Scenario scenario, String rule, int maxSeeds) {
    RunResult clean = run(scenario, 1);
    Assertions.assertTrue(clean.ok(), rule + ": " + scenario.name() + " should hold with the rule in place: " + clean.describeFailure());
    List<String> seen = new ArrayList<>();
    for (long seed = 1; seed <= maxSeeds; seed++) {
      RunResult r = ScenarioRunner.run(scenario, RunOptions.seed(seed).withBreaks(Set.of(rule)));
      if (failedSafety(r)) {
        Assertions.assertTrue(r.replayCommand() != null && r.replayCommand().contains("--break " + rule), rule + ": " + r.replayCommand());
        return r;
      }
      seen.add("seed " + seed + ": " + (r.ok() ? "held" : r.describeFailure()));
    }
    return Assertions.fail("--break " + rule + " failed no safety check of " + scenario.name() + " in " + maxSeeds + " seeds: " + seen);
  }

  private static boolean failedSafety(RunResult r) {
    if (r.failure() != null) return !r.failure().invariant().equals("no-exceptions");
    return r.checks().stream().anyMatch(c -> !c.ok() && c.kind() == CheckResult.Kind.SAFETY);
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
