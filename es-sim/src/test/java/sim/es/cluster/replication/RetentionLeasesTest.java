package sim.es.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;

/** The primary's peer-recovery retention leases: renewed, replaced, expired, adopted by a promoted replica. */
class RetentionLeasesTest {
  private final ReplicationTracker tracker = new ReplicationTracker("p", 9, 9);

  @Test
  void aLeaseOnlyMovesForwardAndTheMinimumRetainsHistory() {
    tracker.addOrRenewLease("es2", 5, 0);
    tracker.addOrRenewLease("es2", 3, 1_000); // a renewal never goes back
    assertEquals(5, tracker.lease("es2").retainingSeqNo());
    assertEquals(1_000, tracker.lease("es2").timestampMs());
    assertEquals("peer_recovery/es2", tracker.lease("es2").id());
    assertEquals(5, tracker.minRetainedSeqNo(), "history from seq_no 5 stays, though the global checkpoint is 9");
  }

  @Test
  void aFileBasedRecoveryReplacesTheLeaseEvenBackwards() {
    tracker.addOrRenewLease("es2", 8, 0);
    tracker.removeLease("es2");
    tracker.addOrRenewLease("es2", 3, 0); // the safe commit's local checkpoint + 1
    assertEquals(3, tracker.lease("es2").retainingSeqNo());
  }

  @Test
  void whileACopyIsNotStartedALeaseNotRenewedForThePeriodExpires() {
    tracker.addOrRenewLease("es2", 5, 0);
    tracker.addOrRenewLease("es3", 5, 5_000);
    assertEquals(List.of("peer_recovery/es2"), tracker.expireLeases(12_000, 10_000, Set.of(), false));
    assertNull(tracker.lease("es2"));
    assertEquals(5, tracker.lease("es3").retainingSeqNo());
    assertEquals(5, tracker.minRetainedSeqNo());
  }

  @Test
  void theLeaseOfANodeWithAnAssignedCopyNeverExpires() {
    tracker.addOrRenewLease("es2", 5, 0);
    assertEquals(List.of(), tracker.expireLeases(100_000, 10_000, Set.of("peer_recovery/es2"), false));
    assertEquals(5, tracker.lease("es2").retainingSeqNo());
  }

  @Test
  void onceEveryCopyIsStartedTheLeaseOfANodeWithoutACopyExpiresAtOnce() {
    tracker.addOrRenewLease("es2", 5, 1_000);
    tracker.addOrRenewLease("es3", 5, 1_000);
    assertEquals(List.of("peer_recovery/es2"), tracker.expireLeases(1_000, 10_000, Set.of("peer_recovery/es3"), true));
    assertEquals(5, tracker.lease("es3").retainingSeqNo());
  }

  @Test
  void aPromotedReplicaAdoptsTheSyncedLeasesWithoutOverwritingItsOwn() {
    ReplicationTracker promoted = new ReplicationTracker("r", 9, 9);
    promoted.addOrRenewLease("es3", 10, 7_000);
    promoted.adoptLeases(List.of(new RetentionLease("peer_recovery/es1", 4, 100), new RetentionLease("peer_recovery/es3", 2, 100)));
    assertEquals(4, promoted.lease("es1").retainingSeqNo());
    assertEquals(100, promoted.lease("es1").timestampMs(), "the old timestamp: it expires as it would have");
    assertEquals(10, promoted.lease("es3").retainingSeqNo());
  }

  @Test
  void eachCopysKnownGlobalCheckpointRenewsItsLease() {
    tracker.updateFromMaster(List.of("p", "r"), List.of(new ShardRouting(0, true, ShardState.STARTED, "es1", "p", null, "existing_store", null),
        new ShardRouting(0, false, ShardState.STARTED, "es2", "r", null, "peer", null)));
    tracker.updateLocalCheckpoint("r", 9, 6);
    assertEquals(6, tracker.knownGlobalCheckpoint("r"));
    assertEquals(9, tracker.knownGlobalCheckpoint("p"), "the primary knows its own");
    assertEquals(-1, tracker.knownGlobalCheckpoint("gone"));
  }
}
