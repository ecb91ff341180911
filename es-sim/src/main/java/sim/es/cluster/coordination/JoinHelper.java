package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
  private final Set<String> pendingJoinsJustUsed = new TreeSet<>();

  JoinHelper(Coordinator coordinator, String zone, Coordinator.Host host) {
    this.coordinator = coordinator;
    this.zone = zone;
    this.host = host;
  }

  void onPeersResponse(NodeContext ctx, PeersResponse r) {
    coordinator.updateMaxTermSeen(ctx, r.term());
    if (coordinator.mode() != Coordinator.Mode.CANDIDATE || r.knownLeader() == null || !r.knownLeader().equals(r.source())) return;
    // an active master was found (PeerFinder.onActiveMasterFound): ask to join it, no vote needed
    ctx.send(Coordinator.node(r.source()), new JoinRequest(coordinator.self(), host.ephemeralId(), zone, coordinator.term(), null, host.shardStores()));
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
      if (r.source().equals(self)) handleJoin(ctx, join);
      else ctx.send(Coordinator.node(r.source()), new JoinRequest(self, host.ephemeralId(), zone, join.term(), join, host.shardStores()));
    });
  }

  void onJoinRequest(NodeContext ctx, JoinRequest r) {
    if (coordinator.mode() != Coordinator.Mode.LEADER) pendingJoins.put(r.source(), r); // kept for when the election is won
    if (r.join() != null) {
      Join mine = coordinator.ensureTermAtLeast(ctx, coordinator.self(), r.join().term());
      if (mine != null) {
        coordinator.persist(ctx, () -> {
          handleJoin(ctx, mine);
          handleJoin(ctx, r.join());
        });
      } else {
        handleJoin(ctx, r.join());
      }
    }
    if (coordinator.mode() == Coordinator.Mode.LEADER && !pendingJoinsJustUsed.contains(r.source())) host.onJoinRequest(ctx, r);
    pendingJoinsJustUsed.clear();
  }

  /** Counts a vote; the one that makes a quorum makes this candidate the leader. */
  void handleJoin(NodeContext ctx, Join join) {
    boolean won;
    try {
      won = coordinator.coordinationState().handleJoin(join);
    } catch (Rejected e) {
      return;
    }
    if (won && coordinator.mode() == Coordinator.Mode.CANDIDATE) coordinator.becomeLeader(ctx);
  }

  /** The election was won: the join requests kept so far go to the new master's first state. */
  List<JoinRequest> takePendingJoins() {
    List<JoinRequest> joins = new ArrayList<>(pendingJoins.values());
    pendingJoinsJustUsed.addAll(pendingJoins.keySet());
    pendingJoins.clear();
    return joins;
  }
}
