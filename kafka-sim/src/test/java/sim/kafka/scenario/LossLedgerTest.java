package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import sim.core.NodeId;
import sim.core.check.CheckResult;
import sim.kafka.broker.TopicPartition;

/** An excuse covers exactly the records its moment lost: that partition, earlier epochs, not survived. */
class LossLedgerTest {
  record Rec(TopicPartition tp, long offset, String value, int epoch) {}

  static final TopicPartition T0 = new TopicPartition("t", 0);
  static final TopicPartition T1 = new TopicPartition("t", 1);

  static final LossLedger.RecordKey<Rec> KEY = new LossLedger.RecordKey<>() {
    public TopicPartition tp(Rec r) {
      return r.tp();
    }

    public long offset(Rec r) {
      return r.offset();
    }

    public String value(Rec r) {
      return r.value();
    }

    public int epoch(Rec r) {
      return r.epoch();
    }

    public String id(Rec r) {
      return r.value() + "@" + r.tp() + ":" + r.offset();
    }
  };

  @Test
  void anUncleanElectionCoversOnlyEarlierEpochsOfItsPartitionThatTheNewLeaderLacked() {
    LossLedger ledger = new LossLedger();
    ledger.uncleanElection(T0, 2, NodeId.of("b3"), 5_000_000_000L);
    ledger.newLeader(T0, 2, NodeId.of("b3"), () -> Map.of(0L, "a"));
    List<Rec> lost = List.of(new Rec(T0, 1, "b", 1), new Rec(T0, 0, "a", 1), new Rec(T0, 1, "c", 2), new Rec(T1, 1, "d", 1));
    Map<String, List<String>> covered = ledger.covered(lost, KEY);
    assertEquals(1, covered.size(), covered.toString());
    assertEquals(List.of("b@t-0:1"), covered.values().iterator().next(),
        "a survived, c was written by the new leader, d is another partition's");
    CheckResult r = CheckResult.losses("x", "lost", lost.stream().map(KEY::id).toList(), covered);
    assertTrue(r.status() == CheckResult.Status.FAILED && r.detail().contains("a@t-0:0") && r.detail().contains("d@t-1:1"), r.render());
  }

  /** Replicas whose liveness, incarnation and logs the test states. */
  record Fake(Predicate<NodeId> isUp, int incarnationOfAll, Function<NodeId, Map<Long, String>> logs) implements LossLedger.Replicas {
    public boolean up(NodeId r) {
      return isUp.test(r);
    }

    public int incarnation(NodeId r) {
      return incarnationOfAll;
    }

    public Map<Long, String> log(NodeId r) {
      return logs.apply(r);
    }
  }

  /** Replicas that are all up, each partition's log read from {@code logs}. */
  static LossLedger.Replicas upWith(Map<NodeId, Map<Long, String>> logs) {
    return new Fake(r -> true, 2, r -> logs.getOrDefault(r, Map.of()));
  }

  @Test
  void aReplicaBackFromAnIsrWideCrashTellsWhatItKeptOfThatPartitionOnly() {
    LossLedger ledger = new LossLedger();
    NodeId b1 = NodeId.of("b1");
    LossLedger.Replicas down = upWith(Map.of());
    LossLedger.Replicas allDown = new Fake(r -> false, 1, down::log);
    ledger.isrIntact(T1, false, List.of(b1), 0, 1, allDown);
    // The watch asks partition by partition: t-0's logs first. b1 kept offset 0 of t-0 ("x") and of t-1 ("y").
    ledger.replicasBack(T0, upWith(Map.of(b1, Map.of(0L, "x"))));
    assertTrue(ledger.awaitsReplicas(), "t-0's logs say nothing of t-1's crash");
    ledger.replicasBack(T1, upWith(Map.of(b1, Map.of(0L, "y"))));
    ledger.resolveWithFinalLogs(Map.of());
    List<Rec> lost = List.of(new Rec(T1, 0, "y", 0), new Rec(T1, 0, "x", 0));
    Map<String, List<String>> covered = ledger.covered(lost, KEY);
    assertEquals(List.of("x@t-1:0"), covered.values().iterator().next(), "b1 kept y of t-1; x was t-0's record, never t-1's");
  }

  @Test
  void anIsrWideCrashCoversWhatNoCrashedReplicaKept() {
    LossLedger ledger = new LossLedger();
    LossLedger.Replicas down = new Fake(r -> false, 1, r -> Map.of());
    ledger.isrIntact(T0, false, List.of(NodeId.of("b1"), NodeId.of("b2")), 0, 1, down);
    ledger.isrIntact(T0, false, List.of(NodeId.of("b1"), NodeId.of("b2")), 0, 2, down); // still lost: one moment only
    Map<NodeId, Map<Long, String>> back = Map.of(NodeId.of("b1"), Map.of(0L, "a"), NodeId.of("b2"), Map.of(0L, "a", 1L, "b"));
    ledger.replicasBack(T0, new Fake(r -> true, 2, back::get));
    List<Rec> lost = List.of(new Rec(T0, 1, "b", 0), new Rec(T0, 2, "c", 0), new Rec(T0, 3, "e", 1));
    LossLedger unresolved = ledger;
    unresolved.resolveWithFinalLogs(Map.of());
    Map<String, List<String>> covered = unresolved.covered(lost, KEY);
    assertEquals(1, covered.size());
    assertEquals(List.of("c@t-0:2"), covered.values().iterator().next(), "none led again: b2 kept b; e came after the crash's epoch");
  }

  @Test
  void anIsrWideCrashIsJudgedByTheFirstOfItsReplicasToLeadAgain() {
    LossLedger ledger = new LossLedger();
    LossLedger.Replicas b2UpWithEverything = new Fake(r -> r.name().equals("b2"), 1, r -> Map.of(0L, "a", 1L, "b"));
    ledger.isrIntact(T0, false, List.of(NodeId.of("b1"), NodeId.of("b2")), 0, 1, b2UpWithEverything);
    ledger.newLeader(T0, 1, NodeId.of("b3"), () -> Map.of()); // not of that ISR: says nothing about it
    ledger.newLeader(T0, 2, NodeId.of("b1"), () -> Map.of(0L, "a")); // b1 lost its tail and leads: b2 will truncate
    Map<String, List<String>> covered = ledger.covered(List.of(new Rec(T0, 1, "b", 0)), KEY);
    assertEquals(List.of("b@t-0:1"), covered.values().iterator().next(), "the last replica standing lost b, although b2 had it");
  }
}
