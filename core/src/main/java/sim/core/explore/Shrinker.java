package sim.core.explore;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import sim.core.Check;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.fault.FaultAction;
import sim.core.fault.FaultPlan;
import sim.core.fault.TimedFault;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

/**
 * Turns a failing swarm run into a short scripted one. The run's faults (the scenario's plan items and the
 * swarm's strikes) become one plan replayed on the same seed without the swarm; delta debugging (Zeller's
 * ddmin) drops faults while the same check still fails; then each remaining fault is moved to the roundest
 * time nearby (whole seconds first, then 500, 100, 50, 10, 1 ms) and its probability rounded, keeping every
 * change that still fails; a last pass drops any fault the moves made unnecessary. What comes out is a
 * {@code ./sim run S --seed N --faults "…"} command with no {@code --swarm}.
 *
 * <p>Every candidate is first made a plan {@code ./sim run} accepts: items that became no-ops (a crash of a
 * node already down once its restart was dropped, a resume with no pause left) are left out, and what is left
 * must pass {@link FaultPlan#parseFor}, the check {@code ./sim run --faults} makes; so the printed command runs.
 *
 * <p>Every candidate is one deterministic run of the scenario's workload, so the result is deterministic too.
 * The number of runs is bounded ({@link #DEFAULT_MAX_RUNS}); when it is reached the best plan so far is kept.
 */
public final class Shrinker {
  public static final int DEFAULT_MAX_RUNS = 400;

  private static final long[] ROUND_UNITS_NANOS = {Durations.seconds(10), Durations.seconds(1), Durations.millis(500),
      Durations.millis(100), Durations.millis(50), Durations.millis(10), Durations.millis(1)};

  /**
   * The outcome. {@code reproduced} false means the faults replayed as a plan did not fail {@code check}
   * (then {@code plan} is the unshrunk one and only the swarm command replays the failure).
   */
  public record Shrunk(String scenario, long seed, String check, FaultPlan original, FaultPlan plan, boolean reproduced,
      int runs, RunOptions options) {

    /** The ready replay: {@code ./sim run S --seed N --faults "…"} plus the run's breaks and duration. */
    public String command() {
      StringBuilder b = new StringBuilder("./sim run ").append(scenario).append(" --seed ").append(seed);
      b.append(" --faults \"").append(plan).append('"');
      for (String r : options.sortedBreaks()) b.append(" --break ").append(r);
      if (options.durationNanos() != null) b.append(" --for ").append(Durations.formatExact(options.durationNanos()));
      return b.toString();
    }

    public int faultEvents() {
      return plan.faults().size();
    }

    public String describe() {
      if (!reproduced) {
        return "the " + original.faults().size() + " faults replayed as a plan without the swarm did not fail " + check
            + " again; replay the swarm run instead";
      }
      return "shrunk " + original.faults().size() + " fault events to " + plan.faults().size() + " in " + runs
          + " runs; still fails " + check;
    }
  }

  private final Predicate<List<TimedFault>> oracle;
  private final List<NodeId> nodes;
  private final long horizonNanos;
  private final int maxRuns;
  private int runs;

  /**
   * {@code oracle}: does this plan still fail? Each call is one run of the budget. Faults are only moved to
   * times before {@code horizonNanos} (the end of the safety phase, after which the runner heals everything).
   * {@code nodes}: the scenario's, which every candidate may name.
   */
  Shrinker(Predicate<List<TimedFault>> oracle, Collection<NodeId> nodes, long horizonNanos, int maxRuns) {
    this.oracle = oracle;
    this.nodes = List.copyOf(nodes);
    this.horizonNanos = horizonNanos;
    this.maxRuns = maxRuns;
  }

  /** Shrinks {@code failing}, a run of {@code scenario} with {@code options}, with the default run budget. */
  public static Shrunk shrink(Scenario scenario, RunOptions options, RunResult failing) {
    return shrink(scenario, options, failing, DEFAULT_MAX_RUNS);
  }

