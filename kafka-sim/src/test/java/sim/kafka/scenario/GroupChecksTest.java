package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.GroupLedger;

/** The processed-at-least-once excuse covers a missed record only if the group had read past its offset before the loss. */
class GroupChecksTest {
  static final TopicPartition TP = new TopicPartition("orders", 0);
  static final TopicPartition OTHER = new TopicPartition("orders", 1);
  static final Map<String, Long> LOSS_AT_10S = Map.of("acks=all is not fsync: every in-sync replica of orders-0 had crashed by 10.0s", 10_000_000_000L);

  static GroupLedger.Commit commit(TopicPartition tp, long offset, long atNanos) {
    return new GroupLedger.Commit("c1", "m1", 1, tp, offset, atNanos);
  }

  static GroupLedger.Processed processed(TopicPartition tp, long offset, long atNanos) {
    return new GroupLedger.Processed("c1", "m1", 1, tp, offset, "v" + offset, atNanos);
  }

  @Test
  void aPositionReachedBeforeTheLossExcusesTheReusedOffsetsBelowIt() {
    List<String> rules = GroupChecks.reusedOffsetRules(TP, 7, LOSS_AT_10S, List.of(commit(TP, 8, 9_000_000_000L)), List.of());
    assertEquals(1, rules.size(), rules.toString());
    assertTrue(rules.get(0).contains("position 8 by 10.000s"), rules.get(0));
    assertEquals(1, GroupChecks.reusedOffsetRules(TP, 9, LOSS_AT_10S, List.of(), List.of(processed(TP, 9, 10_000_000_000L))).size(),
        "a record processed at the loss moment counts (position 10)");
  }

  @Test
  void aPositionReachedOnlyAfterTheLossExcusesNothing() {
    // The group read offsets 0..9 only after the loss: those reads were of the new records, so a miss below 10 is a real miss.
    assertEquals(List.of(), GroupChecks.reusedOffsetRules(TP, 7, LOSS_AT_10S, List.of(commit(TP, 10, 10_000_000_001L)),
        List.of(processed(TP, 9, 12_000_000_000L))));
  }

  @Test
  void offsetsAtOrPastThePositionAndOtherPartitionsAreNotExcused() {
    List<GroupLedger.Commit> commits = List.of(commit(TP, 8, 1_000_000_000L), commit(OTHER, 100, 1_000_000_000L));
    assertEquals(List.of(), GroupChecks.reusedOffsetRules(TP, 8, LOSS_AT_10S, commits, List.of()), "offset 8 is at the position, not past it");
    assertEquals(List.of(), GroupChecks.reusedOffsetRules(TP, 7, Map.of(), commits, List.of()), "no loss, no excuse");
    assertEquals(List.of(), GroupChecks.reusedOffsetRules(TP, 50, LOSS_AT_10S, commits, List.of()), "orders-1's position says nothing about orders-0");
  }
}
