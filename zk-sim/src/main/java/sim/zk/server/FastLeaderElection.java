package sim.zk.server;

import java.util.Map;
import java.util.TreeMap;
import sim.zk.server.ZkMessage.Notification;
import sim.zk.server.ZkMessage.ServerState;

/**
 * {@code FastLeaderElection.lookForLeader} as a state machine: it takes notifications and says what to do
 * (send our vote to everyone, start finalizeWait, or conclude). The server does the sending and timing.
 */
final class FastLeaderElection {
  /** What a notification led to. */
  enum Step { NOTHING, BROADCAST, QUORUM, DECIDED }

  private final long myid;
  private final int quorum;
  private final java.util.function.LongPredicate voter;
  /** {@code --break zk.elect-lowest-zxid}: the order on zxids is reversed. */
  private final boolean lowestZxidWins;
  long logicalclock;
  Vote proposal;
  long proposalVersion;
  final Map<Long, Vote> recvset = new TreeMap<>();
  final Map<Long, Notification> outofelection = new TreeMap<>();
  long decidedLeader = -1;
  long decidedEpoch;

  FastLeaderElection(long myid, int quorum, java.util.function.LongPredicate voter, boolean lowestZxidWins) {
    this.myid = myid;
    this.quorum = quorum;
    this.voter = voter;
    this.lowestZxidWins = lowestZxidWins;
  }

  /** {@code totalOrderPredicate} (or, with the rule broken, the same with the zxid order reversed). */
  private boolean beats(Vote a, Vote b) {
    if (!lowestZxidWins) return a.beats(b);
    return a.peerEpoch() > b.peerEpoch() || a.peerEpoch() == b.peerEpoch() && (a.zxid() < b.zxid() || a.zxid() == b.zxid() && a.leader() > b.leader());
  }

  /** A new round: vote for ourselves. */
  void start(long lastZxid, long currentEpoch) {
    logicalclock++;
    recvset.clear();
    outofelection.clear();
    decidedLeader = -1;
    propose(new Vote(myid, lastZxid, currentEpoch));
  }

  private void propose(Vote v) {
    proposal = v;
    proposalVersion++;
    recvset.put(myid, v);
  }

  Notification myNotification(ServerState state) {
    return new Notification(proposal.leader(), proposal.zxid(), logicalclock, proposal.peerEpoch(), state, myid);
  }

  Step onNotification(Notification n, long myLastZxid, long myEpoch) {
    Vote v = new Vote(n.leader(), n.zxid(), n.peerEpoch());
    if (n.state() == ServerState.LOOKING) {
      Step step = Step.NOTHING;
      if (n.electionEpoch() > logicalclock) {
        logicalclock = n.electionEpoch();
        recvset.clear();
        Vote mine = new Vote(myid, myLastZxid, myEpoch);
        propose(beats(v, mine) ? v : mine);
        step = Step.BROADCAST;
      } else if (n.electionEpoch() < logicalclock) {
        return Step.NOTHING;
      } else if (beats(v, proposal)) {
        propose(v);
        step = Step.BROADCAST;
      }
      recvset.put(n.sid(), v);
      if (hasQuorum(recvset, proposal)) return step == Step.BROADCAST ? Step.BROADCAST : Step.QUORUM;
      return step;
    }
    // FOLLOWING or LEADING: someone already decided.
    if (n.electionEpoch() == logicalclock) {
      recvset.put(n.sid(), v);
      if (hasQuorum(recvset, v) && checkLeader(n)) return decide(n.leader(), n.electionEpoch());
    }
    outofelection.put(n.sid(), n);
    // Vote.equals between decided (non-LOOKING) votes compares only the leader and its epoch.
    int agree = 0;
    for (Notification o : outofelection.values()) {
      if (voter.test(o.sid()) && o.leader() == n.leader() && o.peerEpoch() == n.peerEpoch()) agree++;
    }
    if (agree >= quorum && checkLeader(n)) {
      logicalclock = n.electionEpoch();
      return decide(n.leader(), n.electionEpoch());
    }
    return Step.NOTHING;
  }

  /** {@code checkLeader}: we only follow a leader that says it leads (or ourselves in this round). */
  private boolean checkLeader(Notification n) {
    if (n.leader() == myid) return logicalclock == n.electionEpoch();
    Notification fromLeader = outofelection.get(n.leader());
    if (n.sid() == n.leader()) fromLeader = n;
    return fromLeader != null && fromLeader.state() == ServerState.LEADING;
  }

  private Step decide(long leader, long epoch) {
    decidedLeader = leader;
    decidedEpoch = epoch;
    return Step.DECIDED;
  }

  /** After finalizeWait passed with no better vote: conclude for the current proposal. */
  Step finalizeIfUnchanged(long version) {
    if (version != proposalVersion || !hasQuorum(recvset, proposal)) return Step.NOTHING;
    return decide(proposal.leader(), logicalclock);
  }

  /** Only voting servers count ({@code QuorumVerifier.containsQuorum}); an observer's own vote does not. */
  private boolean hasQuorum(Map<Long, Vote> votes, Vote v) {
    int n = 0;
    for (Map.Entry<Long, Vote> x : votes.entrySet()) if (voter.test(x.getKey()) && x.getValue().equals(v)) n++;
    return n >= quorum;
  }
}
