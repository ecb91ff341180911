package sim.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.Timer;
import sim.core.testing.SimArbitraries;

class FaultPlanTest {
  @Test
  void parsesTheIssueExample() {
    FaultPlan plan = FaultPlan.parse("at 5s crash n2; at 7s partition n1|n2,n3; at 9s heal");
    assertEquals(3, plan.faults().size());
    assertEquals(Durations.seconds(7), plan.faults().get(1).atNanos());
    FaultAction.Partition p = assertInstanceOf(FaultAction.Partition.class, plan.faults().get(1).action());
    assertEquals(2, p.groups().size());
    assertEquals("at 5s crash n2; at 7s partition n1|n2,n3; at 9s heal", plan.toString());
  }

  @Test
  void acceptsNewlinesCommentsAndEveryAction() {
    FaultPlan plan = FaultPlan.parse("""
        # a comment
        at 100ms pause n1
        at 1.5s resume n1; at 2s block n1->n2
        at 3s drop 0.25; at 3s duplicate 0.1; at 3s reorder on
        at 4s slow n3 50ms; at 4s skew n2 200ms
        at 5s disk n1 torn; at 5s disk n1 eio 3; at 5s disk n2 full; at 6s disk n1 corrupt 00000.log 10 4
        at 7s disk n1 fsync-eio 1; at 7s disk n1 fsync-latency 10ms; at 7s disk n2 corrupt-reads 0.01
        """);
    assertEquals(15, plan.faults().size());
    assertEquals(plan, FaultPlan.parse(plan.toString()));
  }

  @Test
  void errorsNameTheColumnAndWhatWasExpected() {
    FaultPlanSyntaxException e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("at 5s crash n1; at 7x heal"));
    assertEquals(20, e.column());
    assertTrue(e.getMessage().contains("unknown unit 'x'"), e.getMessage());

    e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("at 5s explode n1"));
    assertEquals(7, e.column());
    assertTrue(e.getMessage().contains("unknown action 'explode'"), e.getMessage());

    e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("crash n1"));
    assertTrue(e.getMessage().contains("expected 'at'"), e.getMessage());

    e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("at 1s partition n1"));
    assertTrue(e.getMessage().contains("groups"), e.getMessage());

    e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("at 1s drop 2"));
    assertTrue(e.getMessage().contains("probability"), e.getMessage());

    e = assertThrows(FaultPlanSyntaxException.class, () -> FaultPlan.parse("at 1s crash n1 n2"));
    assertTrue(e.getMessage().contains("expected ';'"), e.getMessage());
  }

  @Property(tries = 200)
  void printedPlansParseBackToTheSamePlan(@ForAll("plans") String text) {
    FaultPlan plan = FaultPlan.parse(text);
    assertEquals(plan, FaultPlan.parse(plan.toString()));
  }

  @Provide
  Arbitrary<String> plans() {
    return SimArbitraries.faultPlans(List.of("n1", "n2", "n3"), Durations.seconds(20), 8);
  }

  @Test
  void corruptingMoreThanAFileHoldsCorruptsWhatThereIsAndNeverFailsTheRun() {
    Simulation simulation = new Simulation(1);
    simulation.addNode(NodeId.of("n1"), () -> new Node() {
      public void start(NodeContext ctx) { ctx.disk().write("log", 0, new byte[] {1, 2, 3}); }
      public void onMessage(NodeContext ctx, NodeId from, Message m) {}
      public void onTimer(NodeContext ctx, Timer t) {}
    });
    FaultPlan.parse("at 1s disk n1 corrupt log 2 10; at 1s disk n1 corrupt missing 0 4; at 1s disk n1 corrupt log 9 1").schedule(simulation);
    simulation.runFor(Durations.seconds(2));
    byte[] now = simulation.disk(NodeId.of("n1")).readAll("log");
    assertEquals(1, now[0]);
    assertEquals(2, now[1]);
    assertTrue(now[2] != 3, "the one byte in range is corrupted");
    assertEquals(2, simulation.trace().last(20).stream().filter(e -> e.detail().contains("nothing to corrupt")).count());
  }
}
