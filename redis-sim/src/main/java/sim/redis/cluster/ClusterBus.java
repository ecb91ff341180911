package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster bus of one node: clusterCron's pings and timeouts, and clusterProcessPacket. Every PING and PONG
 * carries the sender's epochs and slots (which is how configuration spreads) and a gossip section about a few
 * other nodes, every node it holds PFAIL included (which is how failure reports reach the masters).
 */
final class ClusterBus {
  private final ClusterState state;
  private final FailureDetector failures;
  final Election election;
  final ManualFailover manual;
  private final ReplicaMigration migration;
  private long iteration;

  ClusterBus(ClusterState state) {
    this.state = state;
    this.failures = new FailureDetector(state, this);
    this.manual = new ManualFailover(state, this);
    state.manualFailover = manual;
    this.election = new Election(state, this);
    this.migration = new ReplicaMigration(state);
  }

  /** clusterCron, 10 times a second. */
  void cron() {
    iteration++;
    long now = state.host.nowMs();
    long timeout = state.settings.clusterNodeTimeoutMs;
    if (iteration % 10 == 0) pingOldestOfFiveRandom();
    handshakes(now);
    boolean updateState = false;
    NodeView me = state.me();
    ReplicaMigration.Census census = new ReplicaMigration.Census();
    for (NodeView node : state.others()) {
      if (!me.master && node.master && !node.fail) census.count(state, node);
      if (node.pingSentMs == 0 && now - node.pongReceivedMs > timeout / 2) { // nobody goes unpinged for long
        sendPing(node);
        continue;
      }
      if (manual.inProgress() && me.master && node.name.equals(manual.pausedFor())) { // ping the replica continuously
        sendPing(node);
        continue;
      }
      if (node.pingSentMs == 0) continue;
      long pingDelay = now - node.pingSentMs;
      long dataDelay = now - node.dataReceivedMs;
      if (pingDelay > timeout / 2 && dataDelay > timeout / 2 && now - node.linkCreatedMs > timeout) {
        node.linkCreatedMs = now; // freeClusterLink and reconnect: the new link starts with a PING
        state.host.send(node.name, new ClusterMessage.Ping(state.header(), gossip(node)));
      }
      updateState |= failures.checkTimeout(node, Math.min(pingDelay, dataDelay));
    }
    if (!me.master && me.slaveof != null && !state.host.replicating()) state.host.replicateFrom(me.slaveof);
    manual.checkTimeout();
    if (!me.master) {
      manual.handle();
      election.handle();
      if (census.migrationWorthTrying(state)) migration.handle(census.maxReplicas);
    }
    if (updateState || !state.ok) state.updateState();
  }

  /**
   * clusterNodeCronHandleReconnect for the handshake nodes: one lives for the handshake timeout (node-timeout, at least
   * 1000 ms); while it does, its link's first packet is a MEET (CLUSTER MEET) or a PING (a node that met us).
   */
  private void handshakes(long now) {
    if (!state.hasHandshakes()) return; // most crons: no list built
    long handshakeTimeoutMs = Math.max(state.settings.clusterNodeTimeoutMs, 1000);
    for (NodeView n : state.handshakes()) {
      if (now - n.ctimeMs > handshakeTimeoutMs) {
        state.delNode(n);
        state.host.point("redis.cluster.handshake-timeout", "handshake with " + n.address + ":" + n.port + " timed out", "address", n.address);
        continue;
      }
      if (n.linkCreatedMs != 0) continue;
      if (!state.host.listening(n.address, n.port) || n.cport != n.port + 10000) { // the connect fails; the next clusterCron tries again
        if (n.pingSentMs == 0) n.pingSentMs = now;
        continue;
      }
      n.linkCreatedMs = now;
      ClusterMessage first = n.meet ? new ClusterMessage.Meet(state.header(), gossip(n)) : new ClusterMessage.Ping(state.header(), gossip(n));
      if (!n.meet) n.pingSentMs = now; // clusterSendPing stamps ping_sent for a PING only
      n.meet = false; // cleared after the first packet: a MEET is never sent twice
      state.host.send(n.address, first);
    }
  }

  /** Once a second: of five random nodes with no ping pending, ping the one whose PONG is oldest. */
  private void pingOldestOfFiveRandom() {
    List<NodeView> others = state.others();
    NodeView min = null;
    for (int j = 0; j < 5 && !others.isEmpty(); j++) {
      NodeView n = others.get(state.host.random(others.size()));
      if (n.pingSentMs != 0) continue;
      if (min == null || n.pongReceivedMs < min.pongReceivedMs) min = n;
    }
    if (min != null) sendPing(min);
  }

  void sendPing(NodeView node) {
    if (node.pingSentMs == 0) node.pingSentMs = state.host.nowMs();
    state.host.send(node.name, new ClusterMessage.Ping(state.header(), gossip(node)));
  }

