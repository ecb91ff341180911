package sim.core.explore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.fault.FaultAction;
import sim.core.fault.FaultPlan;
import sim.core.fault.TimedFault;
import sim.core.testing.SimArbitraries;

/**
 * What the shrinker prints is a plan {@code ./sim run --faults} accepts: whatever it drops or moves, no item
 * of the result is a crash of a node already down, a restart of one that is up, a resume of one not paused.
 * The failures stand in for runs: predicates over the node states the kernel would have.
 */
class ShrunkPlanProperties {
  private static final long HORIZON = Durations.seconds(30);
  private static final List<String> NAMES = List.of("n0", "n1", "n2");
  private static final List<NodeId> NODES = NAMES.stream().map(NodeId::of).toList();

  @Provide
  Arbitrary<List<TimedFault>> swarms() {
    // Any items at any times, as a scenario's plan and a swarm's strikes together may be: some are no-ops.
    return SimArbitraries.timedFaults(NAMES, HORIZON).list().ofMinSize(1).ofMaxSize(25);
  }

  @Provide
  Arbitrary<List<TimedFault>> lifecycles() {
    // Mostly crashes, restarts, pauses and resumes of three nodes: many become no-ops as others are dropped.
    Arbitrary<FaultAction> action = Arbitraries.oneOf(node().map(FaultAction.Crash::new), node().map(FaultAction.Restart::new),
        node().map(FaultAction.Pause::new), node().map(FaultAction.Resume::new), Arbitraries.just(new FaultAction.Heal()));
    Arbitrary<TimedFault> fault = Combinators.combine(Arbitraries.longs().between(0, HORIZON), action).as(TimedFault::new);
    return fault.list().ofMinSize(1).ofMaxSize(25);
  }

  private static Arbitrary<NodeId> node() {
    return Arbitraries.of(NODES);
  }

  @Property(tries = 300)
  void aShrunkPlanPassesTheRunChecksAndStillFails(@ForAll("lifecycles") List<TimedFault> swarm,
      @ForAll @IntRange(min = 0, max = 2) int node, @ForAll @LongRange(min = 0, max = 29_999) long atMillis) {
    Predicate<List<TimedFault>> fails = plan -> !running(plan, NODES.get(node), Durations.millis(atMillis));
    assertShrinksToARunnablePlan(swarm, fails);
  }

  @Property(tries = 300)
  void aShrunkPlanKeepingChosenFaultsPassesTheRunChecks(@ForAll("swarms") List<TimedFault> swarm,
      @ForAll @IntRange(min = 0, max = 24) int first, @ForAll @IntRange(min = 0, max = 24) int second) {
    List<String> needed = List.of(swarm.get(first % swarm.size()).action().toString(), swarm.get(second % swarm.size()).action().toString());
    Predicate<List<TimedFault>> fails = plan -> needed.stream().allMatch(a -> plan.stream().anyMatch(f -> f.action().toString().equals(a)));
    assertShrinksToARunnablePlan(swarm, fails);
  }

  /** The old shrinker dropped the restart and printed "crash n1 at 28s" with n1 already down: a plan ./sim run refuses. */
  @Test
  void aCrashWhoseRestartWasDroppedIsNotPrintedAsACrashOfANodeAlreadyDown() {
    NodeId n1 = NodeId.of("n1");
    List<TimedFault> swarm = List.of(new TimedFault(Durations.seconds(5), new FaultAction.Crash(n1)),
        new TimedFault(Durations.seconds(10), new FaultAction.Restart(n1)), new TimedFault(Durations.seconds(28), new FaultAction.Crash(n1)));
    Predicate<List<TimedFault>> fails = plan -> !running(plan, n1, Durations.seconds(29))
        && plan.stream().anyMatch(f -> f.action() instanceof FaultAction.Crash && f.atNanos() >= Durations.seconds(20));
    List<TimedFault> small = assertShrinksToARunnablePlan(swarm, fails);
    assertEquals("at 20s crash n1", new FaultPlan(small).toString());
  }

  private static List<TimedFault> assertShrinksToARunnablePlan(List<TimedFault> swarm, Predicate<List<TimedFault>> fails) {
    int[] invalidSeen = {0};
    Predicate<List<TimedFault>> oracle = plan -> {
      if (!runnable(plan)) invalidSeen[0]++;
      return fails.test(plan);
    };
    Shrinker s = new Shrinker(oracle, NODES, HORIZON, 400);
    List<TimedFault> acting = s.failing(swarm);
    Assume.that(acting != null); // the unshrunk plan must fail to begin with
    List<TimedFault> small = s.shrink(acting);
    String text = new FaultPlan(small).toString();
    FaultPlan reparsed = assertDoesNotThrow(() -> FaultPlan.parseFor(text, NODES, HORIZON, false), "./sim run refuses: " + text);
    assertNotNull(reparsed);
    assertEquals(small, reparsed.faults(), "the printed plan parses back to what was run");
    assertTrue(fails.test(reparsed.faults()), "the printed plan still fails: " + text);
    assertTrue(small.size() <= acting.size(), "shrinking never adds faults");
    assertEquals(0, invalidSeen[0], "every candidate run was a plan ./sim run accepts");
    return small;
  }

  private static boolean runnable(List<TimedFault> plan) {
    try {
      FaultPlan.parseFor(new FaultPlan(plan).toString(), NODES, HORIZON, false);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** What the kernel does with crash, restart, pause and resume: an item that finds its node elsewhere is ignored. */
  private static boolean running(List<TimedFault> plan, NodeId node, long atNanos) {
    Map<NodeId, String> state = new HashMap<>();
    for (TimedFault f : new FaultPlan(plan).faults()) {
      if (f.atNanos() > atNanos) break;
      String s = state.getOrDefault(node, "up");
      FaultAction a = f.action();
      if (a instanceof FaultAction.Crash c && c.node().equals(node)) state.put(node, "down");
      else if (a instanceof FaultAction.Restart r && r.node().equals(node) && s.equals("down")) state.put(node, "up");
      else if (a instanceof FaultAction.Pause p && p.node().equals(node) && s.equals("up")) state.put(node, "paused");
      else if (a instanceof FaultAction.Resume r && r.node().equals(node) && s.equals("paused")) state.put(node, "up");
    }
    return state.getOrDefault(node, "up").equals("up");
  }
}
