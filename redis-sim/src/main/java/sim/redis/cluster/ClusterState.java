package sim.redis.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;

/**
 * cluster.h's clusterState as one node sees it: every known node, the owner of each slot, currentEpoch and
 * lastVoteEpoch, and the cluster state (ok or fail) that getNodeByQuery consults. The slot table follows the
 * configEpoch rule of clusterUpdateSlotsConfigWith: a claim on a slot wins only with a greater configEpoch than
 * its current owner's.
 */
final class ClusterState {
  /** CLUSTER_WRITABLE_DELAY: a restarted master stays in state fail this long after its first state update. */
  static final long WRITABLE_DELAY_MS = 2000;
  /** CLUSTER_MIN_REJOIN_DELAY / CLUSTER_MAX_REJOIN_DELAY: a master back from a minority waits this before ok. */
  static final long MIN_REJOIN_DELAY_MS = 500;
  static final long MAX_REJOIN_DELAY_MS = 5000;
  /** CLUSTER_BLACKLIST_TTL: 60 seconds. */
  static final long BLACKLIST_TTL_MS = 60_000;

  final ClusterHost host;
  final ClusterSettings settings;
  final String myself;
  final TreeMap<String, NodeView> nodes = new TreeMap<>();
  /** nodes_black_list: forgotten node → when it may be learned again. */
  private final TreeMap<String, Long> blacklist = new TreeMap<>();
  final String[] slots = new String[Slots.COUNT];
  /** migrating_slots_to / importing_slots_from: a slot being resharded away from us, or to us. */
  final String[] migratingTo = new String[Slots.COUNT];
  final String[] importingFrom = new String[Slots.COUNT];
  /** Set by the bus; clusterSetMaster resets a manual failover in progress. */
  ManualFailover manualFailover;
  long currentEpoch;
  long lastVoteEpoch;
  boolean ok;
  int size; // masters serving at least one slot
  private long amongMinorityTimeMs;
  private long firstCallTimeMs;

  ClusterState(ClusterHost host, ClusterSettings settings, String myself) {
    this.host = host;
    this.settings = settings;
    this.myself = myself;
  }

  NodeView me() {
    return nodes.get(myself);
  }

  NodeView node(String name) {
    return name == null ? null : nodes.get(name);
  }

  /** The master whose slots this node serves or replicates. */
  NodeView myMaster() {
    NodeView me = me();
    return me.master ? me : node(me.slaveof);
  }

  void addSlot(String owner, int slot) {
    String old = slots[slot];
    if (old != null) nodes.get(old).slots.clear(slot);
    slots[slot] = owner;
    nodes.get(owner).slots.set(slot);
  }

  /** clusterGetMaxEpoch: the greatest configEpoch known, or currentEpoch if greater. */
  long maxEpoch() {
    long max = currentEpoch;
    for (NodeView n : nodes.values()) max = Math.max(max, n.configEpoch);
    return max;
  }

  /**
   * clusterBumpConfigEpochWithoutConsensus: unless our configEpoch is already the greatest, take a new one from
   * currentEpoch + 1 without an election, so that a slot closed by SETSLOT NODE wins over the old owner's claim.
   */
  boolean bumpConfigEpochWithoutConsensus() {
    NodeView me = me();
    if (me.configEpoch != 0 && me.configEpoch == maxEpoch()) return false;
    currentEpoch++;
    me.configEpoch = currentEpoch;
    host.saveConfig();
    host.point("redis.cluster.epoch-bumped", "New configEpoch set to " + me.configEpoch, "configEpoch", me.configEpoch);
    return true;
  }

  /** clusterDelNodeSlots. */
  void delNodeSlots(NodeView n) {
    for (int s = n.slots.nextSetBit(0); s >= 0; s = n.slots.nextSetBit(s + 1)) {
      if (n.name.equals(slots[s])) slots[s] = null;
    }
    n.slots.clear();
  }

  /** clusterBuildMessageHdr: a replica advertises its master's configEpoch and slots. */
  ClusterMessage.Header header() {
    NodeView me = me();
    NodeView m = myMaster();
    long configEpoch = m == null ? me.configEpoch : m.configEpoch;
    BitSet s = (BitSet) (m == null ? me.slots : m.slots).clone();
    boolean paused = me.master && manualFailover != null && manualFailover.inProgress(); // CLUSTERMSG_FLAG0_PAUSED
    return new ClusterMessage.Header(myself, currentEpoch, configEpoch, s, me.master ? null : me.slaveof, host.replOffset(), ok, paused);
  }