  /**
   * clusterSendPing's gossip: wanted = max(3, nodes / 10) random nodes (not us, not the receiver), then every
   * node we hold PFAIL, so that failure reports spread fast.
   */
  List<ClusterMessage.Gossip> gossip(NodeView to) {
    List<NodeView> candidates = new ArrayList<>();
    for (NodeView n : state.others()) if (n != to && !n.pfail) candidates.add(n);
    int wanted = Math.min(Math.max(3, state.nodes.size() / 10), candidates.size());
    List<ClusterMessage.Gossip> out = new ArrayList<>();
    for (int i = 0; i < wanted; i++) {
      NodeView n = candidates.remove(state.host.random(candidates.size()));
      out.add(new ClusterMessage.Gossip(n.name, n.pfail, n.fail, !n.master));
    }
    for (NodeView n : state.others()) if (n.pfail && n != to) out.add(new ClusterMessage.Gossip(n.name, true, false, !n.master));
    return out;
  }

  /** clusterBroadcastPong: to every node, or to the replicas of our master only. */
  void broadcastPong(boolean localReplicasOnly) {
    NodeView mine = state.myMaster();
    for (NodeView n : state.others()) {
      if (localReplicasOnly && (n.master || mine == null || !mine.name.equals(n.slaveof))) continue;
      state.host.send(n.name, new ClusterMessage.Pong(state.header(), gossip(n)));
    }
  }

  /** The bus connection to {@code node} broke (its process died): link == NULL until it talks to us again. */
  void linkLost(String node) {
    NodeView n = state.node(node);
    if (n != null && !n.name.equals(state.myself)) n.linkDown = true;
  }

  /** clusterBroadcastMessage, to every node but us. */
  void broadcast(ClusterMessage m) {
    for (NodeView n : state.others()) state.host.send(n.name, m);
  }

  /**
   * clusterProcessPacket. {@code from} is the host the packet came from. A packet from a node we do not know is answered
   * only if it is a PING or MEET (with a PONG); a MEET also adds its sender as a handshake node.
   */
  void process(String from, ClusterMessage m) {
    ClusterMessage.Header h = m.header();
    NodeView sender = state.node(h.sender());
    if (sender != null && sender.handshake) sender = null; // a random name is not a known node
    if (sender != null && sender.name.equals(state.myself)) return;
    if (m instanceof ClusterMessage.Pong && handshakeAnswered(from, sender, h)) return;
    if (sender == null) {
      fromUnknown(from, m);
      return;
    }
    long now = state.host.nowMs();
    sender.dataReceivedMs = now;
    if (h.currentEpoch() > state.currentEpoch) {
      state.currentEpoch = h.currentEpoch();
      state.host.saveConfig();
    }
    if (h.configEpoch() > sender.configEpoch) sender.configEpoch = h.configEpoch();
    sender.replOffset = h.replOffset();
    sender.linkDown = false; // it talks to us: the link is up again
    manual.onHeader(sender, h);
    if (m instanceof ClusterMessage.Ping p) {
      state.host.send(sender.name, new ClusterMessage.Pong(state.header(), gossip(sender)));
      onPingOrPong(sender, h, p.gossip());
    } else if (m instanceof ClusterMessage.Meet p) {
      state.host.send(sender.name, new ClusterMessage.Pong(state.header(), gossip(sender)));
      onPingOrPong(sender, h, p.gossip());
    } else if (m instanceof ClusterMessage.Pong p) {
      failures.onPong(sender);
      onPingOrPong(sender, h, p.gossip());
    } else if (m instanceof ClusterMessage.Fail f) {
      failures.onFail(sender, f.failing());
    } else if (m instanceof ClusterMessage.AuthRequest r) {
      election.onRequest(sender, h, r.forceAck());
    } else if (m instanceof ClusterMessage.MfStart) {
      manual.onMfStart(sender);
    } else if (m instanceof ClusterMessage.AuthAck) {
      election.onAck(sender, h);
    } else if (m instanceof ClusterMessage.Update u) {
      onUpdate(u);
    }
  }

  /**
   * A PING or MEET from a node not in our table gets a PONG all the same; a MEET also adds the sender as a handshake
   * node (unconditionally, as Redis does), whose own PING will learn its name. Anything else from it is ignored.
   */
  private void fromUnknown(String from, ClusterMessage m) {
    if (m instanceof ClusterMessage.Meet) {
      NodeView n = NodeView.handshake(state.randomName(), from, 6379, 16379, false, state.host.nowMs());
      state.nodes.put(n.name, n);
      state.host.point("redis.cluster.met", "MEET from unknown node at " + from + ": added as " + n.name + " (handshake)", "address", from);
      state.host.saveConfig();
    }
    if (m instanceof ClusterMessage.Ping || m instanceof ClusterMessage.Meet) {
      state.host.send(from, new ClusterMessage.Pong(state.header(), gossip(null)));
    }
  }

