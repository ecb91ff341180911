package sim.core.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;
import sim.example.register.RegisterScenarios;

/** {@code drop message ID} and {@code duplicate message ID}: one message in flight, named by its trace id. */
class MessageFaultsTest {
  private final RegisterScenarios.Register register = new RegisterScenarios.Register(true);

  /** A message in flight just before {@code atNanos} in the plain run of seed 1, and a time before its arrival. */
  private Simulation.InFlight inFlightAt(long atNanos) {
    Simulation sim = ScenarioRunner.prepare(register, RunOptions.seed(1).withFaults(""));
    sim.runUntilTime(atNanos);
    List<Simulation.InFlight> flying = sim.inFlight();
    assertFalse(flying.isEmpty(), "something is in flight at " + Durations.format(atNanos));
    Simulation.InFlight m = flying.get(0);
    assertTrue(m.arrivalNanos() > atNanos, "in flight means still to arrive: " + m);
    return m;
  }

  private List<TraceEvent> eventsOf(String plan, long messageId) {
    List<TraceEvent> seen = new ArrayList<>();
    RunResult r = ScenarioRunner.run(register, RunOptions.seed(1).withFaults(plan)
        .withListeners(List.of(e -> { if (e.messageId() == messageId) seen.add(e); })));
    assertNotNull(r);
    return seen;
  }

  @Test
  void droppedMessageDiesWhereItWouldHaveArrivedAndNothingElseChangesBeforeIt() {
    long at = Durations.millis(1500);
    Simulation.InFlight m = inFlightAt(at);
    String plan = "at " + Durations.formatExact(at + 1) + " drop message " + m.id();
    List<TraceEvent> fate = eventsOf(plan, m.id());
    assertEquals(List.of("send", "drop"), fate.stream().map(TraceEvent::kind).toList(), "sent, then lost: " + fate);
    TraceEvent drop = fate.get(1);
    assertEquals("lost (fault plan)", drop.attribute("reason"));
    assertEquals(m.arrivalNanos(), drop.timeNanos(), "it dies where it would have arrived");
    assertEquals(m.to(), drop.node());
  }

  @Test
  void duplicatedMessageArrivesTwice() {
    long at = Durations.millis(1500);
    Simulation.InFlight m = inFlightAt(at);
    List<TraceEvent> fate = eventsOf("at " + Durations.formatExact(at + 1) + " duplicate message " + m.id(), m.id());
    List<String> kinds = fate.stream().map(TraceEvent::kind).toList();
    assertEquals(2, kinds.stream().filter(k -> k.equals("deliver") || k.equals("drop")).count(), "two arrivals: " + fate);
  }

  @Test
  void aMessageNoLongerInFlightIsTracedAsNothingToDo() {
    List<String> faults = new ArrayList<>();
    ScenarioRunner.run(register, RunOptions.seed(1).withFaults("at 1s drop message 999999999")
        .withListeners(List.of(e -> { if (e.kind().equals("fault")) faults.add(e.detail()); })));
    assertEquals(List.of("drop message 999999999: not in flight: nothing to drop"), faults);
  }

  @Test
  void planTextRoundTrips() {
    FaultPlan plan = FaultPlan.parse("at 1s drop message 57; at 2s duplicate message 3; at 3s drop 0.5");
    assertEquals("at 1s drop message 57; at 2s duplicate message 3; at 3s drop 0.5", plan.toString());
    assertEquals(new FaultAction.DropMessage(57), plan.faults().get(0).action());
    assertEquals("drop-message", plan.faults().get(0).action().kind());
  }
}