  public static Shrunk shrink(Scenario scenario, RunOptions options, RunResult failing, int maxRuns) {
    String check = failing.failedCheck();
    Check.argument(check != null, "run of %s seed %s did not fail: nothing to shrink", scenario.name(), failing.seed());
    RunOptions base = options.withSeed(failing.seed()).withSwarm(false).withListeners(List.of()).withTerseTrace(false);
    List<NodeId> nodes = ScenarioRunner.prepare(scenario, base.withFaults("")).nodeIds();
    Shrinker s = new Shrinker(faults -> ScenarioRunner.run(scenario, withPlan(base, faults).withTerseTrace(true)).failed(check),
        nodes, ScenarioRunner.safetyNanos(scenario, base), maxRuns);
    FaultPlan original = failing.allFaults();
    List<TimedFault> all = s.failing(original.faults());
    if (all == null) return new Shrunk(scenario.name(), failing.seed(), check, original, original, false, s.runs, withPlan(base, original.faults()));
    List<TimedFault> small = s.shrink(all);
    return new Shrunk(scenario.name(), failing.seed(), check, original, new FaultPlan(small), true, s.runs, withPlan(base, small));
  }

  /** ddmin over the faults, then rounder times and values, then a last pass of single removals. */
  List<TimedFault> shrink(List<TimedFault> faults) {
    List<TimedFault> small = ddmin(faults);
    small = roundTimes(small);
    return dropOneByOne(small);
  }

  int runs() {
    return runs;
  }

  private static RunOptions withPlan(RunOptions base, List<TimedFault> faults) {
    return base.withFaults(new FaultPlan(faults).toString());
  }

  /**
   * One candidate run. The candidate less its no-op items must pass the check {@code ./sim run --faults}
   * makes (else it is no candidate, and costs no run); then: does it, on the same seed without the swarm,
   * fail the same check? Returns that acting plan if it fails, null if not.
   */
  List<TimedFault> failing(List<TimedFault> candidate) {
    FaultPlan acting = new FaultPlan(candidate).actingOnly(nodes, horizonNanos);
    try {
      FaultPlan.parseFor(acting.toString(), nodes, horizonNanos, false);
    } catch (IllegalArgumentException e) {
      return null;
    }
    runs++;
    return oracle.test(acting.faults()) ? acting.faults() : null;
  }

  private boolean budgetLeft() {
    return runs < maxRuns;
  }

  /** Zeller's ddmin: try each chunk alone, then each complement, refining the split until 1-minimal. */
  private List<TimedFault> ddmin(List<TimedFault> faults) {
    if (faults.isEmpty()) return faults;
    if (failing(List.of()) != null) return List.of();
    List<TimedFault> current = faults;
    int n = 2;
    while (current.size() >= 2 && budgetLeft()) {
      List<List<TimedFault>> chunks = split(current, n);
      List<TimedFault> next = firstFailing(chunks, c -> c);
      List<TimedFault> all = current;
      if (next == null && n > 2) next = firstFailing(chunks, c -> complement(all, c)); // with two chunks, complements are chunks
      if (next != null) {
        current = next;
        n = Math.max(n - 1, 2);
      } else {
        if (n >= current.size()) break;
        n = Math.min(current.size(), 2 * n);
      }
    }
    return current;
  }

  private List<TimedFault> firstFailing(List<List<TimedFault>> chunks, java.util.function.UnaryOperator<List<TimedFault>> candidateOf) {
    for (List<TimedFault> c : chunks) {
      if (!budgetLeft()) return null;
      List<TimedFault> candidate = candidateOf.apply(c);
      if (candidate.isEmpty()) continue; // the empty plan was tried first
      List<TimedFault> kept = failing(candidate);
      if (kept != null && !kept.isEmpty()) return kept;
    }
    return null;
  }

  private static List<List<TimedFault>> split(List<TimedFault> items, int n) {
    List<List<TimedFault>> out = new ArrayList<>();
    int size = items.size();
    for (int i = 0; i < n; i++) {
      int from = i * size / n;
      int to = (i + 1) * size / n;
      if (to > from) out.add(items.subList(from, to));
    }
    return out;
  }

