package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteRequest;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteResponse;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteRejected;
import sim.es.cluster.coordination.CoordinationMessage.StartJoinRequest;
import sim.es.cluster.state.ClusterState;

/**
 * A candidate's election attempts (Elasticsearch's ElectionSchedulerFactory and PreVoteCollector): attempts at
 * random, growing delays ({@code cluster.election.*}); each runs a pre-vote round first — nodes answer only if
 * they know no other leader, and a node that accepted a fresher state does not count — and on a quorum of
 * pre-votes sends StartJoin in {@code max(term seen) + 1}.
 */
final class PreVoteCollector {
  private final Coordinator coordinator;
  private final CoordinationSettings settings;
  private long electionEpoch;
  private long electionAttempt;
  private PreVoteRound preVote;
  private final TreeMap<String, Long> heardAt = new TreeMap<>();

  /** A pre-vote round: who said yes. */
  private static final class PreVoteRound {
    final TreeSet<String> votes = new TreeSet<>();
    boolean electionStarted;
  }

  PreVoteCollector(Coordinator coordinator, CoordinationSettings settings) {
    this.coordinator = coordinator;
    this.settings = settings;
  }

  /** Any message from {@code from}: for the broken quorum rule's view of who is reachable. */
  void heardFrom(NodeContext ctx, String from) {
    heardAt.put(from, ctx.localTimeNanos());
  }

  /** No pre-vote round has run since the node last left candidacy. */
  boolean idle() {
    return preVote == null;
  }

  /** The node leads or follows: the scheduler stops, and a round in progress is forgotten. */
  void stop() {
    preVote = null;
    electionEpoch++;
  }

  void startElectionScheduler(NodeContext ctx) {
    electionEpoch++;
    electionAttempt = 0;
    scheduleElection(ctx, 0);
  }

  private void scheduleElection(NodeContext ctx, long gracePeriodMs) {
    long delay = settings.electionDelayMs(electionAttempt, ctx.random("election").nextLong(), gracePeriodMs);
    ctx.setTimer(new CoordinationTimer.ElectionAttempt(electionEpoch * 1_000_000 + electionAttempt), Durations.millis(delay));
    electionAttempt++;
  }

  void onElectionAttempt(NodeContext ctx, CoordinationTimer.ElectionAttempt e) {
    if (coordinator.mode() != Coordinator.Mode.CANDIDATE || e.attempt() / 1_000_000 != electionEpoch) return;
    scheduleElection(ctx, settings.electionDurationMs());
    ClusterState lastAccepted = coordinator.lastAccepted();
    String self = coordinator.self();
    if (!Coordinator.nodeMayWinElection(lastAccepted, self)) return; // localNodeMayWinElection
    preVote = new PreVoteRound();
    coordinator.coordinationState().setVisibleNodes(visibleNodes(ctx));
    long currentTerm = coordinator.term();
    ctx.point("es.coord.prevote", self + " requests pre-votes in term " + currentTerm + " (last accepted term " + lastAccepted.term() + " version "
        + lastAccepted.version() + ")", "term", currentTerm);
    for (String n : coordinator.masterEligible()) {
      if (n.equals(self)) onPreVoteResponse(ctx, new PreVoteResponse(self, currentTerm, lastAccepted.term(), lastAccepted.version()));
      else ctx.send(Coordinator.node(n), new PreVoteRequest(self, currentTerm));
    }
  }

  void onPreVoteRequest(NodeContext ctx, PreVoteRequest r) {
    coordinator.updateMaxTermSeen(ctx, r.currentTerm());
    String self = coordinator.self();
    String known = coordinator.leader();
    long currentTerm = coordinator.term();
    if (known != null && !known.equals(r.source())) {
      ctx.send(Coordinator.node(r.source()), new PreVoteRejected(self, currentTerm, "rejecting pre-vote from " + r.source()
          + " as there is already a leader: " + known));
      return;
    }
    ClusterState lastAccepted = coordinator.lastAccepted();
    ctx.send(Coordinator.node(r.source()), new PreVoteResponse(self, currentTerm, lastAccepted.term(), lastAccepted.version()));
  }

  void onPreVoteResponse(NodeContext ctx, PreVoteResponse r) {
    coordinator.updateMaxTermSeen(ctx, r.currentTerm());
    if (preVote == null || coordinator.mode() != Coordinator.Mode.CANDIDATE) return;
    ClusterState lastAccepted = coordinator.lastAccepted();
    boolean fresher = r.lastAcceptedTerm() > lastAccepted.term()
        || (r.lastAcceptedTerm() == lastAccepted.term() && r.lastAcceptedVersion() > lastAccepted.version());
    if (fresher) return; // a node that accepted a newer state should win instead
    preVote.votes.add(r.source());
    if (preVote.electionStarted || !coordinator.coordinationState().isElectionQuorum(preVote.votes)) return;
    preVote.electionStarted = true;
    startElection(ctx);
  }

  /** StartJoin in the next term to every master-eligible node, this one included. */
  void startElection(NodeContext ctx) {
    long term = Math.max(coordinator.term(), coordinator.maxTermSeen()) + 1;
    String self = coordinator.self();
    ctx.point("es.coord.election", self + " starts an election in term " + term, "term", term);
    for (String n : coordinator.masterEligible()) {
      if (n.equals(self)) coordinator.joins().onStartJoin(ctx, new StartJoinRequest(self, term));
      else ctx.send(Coordinator.node(n), new StartJoinRequest(self, term));
    }
  }

  /** For the broken quorum rule: the nodes heard from within a leader-check timeout, and this one. */
  private List<String> visibleNodes(NodeContext ctx) {
    List<String> out = new ArrayList<>();
    for (String n : settings.initialMasterNodes()) {
      Long at = heardAt.get(n);
      boolean recent = at != null && ctx.localTimeNanos() - at <= Durations.millis(settings.leaderCheckTimeoutMs());
      if (n.equals(coordinator.self()) || (recent && !coordinator.isDisconnected(n))) out.add(n);
    }
    return out;
  }
}
