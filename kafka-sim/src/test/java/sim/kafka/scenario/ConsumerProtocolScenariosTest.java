package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;

/** KIP-848's consumer protocol: incremental reconciliation without a barrier, fencing after the session timeout, failover. */
class ConsumerProtocolScenariosTest {
  record Traced(RunResult result, List<TraceEvent> events) {
    List<TraceEvent> of(String kind) {
      return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    TraceEvent first(String kind, String node) {
      return events.stream().filter(e -> e.kind().equals(kind) && e.node().equals(node)).findFirst().orElseThrow(() -> new AssertionError(node + " never " + kind));
    }
  }

  static Traced traced(Scenario s, long seed, String faults) {
    List<TraceEvent> events = new ArrayList<>();
    RunOptions o = RunOptions.seed(seed).withListeners(List.of(events::add));
    RunResult r = ScenarioRunner.run(s, faults == null ? o : o.withFaults(faults));
    SimTesting.assertOk(r);
    return new Traced(r, events);
  }

  @Test
  void aJoiningMemberTakesPartitionsOneRevocationAtATimeWhileTheOthersKeepConsuming() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(ConsumerProtocolScenarios.rebalance(), seed, null);
      long joined = t.first("kafka.consumer.join", "c3").timeNanos();
      List<TraceEvent> revokes = t.of("kafka.consumer.revoke").stream().filter(e -> e.timeNanos() > joined).toList();
      assertEquals(2, revokes.size(), "c1 and c2 each revoke once: " + revokes);
      for (TraceEvent e : revokes) {
        assertTrue(e.detail().matches(".*revokes \\[orders-\\d\\] .*"), "one partition, not everything: " + e.detail());
      }
      assertTrue(t.of("kafka.group.reconcile").stream().anyMatch(e -> e.timeNanos() > joined && e.detail().contains("UNREVOKED_PARTITIONS")));
      assertTrue(t.of("kafka.group.reconcile").stream().anyMatch(e -> e.timeNanos() > joined && e.detail().contains("UNRELEASED_PARTITIONS")));
      long lastRevoke = revokes.get(revokes.size() - 1).timeNanos();
      long processedMeanwhile = t.of("kafka.consumer.process").stream().filter(e -> e.timeNanos() > joined && e.timeNanos() < lastRevoke && !e.node().equals("c3")).count();
      assertTrue(processedMeanwhile > 0, "c1 and c2 processed records while the partitions moved");
      for (String lesson : List.of("kafka.story.partitions-move-one-revocation-at-a-time", "kafka.story.new-member-waits-for-release")) {
        CheckResult c = t.result().check(lesson);
        assertTrue(c.ok(), c.render());
      }
      assertTrue(t.result().check("kafka.group-processed-at-least-once").ok());
    }
  }

  @Test
  void aCrashedMemberIsFencedAfterTheSessionTimeoutAndItsPartitionsMove() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(ConsumerProtocolScenarios.memberCrash(), seed, null);
      TraceEvent fenced = t.of("kafka.group.member.fenced").stream().filter(e -> e.detail().contains("session.timeout.ms=45000")).findFirst().orElseThrow();
      // 45 s after its last heartbeat, which was at most one heartbeat interval (5 s) before the crash at 12s.
      assertTrue(fenced.timeNanos() >= 52_000_000_000L && fenced.timeNanos() <= 57_100_000_000L, "45 s after its last heartbeat: " + fenced);
      CheckResult moved = t.result().check("kafka.story.partitions-move-to-the-survivors");
      assertTrue(moved.ok(), moved.render());
      CheckResult once = t.result().check("kafka.group-processed-at-least-once");
      assertTrue(once.ok() && once.detail().contains("every acknowledged record"), once.render());
    }
  }

  /** The coordinator's broker dies mid-run: the next leader of the offsets partition replays the ConsumerGroup* records. */
  @Test
  void theNextCoordinatorLoadsTheGroupFromItsRecords() {
    Traced t = traced(ConsumerProtocolScenarios.rebalance(), 1, "at 0s crash c3; at 20s restart c3; at 30s crash b3; at 38s restart b3");
    TraceEvent load = t.of("kafka.group.load").stream().filter(e -> !e.node().equals("b3") && e.detail().contains("consumer groups [billing epoch"))
        .findFirst().orElseThrow(() -> new AssertionError("no other broker loaded the consumer group"));
    assertTrue(load.detail().contains("3 members"), load.detail());
    assertTrue(t.of("kafka.group.member.fenced").isEmpty(), "members found the new coordinator within their sessions: " + t.of("kafka.group.member.fenced"));
    CheckResult kept = t.result().check("kafka.group-committed-offsets-kept");
    assertTrue(kept.ok(), kept.render());
  }
}
