package sim.kafka.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.TopicPartition;

/** One reconciliation step at a time, as Kafka's CurrentAssignmentBuilder takes it. */
class CurrentAssignmentBuilderTest {
  static TopicPartition tp(int p) {
    return new TopicPartition("orders", p);
  }

  static TreeSet<TopicPartition> tps(int... ps) {
    TreeSet<TopicPartition> out = new TreeSet<>();
    for (int p : ps) out.add(tp(p));
    return out;
  }

  static ConsumerGroupMember member(int epoch, ConsumerGroupMember.State s, TreeSet<TopicPartition> assigned, TreeSet<TopicPartition> revoking) {
    return ConsumerGroupMember.joining("m").withAssignmentState(epoch, epoch - 1, s, assigned, revoking);
  }

  @Test
  void partitionsTakenAwayAreRevokedFirstAtTheSameEpoch() {
    ConsumerGroupMember m = member(3, ConsumerGroupMember.State.STABLE, tps(0, 1, 2), tps());
    ConsumerGroupMember next = new CurrentAssignmentBuilder(m).withTargetAssignment(4, tps(0, 1)).withOwnedTopicPartitions(List.of(tp(0), tp(1), tp(2))).build();
    assertEquals(ConsumerGroupMember.State.UNREVOKED_PARTITIONS, next.state());
    assertEquals(3, next.memberEpoch());
    assertEquals(tps(0, 1), next.assignedPartitions());
    assertEquals(tps(2), next.partitionsPendingRevocation());
    // Still listed in its heartbeat: no progress.
    assertEquals(next, new CurrentAssignmentBuilder(next).withTargetAssignment(4, tps(0, 1)).withOwnedTopicPartitions(List.of(tp(0), tp(1), tp(2))).build());
    // Acknowledged: the next epoch, stable.
    ConsumerGroupMember done = new CurrentAssignmentBuilder(next).withTargetAssignment(4, tps(0, 1)).withOwnedTopicPartitions(List.of(tp(0), tp(1))).build();
    assertEquals(ConsumerGroupMember.State.STABLE, done.state());
    assertEquals(4, done.memberEpoch());
    assertEquals(3, done.previousMemberEpoch());
    assertEquals(tps(), done.partitionsPendingRevocation());
  }

  @Test
  void aPartitionStillHeldElsewhereWaitsUnreleased() {
    Map<TopicPartition, Integer> held = Map.of(tp(2), 3);
    ConsumerGroupMember m = member(0, ConsumerGroupMember.State.STABLE, tps(), tps());
    ConsumerGroupMember next = new CurrentAssignmentBuilder(m).withTargetAssignment(4, tps(2, 5)).withCurrentPartitionEpoch(p -> held.getOrDefault(p, -1))
        .withOwnedTopicPartitions(List.of()).build();
    assertEquals(ConsumerGroupMember.State.UNRELEASED_PARTITIONS, next.state());
    assertEquals(4, next.memberEpoch());
    assertEquals(tps(5), next.assignedPartitions());
    ConsumerGroupMember released = new CurrentAssignmentBuilder(next).withTargetAssignment(4, tps(2, 5)).withCurrentPartitionEpoch(p -> -1)
        .withOwnedTopicPartitions(List.of(tp(5))).build();
    assertEquals(ConsumerGroupMember.State.STABLE, released.state());
    assertEquals(tps(2, 5), released.assignedPartitions());
    // The rule break hands it over while it is still held.
    ConsumerGroupMember broken = new CurrentAssignmentBuilder(m).withTargetAssignment(4, tps(2, 5)).withCurrentPartitionEpoch(p -> held.getOrDefault(p, -1))
        .withAssignBeforeRevocation(true).withOwnedTopicPartitions(List.of()).build();
    assertEquals(tps(2, 5), broken.assignedPartitions());
  }
}