  /**
   * clusterUpdateSlotsConfigWith: {@code sender} claims {@code claimed} with {@code senderConfigEpoch}; every
   * slot whose owner has a smaller configEpoch (or none) moves to it. When it takes our master's last slot we
   * follow it as a replica (clusterSetMaster) — this is how a failed-over master learns it lost.
   */
  void updateSlotsConfigWith(NodeView sender, long senderConfigEpoch, BitSet claimed) {
    if (sender.name.equals(myself)) return;
    NodeView cur = myMaster();
    boolean tookOurs = false;
    for (int j = claimed.nextSetBit(0); j >= 0; j = claimed.nextSetBit(j + 1)) {
      String owner = slots[j];
      if (sender.name.equals(owner)) continue;
      if (importingFrom[j] != null) continue; // a slot we import is changed by SETSLOT NODE only
      if (owner != null && nodes.get(owner).configEpoch >= senderConfigEpoch) continue;
      if (cur != null && cur.name.equals(owner)) tookOurs = true;
      addSlot(sender.name, j);
    }
    if (tookOurs && cur.slots.isEmpty()) {
      host.point("redis.cluster.reconfigured", "Configuration change detected. Reconfiguring myself as a replica of " + sender.name,
          "master", sender.name, "configEpoch", senderConfigEpoch);
      setMyMaster(sender.name);
    }
    updateState();
    host.saveConfig();
  }

  /** clusterSetNodeAsMaster: a replica we knew acts as a master now (a promoted replica is a migration target). */
  void setNodeAsMaster(NodeView n) {
    if (n.master) return;
    String old = n.slaveof;
    n.setMaster();
    if (old == null) return;
    removedReplica(old);
    if (!n.name.equals(myself)) n.migrateTo = true;
  }

  /** The SLAVE flag and clusterNodeAddSlave / clusterNodeRemoveSlave: {@code n} replicates {@code master} now. */
  void setNodeReplicaOf(NodeView n, String master) {
    String old = n.master ? null : n.slaveof;
    if (n.master) n.migrateTo = false; // a master turned into a replica
    n.setReplicaOf(master);
    if (master.equals(old)) return;
    if (old != null) removedReplica(old);
    NodeView m = node(master);
    if (m != null) m.migrateTo = true;
  }

  /** clusterNodeRemoveSlave: a master left without replicas is no longer a migration target. */
  private void removedReplica(String masterName) {
    NodeView m = node(masterName);
    if (m != null && replicasOf(masterName).isEmpty()) m.migrateTo = false;
  }

  /** master->slaves: the nodes we believe replicate {@code masterName}, in name order. */
  List<NodeView> replicasOf(String masterName) {
    List<NodeView> out = new ArrayList<>();
    for (NodeView n : nodes.values()) if (!n.master && masterName.equals(n.slaveof)) out.add(n);
    return out;
  }

  /** clusterCountNonFailingSlaves. */
  int nonFailingReplicas(String masterName) {
    int ok = 0;
    for (NodeView n : replicasOf(masterName)) if (!n.fail) ok++;
    return ok;
  }

  /** clusterSetMaster: this node becomes a replica of {@code master} (a master loses its slots). */
  void setMyMaster(String master) {
    NodeView me = me();
    if (me.master) delNodeSlots(me);
    setNodeReplicaOf(me, master);
    host.replicateFrom(master);
    if (manualFailover != null) manualFailover.reset();
  }

  /** clusterUpdateState. */
  void updateState() {
    long now = host.nowMs();
    if (firstCallTimeMs == 0) firstCallTimeMs = now;
    if (me().master && !ok && now - firstCallTimeMs < WRITABLE_DELAY_MS) return;
    boolean newOk = !settings.requireFullCoverage || fullyCovered();
    size = 0;
    int reachable = 0;
    for (NodeView n : nodes.values()) {
      if (!n.master || n.slots.isEmpty()) continue;
      size++;
      if (!n.fail && !n.pfail) reachable++;
    }
    if (reachable < size / 2 + 1) {
      newOk = false;
      amongMinorityTimeMs = now;
    }
    if (newOk == ok) return;
    long rejoinDelay = Math.max(MIN_REJOIN_DELAY_MS, Math.min(MAX_REJOIN_DELAY_MS, settings.clusterNodeTimeoutMs));
    if (newOk && me().master && now - amongMinorityTimeMs < rejoinDelay) return; // let a config update arrive first
    ok = newOk;
    host.point("redis.cluster.state", "Cluster state changed: " + (ok ? "ok" : "fail"), "state", ok ? "ok" : "fail",
        "reachableMasters", reachable, "size", size);
  }

