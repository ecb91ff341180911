package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.es.cluster.coordination.CoordinationMessage.ApplyCommitRequest;
import sim.es.cluster.coordination.CoordinationMessage.ApplyCommitResponse;
import sim.es.cluster.coordination.CoordinationMessage.PublishRejected;
import sim.es.cluster.coordination.CoordinationMessage.PublishRequest;
import sim.es.cluster.coordination.CoordinationMessage.PublishResponse;
import sim.es.cluster.state.ClusterState;

/**
 * Both ends of a cluster-state publication (Elasticsearch's Coordinator.publish and PublicationTransportHandler):
 * the leader starts a {@link Publication} of the next version; every node accepts a state of its current term,
 * persists it and answers; the leader counts the answers, and once a quorum accepted tells each node to apply
 * it (ApplyCommit). Retransmissions of a request already handled are answered again without effect.
 */
final class PublicationTransportHandler {
  private final Coordinator coordinator;
  private final CoordinationSettings settings;
  private final Coordinator.Host host;

  PublicationTransportHandler(Coordinator coordinator, CoordinationSettings settings, Coordinator.Host host) {
    this.coordinator = coordinator;
    this.settings = settings;
    this.host = host;
  }

  /** As leader: publish {@code next} (term and version are set here) to every node in it. */
  void publish(NodeContext ctx, ClusterState next) {
    if (coordinator.mode() != Coordinator.Mode.LEADER || coordinator.publicationInProgress()) throw new Rejected("not ready to publish");
    String self = coordinator.self();
    ClusterState s = next.withTermAndVersion(coordinator.term(), coordinator.lastAccepted().version() + 1).withMaster(self);
    try {
      coordinator.coordinationState().handleClientValue(s);
    } catch (Rejected e) {
      ctx.note("publication refused: " + e.getMessage());
      host.onPublicationDone(ctx, false);
      return;
    }
    List<String> targets = new ArrayList<>();
    for (var n : s.nodes()) targets.add(n.id());
    if (!targets.contains(self)) targets.add(self);
    Publication publication = new Publication(coordinator, s, targets);
    coordinator.setPublication(publication);
    ctx.point("es.state.publish", self + " publishes cluster state version " + s.version() + " (term " + s.term() + ") to " + targets,
        "term", s.term(), "version", s.version());
    ctx.setTimer(new CoordinationTimer.PublishTimeout(s.term(), s.version()), Durations.millis(settings.publishTimeoutMs()));
    ctx.setTimer(new CoordinationTimer.PublishRetry(s.term(), s.version()), Durations.seconds(1));
    for (String t : targets) {
      if (t.equals(self)) onPublishRequest(ctx, new PublishRequest(self, s));
      else if (coordinator.isDisconnected(t)) publication.fail(ctx, t, "disconnected");
      else ctx.send(Coordinator.node(t), new PublishRequest(self, s));
    }
    publication.checkQuorumPossible(ctx);
  }

  /** Resends a publication's request to a target that did not answer. */
  void sendPublish(NodeContext ctx, String target, ClusterState s) {
    if (!target.equals(coordinator.self())) ctx.send(Coordinator.node(target), new PublishRequest(coordinator.self(), s));
  }

