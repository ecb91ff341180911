package sim.cassandra.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.core.NodeId;

/**
 * Cassandra's {@code ConsistencyLevel.blockFor} and {@code assureSufficientLiveNodes}: how many replica
 * answers a level needs, and whether enough replicas are believed alive to try at all.
 */
final class ConsistencyRules {
  private ConsistencyRules() {}

  static int quorumFor(int rf) {
    return rf / 2 + 1;
  }

  /** Answers needed, counted over all replicas (or, for LOCAL_*, over the local datacenter's). */
  static int blockFor(ConsistencyLevel cl, KeyspaceMetadata ks, String localDc) {
    return switch (cl) {
      case ANY, ONE, LOCAL_ONE -> 1;
      case TWO -> 2;
      case THREE -> 3;
      case QUORUM, SERIAL -> quorumFor(ks.totalReplicationFactor());
      case LOCAL_QUORUM, LOCAL_SERIAL -> quorumFor(ks.isNetworkTopology() ? ks.replicationFactor(localDc) : ks.totalReplicationFactor());
      case ALL -> ks.totalReplicationFactor();
      case EACH_QUORUM -> {
        if (!ks.isNetworkTopology()) yield quorumFor(ks.totalReplicationFactor());
        int sum = 0;
        for (int rf : ks.replication().values()) sum += quorumFor(rf);
        yield sum;
      }
    };
  }

  /** Whether a replica counts toward the level (LOCAL_* count only the coordinator's datacenter). */
  static boolean counts(ConsistencyLevel cl, NodeId replica, TokenRing ring, String localDc) {
    if (!cl.isDatacenterLocal()) return true;
    return ring.endpoint(replica).datacenter().equals(localDc);
  }

  /**
   * {@code ConsistencyLevel.blockForWrite}: blockFor raised by the pending replicas (for LOCAL_* only those
   * in the local datacenter; ANY is not raised), so a write during a range movement is acknowledged by
   * enough replicas of the placement before and of the one after.
   */
  static int blockForWrite(ConsistencyLevel cl, KeyspaceMetadata ks, String localDc, List<NodeId> pending, TokenRing ring) {
    int blockFor = blockFor(cl, ks, localDc);
    if (cl == ConsistencyLevel.ANY) return blockFor;
    for (NodeId p : pending) if (counts(cl, p, ring, localDc)) blockFor++;
    return blockFor;
  }

  /** Whether {@code acks} from these replicas satisfy the level (EACH_QUORUM: a quorum in every datacenter). */
  static boolean satisfied(ConsistencyLevel cl, KeyspaceMetadata ks, List<NodeId> acked, TokenRing ring, String localDc) {
    return satisfied(cl, ks, acked, List.of(), ring, localDc);
  }

  /** The same for a write with pending replicas: each raises the count needed (in its datacenter for EACH_QUORUM). */
  static boolean satisfied(ConsistencyLevel cl, KeyspaceMetadata ks, List<NodeId> acked, List<NodeId> pending, TokenRing ring, String localDc) {
    if (cl == ConsistencyLevel.EACH_QUORUM && ks.isNetworkTopology()) {
      Map<String, Integer> per = new TreeMap<>();
      for (NodeId n : acked) per.merge(ring.endpoint(n).datacenter(), 1, Integer::sum);
      Map<String, Integer> pendingPer = new TreeMap<>();
      for (NodeId n : pending) pendingPer.merge(ring.endpoint(n).datacenter(), 1, Integer::sum);
      for (Map.Entry<String, Integer> e : ks.replication().entrySet()) {
        if (per.getOrDefault(e.getKey(), 0) < quorumFor(e.getValue()) + pendingPer.getOrDefault(e.getKey(), 0)) return false;
      }
      return true;
    }
    int n = 0;
    for (NodeId a : acked) if (counts(cl, a, ring, localDc)) n++;
    return n >= blockForWrite(cl, ks, localDc, pending, ring);
  }

  /** Null if enough replicas are alive for the level; otherwise the UnavailableException's message. */
  static String unavailable(ConsistencyLevel cl, KeyspaceMetadata ks, List<NodeId> aliveReplicas, TokenRing ring, String localDc) {
    return unavailable(cl, ks, aliveReplicas, List.of(), ring, localDc);
  }

  /** For a write: the live natural and pending replicas must reach blockForWrite. */
  static String unavailable(ConsistencyLevel cl, KeyspaceMetadata ks, List<NodeId> aliveReplicas, List<NodeId> pending, TokenRing ring, String localDc) {
    if (cl == ConsistencyLevel.ANY) return null;
    return satisfied(cl, ks, aliveReplicas, pending, ring, localDc) ? null : "Cannot achieve consistency level " + cl;
  }
}
