package sim.redis.cluster;

import java.util.List;

/**
 * PFAIL and FAIL. A node that has not answered a PING for cluster-node-timeout is PFAIL ("possibly failing")
 * in our eyes only; masters' gossip carries their PFAIL flags as failure reports, each valid for node-timeout *
 * CLUSTER_FAIL_REPORT_VALIDITY_MULT; when the reports of a majority of the masters (ourselves included, if we
 * are one) agree, markNodeAsFailingIfNeeded flags it FAIL and broadcasts a FAIL message that every node obeys.
 */
final class FailureDetector {
  private final ClusterState state;
  private final ClusterBus bus;

  FailureDetector(ClusterState state, ClusterBus bus) {
    this.state = state;
    this.bus = bus;
  }

  /** clusterCron's check of a node with a PING pending: true when it turned PFAIL. */
  boolean checkTimeout(NodeView node, long nodeDelayMs) {
    if (nodeDelayMs <= state.settings.clusterNodeTimeoutMs || node.pfail || node.fail) return false;
    node.pfail = true;
    state.host.point("redis.cluster.pfail", "*** NODE " + node.name + " possibly failing", "node", node.name);
    return true;
  }

  /** A PONG: the node is reachable. PFAIL clears by itself; FAIL only as clearNodeFailureIfNeeded allows. */
  void onPong(NodeView node) {
    node.pongReceivedMs = state.host.nowMs();
    node.pingSentMs = 0;
    if (node.pfail) {
      node.pfail = false;
      state.updateState();
    } else if (node.fail) {
      clearFailureIfNeeded(node);
    }
  }

  /**
   * clearNodeFailureIfNeeded: a replica or a master without slots is cleared at once; a master still owning
   * slots only after node-timeout * CLUSTER_FAIL_UNDO_TIME_MULT, when apparently nobody failed it over.
   */
  private void clearFailureIfNeeded(NodeView node) {
    long now = state.host.nowMs();
    boolean noSlots = !node.master || node.slots.isEmpty();
    boolean stale = now - node.failTimeMs > state.settings.clusterNodeTimeoutMs * ClusterSettings.FAIL_UNDO_TIME_MULT;
    if (!noSlots && !stale) return;
    node.fail = false;
    state.host.point("redis.cluster.fail-cleared", "Clear FAIL state for node " + node.name + ": " + (noSlots ? (node.master
        ? "master without slots" : "replica") + " is reachable again." : "is reachable again and nobody is serving its slots after some time."),
        "node", node.name);
    state.updateState();
    state.host.saveConfig();
  }

  /** clusterProcessGossipSection: only a master's word counts as a failure report. */
  void processGossip(NodeView sender, List<ClusterMessage.Gossip> gossip) {
    if (!sender.master) return;
    for (ClusterMessage.Gossip g : gossip) {
      NodeView node = state.node(g.node());
      if (node == null || node.name.equals(state.myself)) continue;
      if (g.pfail() || g.fail()) {
        node.failReports.put(sender.name, state.host.nowMs());
        markFailingIfNeeded(node);
      } else {
        node.failReports.remove(sender.name);
      }
    }
  }

  /** markNodeAsFailingIfNeeded. */
  void markFailingIfNeeded(NodeView node) {
    int neededQuorum = state.size / 2 + 1;
    if (!node.pfail || node.fail) return; // we can reach it, or it is FAIL already
    int failures = node.failureReports(state.host.nowMs(), state.settings.failReportValidityMs());
    if (state.me().master) failures++;
    if (failures < neededQuorum) return;
    node.pfail = false;
    node.fail = true;
    node.failTimeMs = state.host.nowMs();
    state.host.point("redis.cluster.fail", "Marking node " + node.name + " as failing (quorum reached): " + failures + " of " + state.size
        + " masters", "node", node.name, "reports", failures);
    bus.broadcast(new ClusterMessage.Fail(state.header(), node.name));
    state.updateState();
    state.host.saveConfig();
  }

  /** CLUSTERMSG_TYPE_FAIL: flag it at once, whatever our own view. */
  void onFail(NodeView sender, String failingName) {
    NodeView failing = state.node(failingName);
    if (failing == null || failing.fail || failing.name.equals(state.myself)) return;
    failing.fail = true;
    failing.failTimeMs = state.host.nowMs();
    failing.pfail = false;
    state.host.point("redis.cluster.fail-received", "FAIL message received from " + sender.name + " about " + failingName, "node", failingName);
    state.updateState();
    state.host.saveConfig();
  }
}