  void onPublishRequest(NodeContext ctx, PublishRequest r) {
    String self = coordinator.self();
    ClusterState lastAccepted = coordinator.lastAccepted();
    long currentTerm = coordinator.term();
    if (!r.source().equals(self) && r.state().term() == currentTerm && r.state().term() == lastAccepted.term()
        && r.state().version() == lastAccepted.version() && r.source().equals(coordinator.followedLeader())) {
      // a retransmission of a state already accepted: answered only once it is durable (the first copy's persist answers otherwise)
      ClusterState durable = coordinator.durablyAccepted();
      if (durable.term() == lastAccepted.term() && durable.version() == lastAccepted.version()) {
        ctx.send(Coordinator.node(r.source()), new PublishResponse(self, currentTerm, lastAccepted.version(), null));
      }
      return;
    }
    String mine = r.state().node(self).map(n -> n.ephemeralId()).orElse(host.ephemeralId());
    if (!r.source().equals(self) && !mine.equals(host.ephemeralId())) { // sent to the process this node was before it restarted
      ctx.send(Coordinator.node(r.source()), new PublishRejected(self, r.state().version(), "the state lists " + self + " as incarnation " + mine
          + ", this is " + host.ephemeralId() + ": a publication to a previous process"));
      return;
    }
    try {
      coordinator.ensureTermAtLeast(ctx, r.source(), r.state().term());
      coordinator.coordinationState().handlePublishRequest(r.state());
    } catch (Rejected e) {
      if (!r.source().equals(self)) ctx.send(Coordinator.node(r.source()), new PublishRejected(self, r.state().version(), e.getMessage()));
      else if (coordinator.publication() != null) coordinator.publication().fail(ctx, self, e.getMessage());
      return;
    }
    if (!r.source().equals(self) && (coordinator.mode() != Coordinator.Mode.FOLLOWER || !r.source().equals(coordinator.followedLeader()))) {
      coordinator.becomeFollower(ctx, r.source());
    }
    ClusterState accepted = r.state();
    // PublishWithJoinResponse: the vote this node gave the publishing master in this term rides along, so a master
    // that could not count it while electing itself (this node had accepted something newer then) counts it now
    Join join = coordinator.joins().joinWithDestination(r.source(), accepted.term());
    coordinator.persist(ctx, () -> {
      PublishResponse resp = new PublishResponse(self, accepted.term(), accepted.version(), join);
      if (r.source().equals(self)) onPublishResponse(ctx, resp);
      else ctx.send(Coordinator.node(r.source()), resp);
    });
  }

  void onPublishResponse(NodeContext ctx, PublishResponse r) {
    if (r.join() != null) coordinator.joins().processJoin(ctx, r.join());
    Publication publication = coordinator.publication();
    if (publication == null || coordinator.mode() != Coordinator.Mode.LEADER) return;
    try {
      boolean quorum = coordinator.coordinationState().handlePublishResponse(r.source(), r.term(), r.version()).isPresent();
      publication.accepted(ctx, r.source());
      if (quorum) publication.committed(ctx);
    } catch (Rejected e) {
      // a response to an older publication, or from a node in another term
    }
  }

  void sendCommit(NodeContext ctx, String target, long term, long version) {
    String self = coordinator.self();
    if (target.equals(self)) onApplyCommit(ctx, new ApplyCommitRequest(self, term, version));
    else ctx.send(Coordinator.node(target), new ApplyCommitRequest(self, term, version));
  }

  void onApplyCommit(NodeContext ctx, ApplyCommitRequest r) {
    String self = coordinator.self();
    ClusterState applied = coordinator.applied();
    if (!r.source().equals(self) && applied.term() == r.term() && applied.version() == r.version()) {
      ctx.send(Coordinator.node(r.source()), new ApplyCommitResponse(self, r.term(), r.version())); // a retransmission: already applied
      return;
    }
    try {
      coordinator.coordinationState().handleCommit(r.term(), r.version());
    } catch (Rejected e) {
      return;
    }
    ClusterState committed = coordinator.lastAccepted();
    coordinator.persist(ctx, () -> { }); // the committed configuration, durably
    coordinator.setApplied(committed);
    ctx.point("es.state.applied", self + " applies cluster state version " + committed.version() + " (term " + committed.term() + ", master "
        + committed.masterNodeId() + ")", "term", committed.term(), "version", committed.version());
    host.onStateCommitted(ctx, committed);
    if (coordinator.mode() == Coordinator.Mode.LEADER) coordinator.faultDetection().updateFollowers(ctx, committed);
    ApplyCommitResponse ack = new ApplyCommitResponse(self, r.term(), r.version());
    if (r.source().equals(self)) {
      if (coordinator.publication() != null) coordinator.publication().onCommitAck(ctx, ack);
    } else {
      ctx.send(Coordinator.node(r.source()), ack);
    }
  }
}