  private boolean fullyCovered() {
    for (String owner : slots) {
      if (owner == null || nodes.get(owner).fail) return false;
    }
    return true;
  }

  /** The nodes other than us, in name order, without the handshake nodes (which are not known yet). */
  List<NodeView> others() {
    List<NodeView> out = new ArrayList<>();
    for (NodeView n : nodes.values()) if (!n.name.equals(myself) && !n.handshake) out.add(n);
    return out;
  }

  /** Whether any node is in handshake. */
  boolean hasHandshakes() {
    for (NodeView n : nodes.values()) if (n.handshake) return true;
    return false;
  }

  /** The handshake nodes, in (random) name order. */
  List<NodeView> handshakes() {
    List<NodeView> out = new ArrayList<>();
    for (NodeView n : nodes.values()) if (n.handshake) out.add(n);
    return out;
  }

  /** The handshake node for {@code address}, or null (clusterHandshakeInProgress). */
  NodeView handshakeAt(String address, int port) {
    for (NodeView n : nodes.values()) if (n.handshake && n.address.equals(address) && n.port == port) return n;
    return null;
  }

  /**
   * clusterStartHandshake: a node with a random name flagged HANDSHAKE (and MEET when we were told to meet it), unless a
   * handshake with that address is in progress already (EAGAIN). A known node is met again all the same: its PONG then
   * names a node we have, and the handshake node is deleted.
   */
  boolean startHandshake(String address, int port, int cport, boolean meet) {
    if (handshakeAt(address, port) != null) return false;
    NodeView n = NodeView.handshake(randomName(), address, port, cport, meet, host.nowMs());
    nodes.put(n.name, n);
    host.point("redis.cluster.handshake", "handshake with " + address + ":" + port + " as " + n.name + (meet ? " (MEET)" : ""),
        "address", address, "meet", meet);
    return true;
  }

  /** getRandomHexChars: a node ID of CLUSTER_NAMELEN (40) hex characters, from the node's seeded stream. */
  String randomName() {
    StringBuilder sb = new StringBuilder(40);
    while (sb.length() < 40) sb.append("0123456789abcdef".charAt(host.random(16)));
    return sb.toString();
  }

  /** clusterRenameNode: the handshake is over; the node takes the name its PONG carries. */
  void rename(NodeView n, String newName) {
    nodes.remove(n.name);
    n.name = newName;
    nodes.put(newName, n);
  }

  /**
   * clusterDelNode: its slots become unassigned, open slots towards it close, the failure reports it sent are
   * dropped, and it leaves the table.
   */
  void delNode(NodeView n) {
    for (int j = 0; j < Slots.COUNT; j++) {
      if (n.name.equals(importingFrom[j])) importingFrom[j] = null;
      if (n.name.equals(migratingTo[j])) migratingTo[j] = null;
      if (n.name.equals(slots[j])) slots[j] = null;
    }
    for (NodeView o : nodes.values()) o.failReports.remove(n.name);
    nodes.remove(n.name);
    if (!n.master && n.slaveof != null) removedReplica(n.slaveof);
  }

  /** clusterBlacklistAddNode: a forgotten node is not re-added from gossip for CLUSTER_BLACKLIST_TTL (60 s). */
  void blacklist(String name) {
    blacklistCleanup();
    blacklist.put(name, host.nowMs() + BLACKLIST_TTL_MS);
  }

  /** clusterBlacklistExists. */
  boolean blacklisted(String name) {
    blacklistCleanup();
    return blacklist.containsKey(name);
  }

  private void blacklistCleanup() {
    long now = host.nowMs();
    blacklist.values().removeIf(expire -> expire < now);
  }

  String describe() {
    StringBuilder sb = new StringBuilder("cluster_state:" + (ok ? "ok" : "fail") + " currentEpoch=" + currentEpoch
        + " lastVoteEpoch=" + lastVoteEpoch + ";");
    for (NodeView n : nodes.values()) {
      sb.append(' ').append(n.name).append(' ').append(n.flags(n.name.equals(myself)))
          .append(n.master ? "" : " of " + n.slaveof).append(" e").append(n.configEpoch).append(' ').append(Slots.ranges(n.slots)).append(';');
    }
    return sb.toString();
  }
}
