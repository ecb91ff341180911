package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;

/**
 * One monitored master as sentinel.c keeps it (a sentinelRedisInstance with SRI_MASTER, its slaves and
 * sentinels dicts): SDOWN (sentinelCheckSubjectivelyDown), ODOWN (sentinelCheckObjectivelyDown), asking the
 * other sentinels (sentinelAskMasterStateToOtherSentinels), and the leader election (sentinelVoteLeader,
 * sentinelGetLeader). The failover itself is {@link Failover}. Dicts are TreeMaps: iteration in name order,
 * where Redis's dict order is a hash order.
 */
final class Monitor {
  static final long ASK_PERIOD = 1000;
  static final long MAX_DESYNC = 1000;
  static final long ELECTION_TIMEOUT = 10_000;

  final String name;
  final SentinelConfig cfg;
  final SentinelHost host;
  Instance master;
  final TreeMap<String, Instance> slaves = new TreeMap<>();
  final TreeMap<String, PeerSentinel> sentinels = new TreeMap<>();
  long configEpoch;
  boolean odown;
  long odownSince;
  boolean failoverInProgress;
  int failoverState = Failover.NONE;
  long failoverEpoch;
  long failoverStartTime;
  long failoverStateChangeTime;
  /** This sentinel's vote for this master: the run id it voted for, and in which epoch. */
  String leader;
  long leaderEpoch;
  Instance promotedSlave;

  Monitor(SentinelConfig cfg, SentinelHost host, String masterHost, int masterPort) {
    this.name = cfg.masterName;
    this.cfg = cfg;
    this.host = host;
    this.master = new Instance(masterHost, masterPort, host.now());
    this.master.roleReported = Instance.ROLE_MASTER;
    for (String s : cfg.sentinels) sentinels.put(s, new PeerSentinel(NodeId.of(s)));
  }

  String masterDetail() {
    return "master " + name + " " + master.host + " " + master.port;
  }

  String slaveDetail(Instance s) {
    return "slave " + s.host + ":" + s.port + " " + s.host + " " + s.port + " @ " + name + " " + master.host + " " + master.port;
  }

  long pingPeriod() {
    return Math.min(cfg.downAfterMs, 1000);
  }

  /** sentinelCheckSubjectivelyDown, without the link reconnections (no TCP) and the master-reboot rule. */
  void checkSubjectivelyDown(Instance ri, boolean isMaster) {
    long now = host.now();
    long elapsed = ri.actPingTime != 0 ? now - ri.actPingTime : 0;
    boolean down = elapsed > cfg.downAfterMs
        || (isMaster && ri.roleReported == Instance.ROLE_SLAVE && now - ri.roleReportedTime > cfg.downAfterMs + Failover.INFO_PERIOD * 2);
    String detail = isMaster ? masterDetail() : slaveDetail(ri);
    if (down && !ri.sdown) {
      host.event("+sdown", detail);
      ri.sdownSince = now;
      ri.sdown = true;
    } else if (!down && ri.sdown) {
      host.event("-sdown", detail);
      ri.sdown = false;
    }
  }

  /** sentinelCheckObjectivelyDown: a weak quorum of recent "it is down" answers, ours included. */
  void checkObjectivelyDown() {
    int quorum = 0;
    boolean down = false;
    if (master.sdown) {
      quorum = 1;
      for (PeerSentinel p : sentinels.values()) if (p.masterDown) quorum++;
      down = quorum >= cfg.quorum;
    }
    if (down && !odown) {
      host.event("+odown", masterDetail() + " #quorum " + quorum + "/" + cfg.quorum);
      odown = true;
      odownSince = host.now();
    } else if (!down && odown) {
      host.event("-odown", masterDetail());
      odown = false;
    }
  }

  /** sentinelAskMasterStateToOtherSentinels: every second while SDOWN; with our run id once we try a failover. */
  void askOtherSentinels(boolean forced) {
    long now = host.now();
    for (PeerSentinel p : sentinels.values()) {
      if (now - p.lastMasterDownReplyTime > ASK_PERIOD * 5) { // too old: forget it
        p.masterDown = false;
        p.leader = null;
      }
      if (!master.sdown) continue;
      if (!forced && now - p.lastMasterDownReplyTime < ASK_PERIOD) continue;
      host.askPeer(p, master.host, master.port, host.currentEpoch(), failoverState > Failover.NONE ? host.myId() : "*");
    }
  }

  /** sentinelReceiveIsMasterDownReply. */
  void onIsMasterDownReply(PeerSentinel p, long isDown, String leaderRunId, long epoch) {
    p.lastMasterDownReplyTime = host.now();
    p.masterDown = isDown == 1;
    if (!leaderRunId.equals("*")) {
      p.leader = leaderRunId;
      p.leaderEpoch = epoch;
    }
  }

