package sim.es.cluster.replication;

/**
 * A peer-recovery retention lease ({@code peer_recovery/<node>}): the primary keeps every operation from
 * {@code retainingSeqNo} on for that node's copy, so it can catch up by replaying operations. A lease for a
 * node that holds no copy expires after {@code index.soft_deletes.retention_lease.period} (12h).
 */
public record RetentionLease(String id, long retainingSeqNo, long timestampMs) {
  public static String peerRecoveryId(String nodeId) {
    return "peer_recovery/" + nodeId;
  }
}
