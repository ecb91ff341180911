package sim.redis.cluster;

/**
 * A replica's failover (clusterHandleSlaveFailover) and a master's vote (clusterSendFailoverAuthIfNeeded).
 * The replica of a FAILed master waits 500 ms + random(0..500) + rank * 1000 ms (rank: how many sibling
 * replicas have a greater replication offset), increments currentEpoch and asks every master for its vote;
 * a master votes once per epoch and once per node-timeout * 2 for replicas of the same master; with a
 * majority of the masters the replica takes its master's slots under the election's epoch as its new
 * configEpoch and broadcasts a PONG.
 */
final class Election {
  private final ClusterState state;
  private final ClusterBus bus;
  private long authTimeMs; // failover_auth_time: when the election may start (or started)
  private int authCount;
  private boolean authSent;
  private int authRank;
  private long authEpoch;

  Election(ClusterState state, ClusterBus bus) {
    this.state = state;
    this.bus = bus;
  }

  /** clusterHandleSlaveFailover, at each clusterCron and after each vote received. */
  void handle() {
    NodeView me = state.me();
    NodeView master = state.node(me.slaveof);
    boolean manual = bus.manual.canStart();
    if (me.master || master == null || (!master.fail && !manual) || master.slots.isEmpty()) return;
    long now = state.host.nowMs();
    long authAge = now - authTimeMs;
    int neededQuorum = state.size / 2 + 1;
    long authTimeout = Math.max(state.settings.clusterNodeTimeoutMs * 2, 2000);
    long authRetryTime = authTimeout * 2;
    if (authAge > authRetryTime) {
      schedule(now);
      if (bus.manual.inProgress()) handle(); // CLUSTER_TODO_HANDLE_FAILOVER: the election starts before we sleep
      return;
    }
    if (!authSent && !bus.manual.inProgress()) {
      int newRank = rank();
      if (newRank > authRank) { // a sibling told us of a better offset since: wait a second per place lost
        authTimeMs += (newRank - authRank) * 1000L;
        authRank = newRank;
      }
    }
    if (now < authTimeMs) return;
    if (authAge > authTimeout) return; // this election has expired; a new one after the retry time
    if (!authSent) {
      requestVotes();
      return;
    }
    if (authCount < neededQuorum) return;
    if (me.configEpoch < authEpoch && !state.settings.promoteKeepsConfigEpoch) me.configEpoch = authEpoch;
    if (state.settings.promoteKeepsConfigEpoch) me.configEpoch = master.configEpoch;
    replaceMyMaster(bus.manual.inProgress() ? bus.manual.mode() : null);
  }

  private void schedule(long now) {
    authTimeMs = now + 500 + state.host.random(500); // the fixed 500 ms lets the FAIL message propagate
    authCount = 0;
    authSent = false;
    authRank = rank();
    authTimeMs += authRank * 1000L;
    if (bus.manual.inProgress()) { // a manual failover needs no delay
      authTimeMs = now;
      authRank = 0;
    }
    state.host.point("redis.cluster.election-scheduled", "Start of election delayed for " + (authTimeMs - now) + " milliseconds (rank #"
        + authRank + ", offset " + state.host.replOffset() + ").", "delayMs", authTimeMs - now, "rank", authRank);
    bus.broadcastPong(true); // our offset to the sibling replicas, so that they rank themselves
  }

  /** clusterGetSlaveRank: the sibling replicas with a greater replication offset than ours. */
  private int rank() {
    NodeView me = state.me();
    long mine = state.host.replOffset();
    int rank = 0;
    for (NodeView n : state.others()) {
      if (!n.master && me.slaveof.equals(n.slaveof) && n.replOffset > mine) rank++;
    }
    return rank;
  }

  private void requestVotes() {
    state.currentEpoch++;
    authEpoch = state.currentEpoch;
    authSent = true;
    state.host.point("redis.cluster.election", "Starting a failover election for epoch " + authEpoch + ".", "epoch", authEpoch);
    state.host.saveConfig();
    ClusterMessage.Header h = state.header();
    boolean forceAck = bus.manual.inProgress(); // CLUSTERMSG_FLAG0_FORCEACK: vote although my master is up
    for (NodeView n : state.others()) state.host.send(n.name, new ClusterMessage.AuthRequest(h, forceAck));
    state.updateState();
  }

