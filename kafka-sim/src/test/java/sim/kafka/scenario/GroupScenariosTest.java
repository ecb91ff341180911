package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.kafka.group.GroupCoordinator;

/** The consumer-group lessons, each with its own faults over several seeds, and the coordinator's partition choice. */
class GroupScenariosTest {
  record Traced(RunResult result, List<TraceEvent> events) {
    boolean has(String kind, String part) {
      return events.stream().anyMatch(e -> e.kind().equals(kind) && e.detail().contains(part));
    }
  }

  static Traced traced(Scenario s, long seed) {
    List<TraceEvent> events = new ArrayList<>();
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(seed).withListeners(List.of(events::add)));
    SimTesting.assertOk(r);
    return new Traced(r, events);
  }

  @Property(tries = 500)
  void theCoordinatorPartitionIsKafkas(@ForAll @StringLength(max = 40) String groupId, @ForAll @IntRange(min = 1, max = 200) int partitions) {
    assertEquals(org.apache.kafka.common.utils.Utils.abs(groupId.hashCode()) % partitions, GroupCoordinator.partitionFor(groupId, partitions));
  }

  @Test
  void aDeadMembersPartitionsMoveAndEveryRecordIsProcessed() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(GroupScenarios.memberFailover(), seed);
      assertTrue(t.has("kafka.group.member.expired", "session.timeout.ms=10000"));
      CheckResult once = t.result().check("kafka.group-processed-at-least-once");
      assertTrue(once.ok() && once.detail().contains("every acknowledged record"), once.render());
      assertTrue(t.result().check("kafka.group-committed-offsets-kept").ok());
    }
  }

  @Test
  void theNextLeaderOfTheOffsetsPartitionLoadsTheGroupWithoutARebalance() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(GroupScenarios.coordinatorFailover(), seed);
      assertTrue(t.events().stream().anyMatch(e -> e.kind().equals("kafka.group.load") && e.detail().contains("STABLE billing generation 1")),
          "the new coordinator loaded generation 1 from the log");
      assertFalse(t.has("kafka.group.generation", "generation 2"), "members carried on in generation 1");
      CheckResult kept = t.result().check("kafka.group-committed-offsets-kept");
      assertTrue(kept.ok() && !kept.expected(), kept.render());
    }
  }

  @Test
  void committingBeforeProcessingSkipsOnlyWhatTheCrashedMemberHadCommitted() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(GroupScenarios.atMostOnce(), seed);
      CheckResult skipped = t.result().check("kafka.story.committed-but-never-processed");
      assertTrue(skipped.ok(), skipped.render());
      assertFalse(skipped.detail().contains("orders-0:") || skipped.detail().contains("orders-1:") || skipped.detail().contains("orders-4:")
          || skipped.detail().contains("orders-5:"), "only c2's partitions (orders-2, orders-3) skip: " + skipped.detail());
    }
  }

  @Test
  void eagerRevokesEverythingCooperativeOnlyWhatMoves() {
    Traced eager = traced(GroupScenarios.eagerRebalance(), 1);
    Traced cooperative = traced(GroupScenarios.cooperativeRebalance(), 1);
    long eagerRevoked = eager.events().stream().filter(e -> e.kind().equals("kafka.consumer.revoke") && e.timeNanos() > 20_000_000_000L).count();
    assertTrue(eager.has("kafka.consumer.revoke", "eager rebalance"));
    assertTrue(cooperative.has("kafka.consumer.revoke", "cooperative rebalance"));
    assertFalse(cooperative.has("kafka.consumer.revoke", "eager"));
    assertTrue(eagerRevoked >= 2, "both old members revoke in the eager rebalance");
  }

  @Test
  void aStaticMemberRestartsWithoutARebalance() {
    for (long seed = 1; seed <= 3; seed++) {
      Traced t = traced(GroupScenarios.staticMember(), seed);
      assertTrue(t.has("kafka.group.join", "no rebalance"));
      assertFalse(t.events().stream().anyMatch(e -> e.kind().equals("kafka.group.rebalance") && e.timeNanos() > 15_000_000_000L
          && e.timeNanos() < 30_000_000_000L), "no rebalance around the restart");
    }
  }
}