  /**
   * The PONG answering a handshake node's first packet (Redis: any PONG on the outbound link of a node in handshake). If
   * the sender is a node we know, the handshake node is deleted and the PONG is processed as the known node's (Redis
   * tells the two links apart; the model cannot, and a PONG from a known node is never lost on it). Otherwise the
   * handshake node takes the sender's name and role (clusterRenameNode) and the handshake is over; the rest of that
   * PONG is not processed, as in Redis, where the sender was looked up before the rename.
   */
  private boolean handshakeAnswered(String from, NodeView sender, ClusterMessage.Header h) {
    NodeView hs = state.handshakeAt(from, 6379);
    if (hs == null) return false;
    if (sender != null) {
      state.delNode(hs);
      state.host.point("redis.cluster.handshake-known", "Handshake: we already know node " + sender.name + ", updating the address if needed.",
          "node", sender.name);
      state.host.saveConfig();
      return false;
    }
    String random = hs.name;
    state.rename(hs, h.sender());
    hs.handshake = false;
    hs.roleUnknown = false;
    hs.master = h.slaveof() == null;
    long now = state.host.nowMs();
    hs.dataReceivedMs = now;
    hs.pongReceivedMs = now;
    hs.pingSentMs = 0;
    state.host.point("redis.cluster.handshake-completed", "Handshake with node " + hs.name + " completed (was " + random + ")", "node", hs.name);
    state.host.saveConfig();
    return true;
  }

  /**
   * The gossip section's unknown nodes: added with their exact name and role when the sender is a node we know (Redis
   * 7.0 never starts a handshake from gossip: the address could belong to another cluster by now), unless forgotten.
   */
  private void learnFromGossip(NodeView sender, List<ClusterMessage.Gossip> gossip) {
    for (ClusterMessage.Gossip g : gossip) {
      if (g.node().equals(state.myself) || state.nodes.containsKey(g.node()) || state.blacklisted(g.node())) continue;
      NodeView n = new NodeView(g.node());
      n.master = !g.replica();
      n.ctimeMs = state.host.nowMs();
      state.nodes.put(n.name, n);
      state.host.point("redis.cluster.node-learned", "node " + n.name + " learned from " + sender.name + "'s gossip", "node", n.name, "from",
          sender.name);
    }
  }

  private void onPingOrPong(NodeView sender, ClusterMessage.Header h, List<ClusterMessage.Gossip> gossip) {
    if (h.slaveof() == null) {
      state.setNodeAsMaster(sender);
    } else {
      if (sender.master) state.delNodeSlots(sender); // a master turned into a replica
      state.setNodeReplicaOf(sender, h.slaveof());
    }
    NodeView senderMaster = sender.master ? sender : state.node(sender.slaveof);
    boolean dirty = senderMaster != null && !senderMaster.slots.equals(h.slots());
    if (sender.master && dirty) state.updateSlotsConfigWith(sender, h.configEpoch(), h.slots());
    if (dirty) sendUpdateIfStale(sender, h);
    NodeView me = state.me();
    if (me.master && sender.master && h.configEpoch() == me.configEpoch) configEpochCollision(sender);
    learnFromGossip(sender, gossip);
    failures.processGossip(sender, gossip);
  }

  /** The sender claims slots someone else owns with a greater configEpoch: tell it (one UPDATE, as Redis). */
  private void sendUpdateIfStale(NodeView sender, ClusterMessage.Header h) {
    for (int j = h.slots().nextSetBit(0); j >= 0; j = h.slots().nextSetBit(j + 1)) {
      String owner = state.slots[j];
      if (owner == null || owner.equals(sender.name)) continue;
      NodeView o = state.nodes.get(owner);
      if (o.configEpoch <= h.configEpoch()) continue;
      state.host.point("redis.cluster.update-sent", "Node " + sender.name + " has old slots configuration, sending an UPDATE message about "
          + owner, "to", sender.name, "about", owner);
      state.host.send(sender.name, new ClusterMessage.Update(state.header(), owner, o.configEpoch, (java.util.BitSet) o.slots.clone()));
      return;
    }
  }

  /** CLUSTERMSG_TYPE_UPDATE: a newer configuration of node {@code u.node()}. */
  private void onUpdate(ClusterMessage.Update u) {
    NodeView n = state.node(u.node());
    if (n == null || n.configEpoch >= u.configEpoch()) return; // nothing new
    if (!n.master) state.setNodeAsMaster(n);
    n.configEpoch = u.configEpoch();
    state.updateSlotsConfigWith(n, u.configEpoch(), u.slots());
  }

  /**
   * clusterHandleConfigEpochCollision: two masters with one configEpoch; the one with the smaller name takes a
   * new epoch, so that configEpochs end up unique.
   */
  private void configEpochCollision(NodeView sender) {
    if (sender.name.compareTo(state.myself) <= 0) return;
    state.currentEpoch++;
    state.me().configEpoch = state.currentEpoch;
    state.host.saveConfig();
    state.host.point("redis.cluster.epoch-collision", "configEpoch collision with node " + sender.name + ". configEpoch set to "
        + state.currentEpoch, "configEpoch", state.currentEpoch);
  }
}
