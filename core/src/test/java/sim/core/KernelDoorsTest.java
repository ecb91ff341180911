package sim.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.TestNodes.Ping;
import sim.core.TestNodes.Recorder;
import sim.core.TestNodes.Tick;
import sim.core.check.CheckResult;
import sim.core.scenario.InvalidRunOptionsException;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

/** The kernel's doors: durability (blocking and not), connection resets, lesson checks and rule breaks. */
class KernelDoorsTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");

  private Simulation twoNodes() {
    Simulation sim = new Simulation(1);
    sim.addNode(A, Recorder::new);
    sim.addNode(B, Recorder::new);
    return sim;
  }

  @Test
  void aBlockingFsyncHoldsEveryOtherEventOfTheNodeUntilItReturns() {
    Simulation sim = twoNodes();
    sim.disk(A).setFsyncLatencyNanos(Durations.millis(50));
    Recorder a = sim.node(A, Recorder.class);
    a.ctx.disk().append("aof", new byte[] {1});
    a.ctx.fsyncBlocking(List.of("aof"), new Tick("written"));
    a.ctx.setTimer(new Tick("cron"), Durations.millis(10));
    sim.node(B, Recorder.class).ctx.send(A, new Ping(1));
    sim.runFor(Durations.millis(40));
    assertTrue(a.received.isEmpty(), "blocked in fsync: " + a.received);
    assertTrue(sim.isBlockedInFsync(A));
    sim.runFor(Durations.millis(20));
    assertEquals("timer:Tick[name=written]", a.received.get(0), "the fsync returns first");
    assertEquals(3, a.received.size(), "then the held timer and message run: " + a.received);
    assertTrue(a.localTimes.get(1) >= Durations.millis(50), "the held events run after the fsync returned");
    assertFalse(sim.isBlockedInFsync(A));
  }

  @Test
  void aNonBlockingFsyncLetsTheNodeRunAndReportsAFailureToTheNode() {
    Simulation sim = twoNodes();
    sim.disk(A).setFsyncLatencyNanos(Durations.millis(50));
    Recorder a = sim.node(A, Recorder.class);
    a.ctx.disk().append("wal", new byte[] {1});
    sim.disk(A).failNextFsyncs(1);
    a.ctx.fsyncThen("wal", new Tick("flushed"));
    sim.node(B, Recorder.class).ctx.send(A, new Ping(1));
    sim.runFor(Durations.millis(100));
    assertEquals(List.of("b:Ping[n=1]", "fsync-failed:[wal]"), a.received);
    assertTrue(sim.trace().last(50).stream().anyMatch(e -> e.kind().equals("fsync.wait")));
    assertTrue(sim.trace().last(50).stream().anyMatch(e -> e.kind().equals("fsync.failed")));
  }

  @Test
  void aCrashResetsOpenConnectionsButAPartitionAndAPauseStaySilent() {
    Simulation sim = twoNodes();
    sim.node(A, Recorder.class).ctx.send(B, new Ping(1));
    sim.runFor(Durations.millis(10));
    Recorder b = sim.node(B, Recorder.class);
    sim.pause(A);
    sim.runFor(Durations.millis(10));
    sim.resume(A);
    sim.network().partition(Set.of(A), Set.of(B));
    sim.runFor(Durations.millis(10));
    assertEquals(List.of("a:Ping[n=1]"), b.received, "pauses and partitions send nothing");
    sim.network().heal();
    sim.crash(A);
    sim.runFor(Durations.millis(10));
    assertEquals(List.of("a:Ping[n=1]", "reset:a"), b.received, "the dead process's OS answers with an RST");
  }

  @Test
  void aResetReachesOnlyPeersThatHadAConnectionAndNotAcrossAPartition() {
    Simulation sim = twoNodes();
    NodeId c = NodeId.of("c");
    sim.addNode(c, Recorder::new);
    sim.node(A, Recorder.class).ctx.send(B, new Ping(1));
    sim.node(A, Recorder.class).ctx.send(c, new Ping(2));
    sim.runFor(Durations.millis(10));
    sim.network().partition(Set.of(A), Set.of(c));
    sim.crash(A);
    sim.runFor(Durations.millis(10));
    assertEquals(List.of("a:Ping[n=1]", "reset:a"), sim.node(B, Recorder.class).received);
    assertEquals(List.of("a:Ping[n=2]"), sim.node(c, Recorder.class).received, "the RST died in the partition");
  }

  /** A scenario whose lesson holds only when its own plan crashes a. */
  private static final class Story implements Scenario {
    @Override public String name() { return "test.story"; }
    @Override public String summary() { return "a crash happens"; }
    @Override public String explanation() { return "the plan crashes a"; }
    @Override public String faultPlan() { return "at 1s crash a"; }
    @Override public long durationNanos() { return Durations.seconds(2); }
    @Override public long livenessNanos() { return Durations.seconds(1); }

    @Override
    public void setup(Simulation sim) {
      sim.addNode(A, Recorder::new);
      boolean broken = sim.isBroken("test.always-hold");
      sim.addLessonCheck("test.crash-happened", () -> CheckResult.of("test.crash-happened", sim.incarnation(A) > 0, "incarnation " + sim.incarnation(A)));
      sim.addFinalCheck("test.rule-held", () -> CheckResult.of("test.rule-held", !broken, broken ? "rule broken" : "rule held"));
    }
  }

  @Test
  void aLessonThatDidNotHappenFailsUnderItsOwnPlanAndIsNotDemonstratedUnderOthers() {
    Story story = new Story();
    RunResult own = ScenarioRunner.run(story, RunOptions.seed(1));
    assertTrue(own.ok(), own.describeFailure());
    assertEquals(CheckResult.Status.OK, own.check("test.crash-happened").status());

    RunResult none = ScenarioRunner.run(story, RunOptions.seed(1).withFaults(""));
    assertTrue(none.ok(), "another plan: the lesson is not demonstrated, which is no violation");
    assertEquals(CheckResult.Status.NOT_DEMONSTRATED, none.check("test.crash-happened").status());
  }

  @Test
  void aBrokenRuleReachesTheModelAndAnUnconsultedOneIsRefused() {
    Story story = new Story();
    RunResult broken = ScenarioRunner.run(story, RunOptions.seed(1).withBreaks(Set.of("test.always-hold")));
    assertFalse(broken.ok());
    assertTrue(broken.replayCommand().contains("--break test.always-hold"), broken.replayCommand());
    assertThrows(InvalidRunOptionsException.class,
        () -> ScenarioRunner.run(story, RunOptions.seed(1).withBreaks(Set.of("test.nobody-asks"))));
  }

  @Test
  void lossesAreExcusedOnlyWhenEveryLostRecordIsCovered() {
    CheckResult covered = CheckResult.losses("acked", "2 lost", List.of("w1", "w2"), java.util.Map.of("rule A", Set.of("w1", "w2", "w3")));
    assertTrue(covered.expected(), covered.render());
    assertEquals(List.of("w1", "w2"), covered.excuse().records());
    CheckResult partly = CheckResult.losses("acked", "2 lost", List.of("w1", "w9"), java.util.Map.of("rule A", Set.of("w1")));
    assertFalse(partly.ok(), partly.render());
    assertTrue(partly.detail().contains("w9"), partly.detail());
  }
}
