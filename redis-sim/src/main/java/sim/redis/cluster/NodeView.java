package sim.redis.cluster;

import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * cluster.h's clusterNode: what one node believes about a node of the cluster (itself included). Times are
 * the owner's mstime(); 0 is "never".
 */
final class NodeView {
  final String name;
  boolean master;
  String slaveof; // the master's name, for a replica
  long configEpoch;
  final BitSet slots = new BitSet(Slots.COUNT);
  boolean pfail;
  boolean fail;
  long failTimeMs;
  long pingSentMs;
  long linkCreatedMs;
  long pongReceivedMs;
  long dataReceivedMs;
  long votedTimeMs; // when we last voted for a replica of this master
  long replOffset;
  /** link == NULL: the bus connection to it is broken (its process died) and no message came from it since. */
  boolean linkDown;
  /** CLUSTER_NODE_MIGRATE_TO: a master that had replicas (or a promoted replica): a target of replica migration. */
  boolean migrateTo;
  /** orphaned_time: since when this master has been orphaned (no working replica), 0 if it is not. */
  long orphanedTimeMs;
  /** clusterNodeFailReport: reporting master → when it last reported this node PFAIL or FAIL. */
  final TreeMap<String, Long> failReports = new TreeMap<>();

  NodeView(String name) {
    this.name = name;
  }

  /** clusterNodeFailureReportsCount, after clusterNodeCleanupFailureReports drops reports older than maxAgeMs. */
  int failureReports(long nowMs, long maxAgeMs) {
    for (Iterator<Map.Entry<String, Long>> it = failReports.entrySet().iterator(); it.hasNext(); ) {
      if (nowMs - it.next().getValue() > maxAgeMs) it.remove();
    }
    return failReports.size();
  }

  /** clusterSetNodeAsMaster. */
  void setMaster() {
    master = true;
    slaveof = null;
  }

  /** A master turned into a replica: clusterDelNodeSlots and the SLAVE flag. */
  void setReplicaOf(String masterName) {
    master = false;
    slaveof = masterName;
  }

  String flags(boolean myself) {
    StringBuilder sb = new StringBuilder(myself ? "myself," : "");
    sb.append(master ? "master" : "slave");
    if (pfail) sb.append(",fail?");
    if (fail) sb.append(",fail");
    return sb.toString();
  }
}
