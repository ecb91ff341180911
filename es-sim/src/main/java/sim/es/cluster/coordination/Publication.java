package sim.es.cluster.coordination;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.NodeContext;
import sim.es.cluster.coordination.CoordinationMessage.ApplyCommitResponse;
import sim.es.cluster.state.ClusterState;

/**
 * One cluster-state publication by the leader (Elasticsearch's Publication): the state goes to every target;
 * each acceptance counts towards a quorum, and once there is one the version is committed and every target
 * that accepted is told to apply it. It completes when every target has applied it or failed; it fails at
 * once if the targets still able to answer can no longer form a quorum, and at {@code cluster.publish.timeout}
 * if it never committed.
 */
final class Publication {
  final long term;
  final long version;
  private final Coordinator coordinator;
  private final ClusterState state;
  private final List<String> targets;
  private final Set<String> accepted = new TreeSet<>();
  private final Set<String> applied = new TreeSet<>();
  private final Set<String> failed = new TreeSet<>();
  private boolean committed;
  private boolean done;

  Publication(Coordinator coordinator, ClusterState state, List<String> targets) {
    this.coordinator = coordinator;
    this.state = state;
    this.term = state.term();
    this.version = state.version();
    this.targets = List.copyOf(targets);
  }

  /** The targets that applied the committed state (Publication.completedNodes). */
  Set<String> appliedNodes() {
    return new TreeSet<>(applied);
  }

  void accepted(NodeContext ctx, String node) {
    if (done || !accepted.add(node)) return;
    if (committed) coordinator.transport().sendCommit(ctx, node, term, version);
  }

  /** A quorum accepted: commit, and tell everyone who accepted so far. */
  void committed(NodeContext ctx) {
    if (done || committed) return;
    committed = true;
    ctx.point("es.state.commit", coordinator.self() + " commits cluster state version " + version + " (term " + term + "): accepted by " + accepted,
        "term", term, "version", version);
    for (String n : List.copyOf(accepted)) coordinator.transport().sendCommit(ctx, n, term, version);
  }

  void onCommitAck(NodeContext ctx, ApplyCommitResponse r) {
    if (done || r.term() != term || r.version() != version) return;
    applied.add(r.source());
    maybeComplete(ctx);
  }

  /** A target cannot answer any more (disconnected, rejected, or removed by fault detection). */
  void fail(NodeContext ctx, String node, String reason) {
    if (done || !targets.contains(node) || applied.contains(node) || !failed.add(node)) return;
    if (!committed) {
      Set<String> possible = new TreeSet<>(targets);
      possible.removeAll(failed);
      if (!coordinator.isQuorum(possible, state)) {
        finish(ctx, false, "the nodes still answering " + possible + " cannot form a quorum of " + state.lastAcceptedConfig());
        return;
      }
    }
    maybeComplete(ctx);
  }

  /** Publication.start: if the targets not already failed cannot form a quorum, it fails at once. */
  void checkQuorumPossible(NodeContext ctx) {
    if (done || committed) return;
    Set<String> possible = new TreeSet<>(targets);
    possible.removeAll(failed);
    if (!coordinator.isQuorum(possible, state)) {
      finish(ctx, false, "the nodes still answering " + possible + " cannot form a quorum of " + state.lastAcceptedConfig()
          + (state.lastAcceptedConfig().equals(state.lastCommittedConfig()) ? "" : " and " + state.lastCommittedConfig()));
    }
  }

  /** Every second: the publish or commit request again to each target that has not answered it. */
  void retransmit(NodeContext ctx) {
    if (done) return;
    for (String t : targets) {
      if (failed.contains(t) || applied.contains(t)) continue;
      if (!accepted.contains(t)) coordinator.transport().sendPublish(ctx, t, state);
      else if (committed) coordinator.transport().sendCommit(ctx, t, term, version);
    }
  }

  void timeout(NodeContext ctx) {
    if (done) return;
    finish(ctx, committed, committed ? "" : "not committed within cluster.publish.timeout");
  }

  /** The leader stepped down: this publication can no longer complete. */
  void abandon(NodeContext ctx) {
    if (!done) finish(ctx, committed, "the master stepped down");
  }

  private void maybeComplete(NodeContext ctx) {
    if (!committed) return;
    for (String t : targets) if (!applied.contains(t) && !failed.contains(t)) return;
    finish(ctx, true, "");
  }

  private void finish(NodeContext ctx, boolean ok, String why) {
    done = true;
    coordinator.publicationDone(ctx, this, ok, why);
  }
}
