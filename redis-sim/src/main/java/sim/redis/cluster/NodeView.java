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
  /** The node ID; a handshake node's is random until its first PONG tells the real one (clusterRenameNode). */
  String name;
  /** The host the bus connects to and its client port (the model's nodes listen on 6379, the bus on port + 10000). */
  String address;
  int port = 6379;
  int cport = 16379;
  /** CLUSTER_NODE_HANDSHAKE: met (CLUSTER MEET, or a MEET from an unknown node) but its name not known yet. */
  boolean handshake;
  /** CLUSTER_NODE_MEET: the first packet on the link to it is a MEET, which makes the receiver add us. */
  boolean meet;
  /** Neither CLUSTER_NODE_MASTER nor CLUSTER_NODE_SLAVE: a handshake node whose role no PONG has told yet. */
  boolean roleUnknown;
  /** ctime: when this node entered our table (a handshake lives for the handshake timeout from it). */
  long ctimeMs;
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
    this.address = name;
  }

  /** createClusterNode(NULL, CLUSTER_NODE_HANDSHAKE[|CLUSTER_NODE_MEET]) for {@code address:port}. */
  static NodeView handshake(String randomName, String address, int port, int cport, boolean meet, long nowMs) {
    NodeView n = new NodeView(randomName);
    n.address = address;
    n.port = port;
    n.cport = cport;
    n.handshake = true;
    n.meet = meet;
    n.roleUnknown = true;
    n.ctimeMs = nowMs;
    return n;
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

  /** representClusterNodeFlags, in redisNodeFlagsTable's order ("noflags" when none is set). */
  String flags(boolean myself) {
    StringBuilder sb = new StringBuilder(myself ? "myself," : "");
    if (!roleUnknown) sb.append(master ? "master," : "slave,");
    if (pfail) sb.append("fail?,");
    if (fail) sb.append("fail,");
    if (handshake) sb.append("handshake,");
    if (sb.length() == 0) sb.append("noflags,");
    return sb.substring(0, sb.length() - 1);
  }
}