  private static List<TimedFault> complement(List<TimedFault> all, List<TimedFault> chunk) {
    List<TimedFault> out = new ArrayList<>(all.size() - chunk.size());
    for (TimedFault f : all) if (!containsSame(chunk, f)) out.add(f);
    return out;
  }

  /** By identity: two equal faults at the same time are still two events. */
  private static boolean containsSame(List<TimedFault> list, TimedFault f) {
    for (TimedFault g : list) if (g == f) return true;
    return false;
  }

  /** The plan after a move, and the moved fault in it (null if the move made it a no-op, left out). */
  private record Moved(List<TimedFault> plan, TimedFault fault) {}

  /**
   * Moves each fault to the roundest nearby time that still fails, and rounds its probability. A move may
   * reorder the plan or leave another fault a no-op, so faults are followed by identity, not position.
   */
  private List<TimedFault> roundTimes(List<TimedFault> faults) {
    List<TimedFault> current = faults;
    for (TimedFault f : List.copyOf(faults)) {
      if (!budgetLeft()) break;
      if (indexOfSame(current, f) < 0) continue; // an earlier move left it a no-op
      Moved m = firstThatFails(current, f, roundedTimes(f));
      current = m.plan();
      if (m.fault() != null) current = firstThatFails(current, m.fault(), roundedValues(m.fault())).plan();
    }
    return current;
  }

  private Moved firstThatFails(List<TimedFault> current, TimedFault f, List<TimedFault> replacements) {
    for (TimedFault r : replacements) {
      if (!budgetLeft()) break;
      List<TimedFault> candidate = new ArrayList<>(current);
      candidate.set(indexOfSame(current, f), r);
      List<TimedFault> kept = failing(candidate);
      if (kept != null) return new Moved(kept, indexOfSame(kept, r) >= 0 ? r : null);
    }
    return new Moved(current, f);
  }

  private static int indexOfSame(List<TimedFault> list, TimedFault f) {
    for (int i = 0; i < list.size(); i++) if (list.get(i) == f) return i;
    return -1;
  }

  private List<TimedFault> roundedTimes(TimedFault f) {
    List<TimedFault> out = new ArrayList<>();
    List<Long> seen = new ArrayList<>(List.of(f.atNanos()));
    for (long unit : ROUND_UNITS_NANOS) {
      long down = f.atNanos() / unit * unit;
      for (long t : new long[] {down, down + unit}) {
        if (seen.contains(t) || t >= horizonNanos) continue;
        seen.add(t);
        out.add(new TimedFault(t, f.action()));
      }
      if (down == f.atNanos()) break; // already this round: finer units change nothing
    }
    return out;
  }

  private static List<TimedFault> roundedValues(TimedFault f) {
    List<TimedFault> out = new ArrayList<>();
    if (f.action() instanceof FaultAction.Drop d) {
      for (double p : roundedProbabilities(d.probability())) out.add(new TimedFault(f.atNanos(), new FaultAction.Drop(p)));
    } else if (f.action() instanceof FaultAction.Duplicate d) {
      for (double p : roundedProbabilities(d.probability())) out.add(new TimedFault(f.atNanos(), new FaultAction.Duplicate(p)));
    }
    return out;
  }

  /** 0.1 steps, then 0.05, then 0.01; never 0 (that would be a different fault: none). */
  private static List<Double> roundedProbabilities(double p) {
    List<Double> out = new ArrayList<>();
    for (double step : new double[] {0.1, 0.05, 0.01}) {
      double r = Math.round(p / step) * step;
      r = Math.round(r * 100) / 100.0;
      if (r > 0 && r <= 1 && r != p && !out.contains(r)) out.add(r);
    }
    return out;
  }

  /** Drops each fault whose removal still fails (moving times can make one unnecessary). */
  private List<TimedFault> dropOneByOne(List<TimedFault> faults) {
    List<TimedFault> current = faults;
    for (int i = current.size() - 1; i >= 0 && budgetLeft(); i = Math.min(i, current.size()) - 1) {
      List<TimedFault> candidate = new ArrayList<>(current);
      candidate.remove(i);
      List<TimedFault> kept = failing(candidate);
      if (kept != null) current = kept;
    }
    return current;
  }
}
