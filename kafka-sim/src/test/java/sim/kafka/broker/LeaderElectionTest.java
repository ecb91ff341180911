package sim.kafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.NodeId;

/** The controller's election rule, decided as a value. */
class LeaderElectionTest {
  static final NodeId B1 = NodeId.of("b1");
  static final NodeId B2 = NodeId.of("b2");
  static final NodeId B3 = NodeId.of("b3");
  static final PartitionState STATE = new PartitionState(new TopicPartition("t", 0), List.of(B1, B2, B3), B1, 4, List.of(B1, B3), 9);

  @Test
  void firstLiveInSyncReplicaInAssignmentOrderLeads() {
    LeaderElection.Choice c = LeaderElection.choose(STATE, Set.of(B2, B3)::contains, false);
    assertEquals(B3, c.leader(), "b2 is live but out of sync");
    assertEquals(List.of(B1, B3), c.isr());
    assertFalse(c.unclean());
  }

  @Test
  void noLiveInSyncReplicaMeansOfflineUnlessUncleanIsEnabled() {
    assertNull(LeaderElection.choose(STATE, Set.of(B2)::contains, false).leader());
    LeaderElection.Choice unclean = LeaderElection.choose(STATE, Set.of(B2)::contains, true);
    assertEquals(B2, unclean.leader());
    assertEquals(List.of(B2), unclean.isr(), "the out-of-sync leader's ISR is itself");
    assertTrue(unclean.unclean());
  }

  @Test
  void theIsrNeverBecomesEmpty() {
    assertEquals(List.of(B3), LeaderElection.without(List.of(B1, B3), B1));
    assertEquals(List.of(B3), LeaderElection.without(List.of(B3), B3));
  }
}
