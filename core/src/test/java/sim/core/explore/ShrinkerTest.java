package sim.core.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.fault.FaultAction;
import sim.core.fault.TimedFault;

/** The shrinking steps on a stand-in for a run: a predicate over plans that says which still fail. */
class ShrinkerTest {
  private static final long HORIZON = Durations.seconds(30);
  private static final List<NodeId> NODES = IntStream.range(0, 40).mapToObj(i -> NodeId.of("n" + i)).toList();

  private static List<TimedFault> faults(int n) {
    List<TimedFault> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(new TimedFault(Durations.millis(1_234L * (i + 1)) + 567, new FaultAction.Crash(NodeId.of("n" + i))));
    return out;
  }

  private static boolean crashes(List<TimedFault> plan, String node) {
    return plan.stream().anyMatch(f -> f.action() instanceof FaultAction.Crash c && c.node().name().equals(node));
  }

  @Test
  void deltaDebuggingKeepsExactlyTheFaultsTheFailureNeedsAndRoundsTheirTimes() {
    Predicate<List<TimedFault>> fails = plan -> crashes(plan, "n3") && crashes(plan, "n11");
    Shrinker s = new Shrinker(fails, NODES, HORIZON, 400);
    List<TimedFault> small = s.shrink(faults(20));
    assertEquals(List.of("crash n3", "crash n11"), small.stream().map(f -> f.action().toString()).toList());
    for (TimedFault f : small) assertEquals(0, f.atNanos() % Durations.seconds(10), "the roundest time that still fails: " + f);
    assertTrue(s.runs() < 60, "ddmin needs few runs for two culprits among twenty: " + s.runs());
  }

  @Test
  void timesMoveOnlyAsFarAsTheFailureAllows() {
    // Fails only while the crash of n0 comes after 1.2s and before 1.7s: rounding must stop at 1.5s.
    Predicate<List<TimedFault>> fails = plan -> plan.stream().anyMatch(f -> f.action().toString().equals("crash n0")
        && f.atNanos() > Durations.millis(1_200) && f.atNanos() < Durations.millis(1_700));
    List<TimedFault> small = new Shrinker(fails, NODES, HORIZON, 400).shrink(faults(5));
    assertEquals(1, small.size());
    assertEquals(Durations.millis(1_500), small.get(0).atNanos(), small.toString());
  }

  @Test
  void aFailureThatNeedsNoFaultShrinksToTheEmptyPlan() {
    assertEquals(List.of(), new Shrinker(plan -> true, NODES, HORIZON, 400).shrink(faults(7)));
  }

  @Test
  void theRunBudgetIsNeverExceeded() {
    int[] calls = {0};
    Shrinker s = new Shrinker(plan -> {
      calls[0]++;
      return plan.size() >= 10; // needs any ten: ddmin keeps removing one at a time
    }, NODES, HORIZON, 25);
    List<TimedFault> small = s.shrink(faults(40));
    assertTrue(calls[0] <= 25, "runs: " + calls[0]);
    assertTrue(fails10(small), "whatever it returns still fails");
  }

  private static boolean fails10(List<TimedFault> plan) {
    return plan.size() >= 10;
  }
}