  /** The reply to SENTINEL is-master-down-by-addr: [isdown, leader or "*", leader_epoch]. */
  Object[] isMasterDownByAddr(long reqEpoch, String runId) {
    long isDown = master.sdown ? 1 : 0;
    Object[] vote = runId.equals("*") ? new Object[] {null, 0L} : voteLeader(reqEpoch, runId);
    return new Object[] {isDown, vote[0] == null ? "*" : vote[0], vote[1]};
  }

  /**
   * sentinelVoteLeader: adopt a greater epoch, then vote for the requester unless we already voted in this
   * epoch (or a later one). Both changes are flushed to sentinel.conf before the answer leaves.
   */
  Object[] voteLeader(long reqEpoch, String reqRunId) {
    if (reqEpoch > host.currentEpoch()) {
      host.currentEpoch(reqEpoch);
      host.flushConfig();
      host.event("+new-epoch", Long.toString(reqEpoch)); // sentinelEvent(..., "%llu", ...): the epoch alone
    }
    boolean mayVote = leaderEpoch < reqEpoch && host.currentEpoch() <= reqEpoch;
    if (host.broken(SentinelBreaks.VOTE_TWICE_PER_EPOCH)) mayVote = host.currentEpoch() <= reqEpoch; // forgets its vote
    if (mayVote) {
      leader = reqRunId;
      leaderEpoch = host.currentEpoch();
      host.flushConfig();
      host.event("+vote-for-leader", leader + " " + leaderEpoch);
      if (!leader.equalsIgnoreCase(host.myId())) failoverStartTime = host.now() + host.random((int) MAX_DESYNC);
    }
    return new Object[] {leader, leaderEpoch};
  }

  /**
   * sentinelGetLeader: count the votes the other sentinels reported for the current epoch, add ours (for the
   * most voted, else for ourselves), and the winner needs both a majority of all known sentinels and quorum.
   */
  String getLeader(long epoch) {
    Map<String, Integer> counters = new TreeMap<>();
    for (PeerSentinel p : sentinels.values()) {
      if (p.leader != null && p.leaderEpoch == host.currentEpoch()) counters.merge(p.leader, 1, Integer::sum);
    }
    String winner = null;
    int maxVotes = 0;
    for (var e : counters.entrySet()) {
      if (e.getValue() > maxVotes) {
        maxVotes = e.getValue();
        winner = e.getKey();
      }
    }
    Object[] my = voteLeader(epoch, winner != null ? winner : host.myId());
    if (my[0] != null && (long) my[1] == epoch) {
      int votes = counters.merge((String) my[0], 1, Integer::sum);
      if (votes > maxVotes) {
        maxVotes = votes;
        winner = (String) my[0];
      }
    }
    int voters = sentinels.size() + 1;
    if (winner != null && (maxVotes < voters / 2 + 1 || maxVotes < cfg.quorum)) winner = null;
    return winner;
  }

  /** sentinelGetCurrentMasterAddress: once the promoted slave is a master, the configuration names it. */
  Instance currentMasterAddress() {
    if (failoverInProgress && promotedSlave != null && failoverState >= Failover.RECONF_SLAVES) return promotedSlave;
    return master;
  }

  /** sentinelMasterLooksSane: we may fix others' configuration only from a healthy, fresh view of the master. */
  boolean masterLooksSane() {
    return master.roleReported == Instance.ROLE_MASTER && !master.sdown && !odown
        && host.now() - master.infoRefresh < Failover.INFO_PERIOD * 2;
  }

  /** sentinelResetMasterAndChangeAddress: monitor the new address; the old master and its slaves are its slaves. */
  void resetAndChangeAddress(String newHost, int newPort) {
    long now = host.now();
    List<String[]> addrs = new ArrayList<>();
    for (Instance s : slaves.values()) if (!(s.host.equals(newHost) && s.port == newPort)) addrs.add(new String[] {s.host, "" + s.port});
    if (!(master.host.equals(newHost) && master.port == newPort)) addrs.add(new String[] {master.host, "" + master.port});
    slaves.clear();
    master = new Instance(newHost, newPort, now);
    master.roleReported = Instance.ROLE_MASTER;
    for (String[] a : addrs) {
      Instance s = new Instance(a[0], Integer.parseInt(a[1]), now);
      slaves.put(a[0] + ":" + a[1], s);
      host.event("+slave", slaveDetail(s));
    }
    odown = false;
    failoverInProgress = false;
    failoverState = Failover.NONE;
    failoverStateChangeTime = 0;
    failoverStartTime = 0;
    promotedSlave = null;
    leader = null; // the vote's epoch stays: still one vote per epoch
    host.flushConfig();
  }
}