  /** CLUSTERMSG_TYPE_FAILOVER_AUTH_ACK: a vote counts when it comes from a master with slots, for our epoch. */
  void onAck(NodeView sender, ClusterMessage.Header h) {
    if (!sender.master || sender.slots.isEmpty() || h.currentEpoch() < authEpoch) return;
    authCount++;
    handle();
  }

  /**
   * clusterFailoverReplaceYourMaster, after an election won (or a CLUSTER FAILOVER TAKEOVER: {@code manual} names the
   * manual failover's mode, null for an automatic one).
   */
  void replaceMyMaster(String manual) {
    NodeView me = state.me();
    NodeView old = state.node(me.slaveof);
    if (me.master || old == null) return;
    boolean takeover = "takeover".equals(manual);
    String how = takeover ? "Taking over the master: " : "Failover election won: ";
    Object[] attributes = {"old", old.name, "configEpoch", me.configEpoch, "oldConfigEpoch", old.configEpoch, "epoch",
        takeover ? me.configEpoch : authEpoch};
    if (manual != null) {
      attributes = java.util.Arrays.copyOf(attributes, attributes.length + 2);
      attributes[attributes.length - 2] = "manual";
      attributes[attributes.length - 1] = manual;
    }
    state.host.point("redis.cluster.promoted", how + state.myself + " takes " + Slots.ranges(old.slots) + " from " + old.name
        + " with configEpoch " + me.configEpoch + (takeover ? "" : " (" + authCount + " votes)"), attributes);
    state.setNodeAsMaster(me);
    state.host.stopReplicating();
    for (int j = old.slots.nextSetBit(0); j >= 0; j = old.slots.nextSetBit(j + 1)) state.addSlot(state.myself, j);
    state.updateState();
    state.host.saveConfig();
    bus.broadcastPong(false); // everyone learns the new configuration at once
    bus.manual.reset();
  }

  /** clusterSendFailoverAuthIfNeeded: {@code node} asks for our vote. */
  void onRequest(NodeView node, ClusterMessage.Header request) {
    onRequest(node, request, false);
  }

  void onRequest(NodeView node, ClusterMessage.Header request, boolean forceAck) {
    NodeView me = state.me();
    if (!me.master || me.slots.isEmpty()) return; // only masters serving slots vote
    String denied = refusal(node, request, forceAck);
    if (denied != null) {
      state.host.point("redis.cluster.vote-denied", "Failover auth denied to " + node.name + ": " + denied, "candidate", node.name,
          "epoch", request.currentEpoch());
      return;
    }
    NodeView master = state.node(node.slaveof);
    state.lastVoteEpoch = state.currentEpoch;
    master.votedTimeMs = state.host.nowMs();
    state.host.saveConfig(); // CLUSTER_TODO_FSYNC_CONFIG: the vote is durable before it leaves
    state.host.send(node.name, new ClusterMessage.AuthAck(state.header()));
    state.host.point("redis.cluster.vote", "Failover auth granted to " + node.name + " for epoch " + state.currentEpoch,
        "candidate", node.name, "epoch", state.currentEpoch);
  }

  private String refusal(NodeView node, ClusterMessage.Header request, boolean forceAck) {
    boolean forgetful = state.settings.voteTwicePerEpoch;
    if (request.currentEpoch() < state.currentEpoch) return "reqEpoch (" + request.currentEpoch() + ") < curEpoch(" + state.currentEpoch + ")";
    if (!forgetful && state.lastVoteEpoch == state.currentEpoch) return "already voted for epoch " + state.currentEpoch;
    NodeView master = state.node(node.slaveof);
    if (node.master) return "it is a master node";
    if (master == null) return "I don't know its master";
    if (!master.fail && !forceAck) return "its master is up"; // a manual failover's request is granted anyway
    long sinceVote = state.host.nowMs() - master.votedTimeMs;
    long timeout = state.settings.clusterNodeTimeoutMs * 2;
    if (!forgetful && sinceVote < timeout) return "can't vote about this master before " + (timeout - sinceVote) + " milliseconds";
    for (int j = request.slots().nextSetBit(0); j >= 0; j = request.slots().nextSetBit(j + 1)) {
      String owner = state.slots[j];
      if (owner == null || state.nodes.get(owner).configEpoch <= request.configEpoch()) continue;
      return "slot " + j + " epoch (" + state.nodes.get(owner).configEpoch + ") > reqEpoch (" + request.configEpoch() + ")";
    }
    return null;
  }

  String describe() {
    return authSent ? "election epoch " + authEpoch + ": " + authCount + " votes" : "";
  }
}
