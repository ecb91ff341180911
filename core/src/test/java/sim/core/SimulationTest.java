package sim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.TestNodes.Ping;
import sim.core.TestNodes.Recorder;
import sim.core.TestNodes.Tick;
import sim.core.check.SimulationFailure;
import sim.core.trace.TraceEvent;

class SimulationTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");

  private Simulation twoNodes(long seed) {
    Simulation sim = new Simulation(seed);
    sim.addNode(A, Recorder::new);
    sim.addNode(B, Recorder::new);
    return sim;
  }

  @Test
  void stepRunsExactlyOneEventAndSaysWhich() {
    Simulation sim = twoNodes(1);
    sim.node(A, Recorder.class).ctx.send(B, new Ping(1));
    sim.node(A, Recorder.class).ctx.setTimer(new Tick("t"), Durations.seconds(1));
    TraceEvent first = sim.step();
    assertEquals("deliver", first.kind());
    assertEquals(List.of("a:Ping[n=1]"), sim.node(B, Recorder.class).received);
    assertEquals(1, sim.pendingEvents());
    TraceEvent second = sim.step();
    assertEquals("timer", second.kind());
    assertEquals(Durations.seconds(1), sim.nowNanos());
    assertNull(sim.step(), "nothing left to run");
  }

  @Test
  void eventsAtTheSameInstantRunInTheOrderTheyWereScheduled() {
    Simulation sim = twoNodes(1);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      int n = i;
      sim.schedule(Durations.millis(5), "x" + i, () -> order.append(n).append(','));
    }
    sim.runFor(Durations.millis(5));
    assertEquals("0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,", order.toString());
  }

  @Test
  void crashLosesVolatileStateTimersAndInFlightMessages() {
    Simulation sim = twoNodes(1);
    Recorder b = sim.node(B, Recorder.class);
    b.volatileState = "changed";
    b.ctx.setTimer(new Tick("lost"), Durations.millis(10));
    sim.node(A, Recorder.class).ctx.send(B, new Ping(7));
    sim.crash(B);
    assertNull(sim.node(B));
    sim.restart(B);
    sim.runFor(Durations.seconds(1));
    Recorder fresh = sim.node(B, Recorder.class);
    assertEquals("fresh", fresh.volatileState);
    assertTrue(fresh.received.isEmpty(), "the timer and the message died with the old incarnation: " + fresh.received);
    assertEquals(1, sim.incarnation(B));
  }

  @Test
  void pauseDelaysTimersAndMessagesUntilResume() {
    Simulation sim = twoNodes(1);
    Recorder b = sim.node(B, Recorder.class);
    b.ctx.setTimer(new Tick("t"), Durations.millis(100));
    sim.pause(B);
    sim.runFor(Durations.seconds(2));
    assertTrue(b.received.isEmpty(), "a paused node runs nothing");
    sim.resume(B);
    sim.runFor(Durations.millis(1));
    assertEquals(List.of("timer:Tick[name=t]"), b.received);
    assertEquals(Durations.seconds(2), b.localTimes.get(0), "the timer fired late, at the resume");
  }

  @Test
  void clockSkewIsVisibleToTheNodeOnly() {
    Simulation sim = twoNodes(1);
    sim.setClockSkew(B, Durations.millis(250), 0);
    sim.setClockSkew(A, 0, 1000); // 1000 ppm = 1 ms per second fast
    sim.runFor(Durations.seconds(10));
    assertEquals(Durations.seconds(10) + Durations.millis(250), sim.node(B, Recorder.class).ctx.localTimeNanos());
    assertEquals(Durations.seconds(10) + Durations.millis(10), sim.node(A, Recorder.class).ctx.localTimeNanos());
    assertEquals(Durations.seconds(10), sim.nowNanos());
  }

  @Test
  void invariantViolationCarriesSeedReplayCommandAndLastEvents() {
    Simulation sim = twoNodes(42);
    sim.setReplayCommand("./sim run demo --seed 42");
    sim.addInvariant("no-pings", () -> sim.node(B, Recorder.class).received.isEmpty() ? null : "b got a ping");
    sim.node(A, Recorder.class).ctx.send(B, new Ping(1));
    SimulationFailure f = assertThrows(SimulationFailure.class, () -> sim.runFor(Durations.seconds(1)));
    assertEquals("no-pings", f.invariant());
    assertTrue(f.getMessage().contains("seed: 42"), f.getMessage());
    assertTrue(f.getMessage().contains("replay: ./sim run demo --seed 42"), f.getMessage());
    assertTrue(f.getMessage().contains("deliver"), "the last events are listed: " + f.getMessage());
  }

  @Test
  void aModelThatThrowsStopsTheRunWithTheSeed() {
    Simulation sim = new Simulation(9);
    sim.addNode(A, () -> new Recorder() {
      @Override
      public void onTimer(NodeContext ctx, Timer timer) {
        throw new IllegalStateException("bug in the model");
      }
    });
    sim.node(A, Recorder.class).ctx.setTimer(new Tick("boom"), 1);
    SimulationFailure f = assertThrows(SimulationFailure.class, () -> sim.runFor(10));
    assertTrue(f.getMessage().contains("bug in the model") && f.getMessage().contains("seed: 9"), f.getMessage());
  }

  @Test
  void randomStreamsAreIndependentOfEachOther() {
    Simulation one = new Simulation(5);
    long first = one.random("x").nextLong();
    Simulation two = new Simulation(5);
    two.random("y").nextLong();
    two.random("y").nextLong();
    assertEquals(first, two.random("x").nextLong(), "drawing from y must not change x");
    assertTrue(new Simulation(6).random("x").nextLong() != first, "another seed gives another stream");
  }

  @Test
  void slowNodeReceivesLater() {
    Simulation sim = twoNodes(1);
    sim.setSlow(B, Durations.millis(300));
    sim.node(A, Recorder.class).ctx.send(B, new Ping(1));
    sim.runFor(Durations.millis(250));
    assertTrue(sim.node(B, Recorder.class).received.isEmpty());
    sim.runFor(Durations.millis(100));
    assertNotNull(sim.node(B, Recorder.class).received.get(0));
  }

  @Test
  void fsyncThenMakesDataDurableOnlyWhenTheLatencyHasPassed() {
    Simulation sim = twoNodes(1);
    Recorder a = sim.node(A, Recorder.class);
    sim.disk(A).setFsyncLatencyNanos(Durations.millis(10));
    a.ctx.disk().append("log", new byte[] {1, 2, 3});
    a.ctx.fsyncThen("log", new Tick("synced"));
    sim.runFor(Durations.millis(5));
    assertTrue(a.received.isEmpty(), "the fsync has not returned yet");
    sim.crash(A);
    sim.restart(A);
    assertEquals(0, sim.disk(A).size("log"), "crashing during the fsync loses the write");

    Recorder again = sim.node(A, Recorder.class);
    again.ctx.disk().append("log", new byte[] {4});
    again.ctx.fsyncThen("log", new Tick("synced"));
    sim.runFor(Durations.millis(10));
    assertEquals(List.of("timer:Tick[name=synced]"), again.received);
    sim.crash(A);
    assertEquals(1, sim.disk(A).size("log"), "after completion the write is durable");
  }

  @Test
  void panicCrashesTheNodeRightAfterTheCurrentEvent() {
    Simulation sim = twoNodes(1);
    sim.node(A, Recorder.class).ctx.panic("fsync failed");
    assertTrue(sim.isUp(A), "still up until the kernel runs the crash");
    sim.step();
    assertTrue(!sim.isUp(A));
    assertTrue(sim.trace().last(5).stream().anyMatch(e -> e.kind().equals("panic") && e.detail().equals("fsync failed")));
  }

  @Test
  void invariantsCanBeCheckedEveryKthEventInsteadOfEveryEvent() {
    Simulation sim = twoNodes(1);
    int[] checks = {0};
    sim.addInvariant("counted", () -> {
      checks[0]++;
      return null;
    });
    sim.setInvariantInterval(10);
    for (int i = 0; i < 100; i++) sim.schedule(i, "e" + i, () -> {});
    sim.runFor(Durations.millis(1));
    assertEquals(10, checks[0], "100 events, checked after every 10th");
  }
}
