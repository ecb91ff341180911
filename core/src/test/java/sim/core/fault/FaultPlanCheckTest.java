package sim.core.fault;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;

class FaultPlanCheckTest {
  private static final List<NodeId> NODES = List.of(NodeId.of("b1"), NodeId.of("b2"), NodeId.of("client"));
  private static final long END = Durations.seconds(30);

  private static String problem(String plan) {
    return assertThrows(InvalidFaultPlanException.class, () -> FaultPlan.parseFor(plan, NODES, END, false)).getMessage();
  }

  @Test
  void anItemAfterTheFaultPhaseIsNamedWithItsColumn() {
    String m = problem("at 5s crash b1; at 500s restart b1");
    assertTrue(m.contains("column 17: 'at 500s restart b1' comes after the fault phase ends at 30s"), m);
    assertTrue(m.contains("--for 500s"), m);
    assertTrue(m.endsWith("\n" + " ".repeat(2 + 16) + "^"), "a caret under column 17: " + m);
  }

  @Test
  void aRestartBeforeAnyCrashCannotAct() {
    String m = problem("at 9s restart b1");
    assertTrue(m.contains("column 1: 'at 9s restart b1': b1 is not down at 9s (no crash of b1 before it)"), m);
    assertTrue(problem("at 5s crash b1; at 6s restart b1; at 7s restart b1").contains("running again since 6s"));
    assertTrue(problem("at 5s restart b1; at 5s crash b1").contains("restart b1"), "same time: the order written decides");
  }

  @Test
  void aResumeBeforeAPauseCannotAct() {
    assertTrue(problem("at 3s resume b2").contains("b2 is not paused at 3s (no pause of b2 before it)"));
    assertTrue(problem("at 3s crash b2; at 4s pause b2").contains("b2 is down at 4s"));
    assertTrue(problem("at 1s crash b1; at 2s crash b1").contains("already down"));
  }

  @Test
  void unknownNodesAreNamedWithSuggestions() {
    String m = problem("at 3s crash b3; at 4s partition b1|b9");
    assertTrue(m.contains("2 items cannot act"), m);
    assertTrue(m.contains("names node b3, which this scenario does not have; did you mean b1, b2?"), m);
    assertTrue(m.contains("column 17") && m.contains("node b9"), m);
  }

  @Test
  void plansThatCanActPass() {
    assertDoesNotThrow(() -> FaultPlan.parseFor("at 5s crash b1; at 9s restart b1; at 10s pause b2; at 11s resume b2; at 30s heal", NODES, END, false));
    // A disk error can make the model fail-stop, so a later restart may act.
    assertDoesNotThrow(() -> FaultPlan.parseFor("at 5s disk b1 eio 1; at 9s restart b1", NODES, END, false));
    // Random faults may crash or pause any node: only nodes and times are checked.
    assertDoesNotThrow(() -> FaultPlan.parseFor("at 9s restart b1; at 10s resume b2", NODES, END, true));
    assertThrows(InvalidFaultPlanException.class, () -> FaultPlan.parseFor("at 31s heal", NODES, END, true));
  }
}
