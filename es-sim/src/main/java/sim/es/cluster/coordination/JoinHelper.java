package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.es.cluster.coordination.CoordinationMessage.JoinRequest;
import sim.es.cluster.coordination.CoordinationMessage.PeersResponse;
import sim.es.cluster.coordination.CoordinationMessage.StartJoinRequest;

/**
 * Votes and join requests (Elasticsearch's JoinHelper): a StartJoin moves the node to the new term and, once
 * that is durable, sends its vote to the candidate; a candidate counts the votes it receives, and keeps the
 * join requests that came with them for when it wins; a leader hands each join request to the master service.
 * A candidate that finds an active master asks to join it (PeerFinder.onActiveMasterFound).
 */
final class JoinHelper {
  private final Coordinator coordinator;
  private final String zone;
  private final Coordinator.Host host;
  private final TreeMap<String, JoinRequest> pendingJoins = new TreeMap<>();
  private Join lastJoin;

  JoinHelper(Coordinator coordinator, String zone, Coordinator.Host host) {
    this.coordinator = coordinator;
    this.zone = zone;
    this.host = host;
  }

  void onPeersResponse(NodeContext ctx, PeersResponse r) {
    coordinator.updateMaxTermSeen(ctx, r.term());
    if (coordinator.mode() != Coordinator.Mode.CANDIDATE || r.knownLeader() == null || !r.knownLeader().equals(r.source())) return;
    // an active master was found (PeerFinder.onActiveMasterFound): ask to join it, with this term's vote if it was for that master
    long term = coordinator.term();
    ctx.send(Coordinator.node(r.source()), new JoinRequest(coordinator.self(), host.ephemeralId(), zone, term, joinWithDestination(r.source(), term),
        host.shardStores()));
  }

  void onStartJoin(NodeContext ctx, StartJoinRequest r) {
    Join join;
    try {
      join = coordinator.joinLeaderInTerm(ctx, r.source(), r.term());
    } catch (Rejected e) {
      return;
    }
    String self = coordinator.self();
    coordinator.persist(ctx, () -> {
      if (r.source().equals(self)) processJoin(ctx, join);
      else ctx.send(Coordinator.node(r.source()), new JoinRequest(self, host.ephemeralId(), zone, join.term(), join, host.shardStores()));
    });
  }

  /** The vote this node cast last (Coordinator.lastJoin): kept to repeat it to the same master in the same term. */
  void noteLastJoin(Join join) {
    lastJoin = join;
  }

  /** Coordinator.joinWithDestination: this node's last vote if it went to {@code leader} in {@code term}, else none. */
  Join joinWithDestination(String leader, long term) {
    if (lastJoin == null || !lastJoin.target().equals(leader) || lastJoin.term() != term) return null;
    return lastJoin;
  }

  /**
   * Coordinator.processJoinRequest: the vote first (moving to its term if it is higher), then the request itself.
   * While the election is still open a vote the election rejects fails the whole request, as in Elasticsearch (the
   * node asks again once it finds this node as master); a leader takes the request whatever became of the vote.
   */
  void onJoinRequest(NodeContext ctx, JoinRequest r) {
    if (r.join() == null) {
      accumulate(ctx, r);
      return;
    }
    Join mine = coordinator.ensureTermAtLeast(ctx, coordinator.self(), r.join().term());
    if (mine == null) {
      processJoinRequest(ctx, r);
      return;
    }
    coordinator.persist(ctx, () -> {
      processJoin(ctx, mine);
      processJoinRequest(ctx, r);
    });
  }

  private void processJoinRequest(NodeContext ctx, JoinRequest r) {
    boolean wasWon = coordinator.coordinationState().electionWon() && r.join().term() <= coordinator.term();
    if (!handleJoin(ctx, r.join())) return; // the election rejected the vote: the join request fails with it
    accumulate(ctx, r);
    becomeLeaderIfJustWon(ctx, wasWon);
  }

  /** The candidate's own vote, or one from a PublishResponse: counted, and the election won if it makes a quorum. */
  void processJoin(NodeContext ctx, Join join) {
    boolean wasWon = coordinator.coordinationState().electionWon();
    handleJoin(ctx, join);
    becomeLeaderIfJustWon(ctx, wasWon);
  }

  private void becomeLeaderIfJustWon(NodeContext ctx, boolean wasWon) {
    if (!wasWon && coordinator.coordinationState().electionWon() && coordinator.mode() == Coordinator.Mode.CANDIDATE) coordinator.becomeLeader(ctx);
  }

  /**
   * Coordinator.handleJoin: counts a vote; returns false if the still-open election rejected it. Once the election is
   * won a rejected vote does not matter (handleJoinIgnoringExceptions), and a new vote of a leader that has no
   * publication running may improve the voting configuration (scheduleReconfigurationIfNeeded).
   */
  private boolean handleJoin(NodeContext ctx, Join join) {
    CoordinationState state = coordinator.coordinationState();
    boolean won = state.electionWon();
    boolean isNew = !state.joinVoters().contains(join.source());
    try {
      state.handleJoin(join);
    } catch (Rejected e) {
      return won;
    }
    if (won && isNew && coordinator.needsReconfiguration()) host.onReconfigurationNeeded(ctx);
    return true;
  }

  /** JoinAccumulator.handleJoinRequest: a candidate keeps the request for when it wins; a leader hands it to the master service. */
  private void accumulate(NodeContext ctx, JoinRequest r) {
    if (coordinator.mode() == Coordinator.Mode.LEADER) host.onJoinRequest(ctx, r);
    else pendingJoins.put(r.source(), r);
  }

  /** The election was won: the join requests kept so far go to the new master's first state. */
  List<JoinRequest> takePendingJoins() {
    List<JoinRequest> joins = new ArrayList<>(pendingJoins.values());
    pendingJoins.clear();
    return joins;
  }
}
