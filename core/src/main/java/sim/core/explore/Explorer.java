package sim.core.explore;

import java.util.ArrayList;
import java.util.List;
import sim.core.Check;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

/**
 * Exploration: many seeds of one scenario, each with random faults (a swarm) on top of its plan, judged by
 * its checks. Only a failure stops it: a safety violation (an invariant, a failed safety check, a model
 * exception), or under the scenario's own plan a lesson that did not happen. Under random faults a lesson
 * that did not happen is counted as "not demonstrated", and an excused anomaly is counted per excuse rule.
 * The failing seed is then shrunk ({@link Shrinker}) to a short scripted fault plan.
 *
 * <p>Seeds are independent and each run is single-threaded and deterministic, so an edge that owns threads
 * (the command line's {@code --jobs}) can run {@link #runSeed} on many at once and add the outcomes to a
 * {@link Tally} in seed order; {@link #explore} is the sequential loop tests use.
 */
public final class Explorer {
  private Explorer() {}

  /** Every n-th seed, so independent machines (a CI matrix, an indexed Job) split a range with no coordinator. */
  public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
      Check.argument(count >= 1 && index >= 1 && index <= count, "shard %s/%s: expected i/n with 1 <= i <= n", index, count);
    }

    /** "2/4": the second of four shards. */
    public static Shard parse(String text) {
      String[] parts = text.strip().split("/", -1);
      try {
        Check.argument(parts.length == 2, "x");
        return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("bad shard '" + text + "': expected i/n with 1 <= i <= n, e.g. 2/4");
      }
    }

    /** Whether the seed at {@code offset} from the first seed is this shard's. */
    public boolean takes(long offset) {
      return Math.floorMod(offset, count) == index - 1;
    }

    @Override
    public String toString() {
      return index + "/" + count;
    }
  }

  /** What to explore: the scenario, the options every seed shares (plan, swarm, breaks, duration), which seeds. */
  public record Request(Scenario scenario, RunOptions options, long firstSeed, int seeds, Shard shard) {
    public Request {
      Check.argument(seeds > 0, "explore needs a positive number of seeds, got %s", seeds);
      shard = shard == null ? Shard.ALL : shard;
    }

    /** The seeds this shard runs, in increasing order. */
    public long[] seedList() {
      List<Long> out = new ArrayList<>();
      for (long i = 0; i < seeds; i++) if (shard.takes(i)) out.add(firstSeed + i);
      return out.stream().mapToLong(Long::longValue).toArray();
    }

    public RunOptions optionsFor(long seed) {
      return options.withSeed(seed);
    }
  }

  /** What an exploration found: the sums over the seeds that ran, and the first failure, shrunk. */
  public record Report(String scenario, Tally tally, SeedOutcome failure, Shrinker.Shrunk shrunk) {
    public boolean held() {
      return failure == null;
    }

    /**
     * What {@code explore} prints, the same whatever order the seeds ran in: the verdict, then the lessons
     * not demonstrated and the anomalies allowed, then for a failure its report and the shrunk replay.
     */
    public List<String> render() {
      List<String> out = new ArrayList<>();
      if (held()) {
        out.add(tally.seeds() + " seeds of " + scenario + " held (" + tally.events() + " events)");
      } else {
        out.add("seed " + failure.seed() + " broke " + scenario + ": " + failure.failedCheck() + " (" + (tally.seeds() - 1)
            + " seeds held before it)");
        out.add(failure.failingRun().describeFailure());
      }
      for (String line : tally.render()) out.add("  " + line);
      if (shrunk != null) {
        out.add(shrunk.describe());
        if (shrunk.reproduced()) out.add("replay: " + shrunk.command());
        out.add((shrunk.reproduced() ? "the unshrunk run: " : "replay: ") + failure.failingRun().replayCommand());
      } else if (failure != null) {
        out.add("replay: " + failure.failingRun().replayCommand());
      }
      return out;
    }
  }

  /** Runs one seed of the request. Safe to call from many threads at once for different seeds. */
  public static SeedOutcome runSeed(Request request, long seed) {
    return runSeed(request.scenario(), request.optionsFor(seed));
  }

  /**
   * Runs one seed with a terse trace (the words of a run that holds are never read); a failing seed is run
   * again with the full trace, so its report shows the last events in full.
   */
  public static SeedOutcome runSeed(Scenario scenario, RunOptions options) {
    RunResult r = ScenarioRunner.run(scenario, options.withTerseTrace(true));
    if (r.failedCheck() != null && !options.terseTrace()) r = ScenarioRunner.run(scenario, options);
    return SeedOutcome.of(r);
  }

  /** The seeds in order, one at a time; stops at the first failure and shrinks it (unless {@code shrink} is off). */
  public static Report explore(Request request, boolean shrink) {
    Tally tally = new Tally();
    for (long seed : request.seedList()) {
      SeedOutcome o = runSeed(request, seed);
      tally.add(o);
      if (!o.held()) return new Report(request.scenario().name(), tally, o, shrink ? shrink(request, o) : null);
    }
    return new Report(request.scenario().name(), tally, null, null);
  }

  /** Shrinks a failing seed of the request to a short scripted fault plan. */
  public static Shrinker.Shrunk shrink(Request request, SeedOutcome failure) {
    Check.argument(!failure.held(), "seed %s held: nothing to shrink", failure.seed());
    return Shrinker.shrink(request.scenario(), request.optionsFor(failure.seed()), failure.failingRun());
  }
}
