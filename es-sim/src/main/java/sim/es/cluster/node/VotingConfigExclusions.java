package sim.es.cluster.node;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.node.NodeMessage.AddVotingConfigExclusionsRequest;
import sim.es.cluster.node.NodeMessage.ClearVotingConfigExclusionsRequest;
import sim.es.cluster.node.NodeMessage.VotingConfigExclusionsRequest;
import sim.es.cluster.node.NodeMessage.VotingConfigExclusionsResponse;
import sim.es.cluster.state.ClusterState;

/**
 * The two voting config exclusions actions (Elasticsearch's TransportAddVotingConfigExclusionsAction and
 * TransportClearVotingConfigExclusionsAction), on the node that runs them: the master. Adding exclusions is a
 * cluster-state task; once its state is committed the request waits — a ClusterStateObserver on this node, so it
 * goes on watching the states this node applies even if it stops being master — until no excluded node is in the
 * last committed voting configuration, or its timeout runs out. Clearing them waits first, with
 * {@code wait_for_removal} (the default), until every excluded node has left the cluster, then runs its task.
 */
final class VotingConfigExclusions {
  /** {@code cluster.max_voting_config_exclusions}. */
  static final int MAX_VOTING_CONFIG_EXCLUSIONS = 10;

  /** A request waiting for a state it wants: its exclusions out of the configuration, or the excluded nodes gone. */
  private record Waiter(VotingConfigExclusionsRequest request, Set<String> nodes) {}

  private final String self;
  private final TreeMap<Long, Waiter> waiting = new TreeMap<>();

  VotingConfigExclusions(String self) {
    this.self = self;
  }

  /** The add task: the exclusions join the coordination metadata, or the request fails (then {@code s} is unchanged). */
  ClusterState add(NodeContext ctx, ClusterState s, AddVotingConfigExclusionsRequest r) {
    int existing = s.votingConfigExclusions().size();
    int added = new TreeSet<>(r.nodeNames()).size();
    if (existing + added > MAX_VOTING_CONFIG_EXCLUSIONS) {
      String reason = "add voting config exclusions request for nodes named " + r.nodeNames() + " would add [" + added + "] exclusions to the existing ["
          + existing + "] which would exceed the maximum of [" + MAX_VOTING_CONFIG_EXCLUSIONS + "] set by [cluster.max_voting_config_exclusions]";
      ctx.point("es.voting-config.exclusions-rejected", reason, "requestId", r.requestId());
      answer(ctx, r, 400, "illegal_argument_exception: " + reason);
      return s;
    }
    TreeSet<String> all = new TreeSet<>(s.votingConfigExclusions());
    all.addAll(r.nodeNames());
    ctx.point("es.voting-config.exclusions-added", self + " adds voting config exclusions " + r.nodeNames() + " (now " + all + ")", "nodes",
        String.join(",", r.nodeNames()));
    return s.withVotingConfigExclusions(List.copyOf(all));
  }

  /** The clear task: no exclusions. */
  ClusterState clear(NodeContext ctx, ClusterState s, ClearVotingConfigExclusionsRequest r) {
    if (s.votingConfigExclusions().isEmpty()) return s;
    ctx.point("es.voting-config.exclusions-cleared", self + " clears the voting config exclusions " + s.votingConfigExclusions(), "nodes",
        String.join(",", s.votingConfigExclusions()));
    return s.withVotingConfigExclusions(List.of());
  }

  /** clusterStateProcessed: the state with this request's task is committed (or there was nothing to publish). */
  void onProcessed(NodeContext ctx, VotingConfigExclusionsRequest r, ClusterState committed) {
    if (r instanceof ClearVotingConfigExclusionsRequest) {
      answer(ctx, r, 200, null);
      return;
    }
    AddVotingConfigExclusionsRequest add = (AddVotingConfigExclusionsRequest) r;
    waitFor(ctx, r, new TreeSet<>(add.nodeNames()), committed);
  }

  /** The publication with this request's task failed: this node is no longer master. */
  void onFailed(NodeContext ctx, VotingConfigExclusionsRequest r) {
    answer(ctx, r, 503, "failed_to_commit_cluster_state_exception: publication failed while running the voting config exclusions task");
  }

  /** A clear request with wait_for_removal: the task waits until the excluded nodes have left; true if it may run now. */
  boolean readyToClear(NodeContext ctx, ClearVotingConfigExclusionsRequest r, ClusterState current) {
    if (!r.waitForRemoval() || exclusionsRemoved(current.votingConfigExclusions(), current)) return true;
    waitFor(ctx, r, new TreeSet<>(current.votingConfigExclusions()), current);
    return false;
  }

  private void waitFor(NodeContext ctx, VotingConfigExclusionsRequest r, Set<String> nodes, ClusterState now) {
    if (satisfied(r, nodes, now)) {
      answer(ctx, r, 200, null);
      return;
    }
    waiting.put(r.requestId(), new Waiter(r, nodes));
    ctx.setTimer(new ClusterTimer.ExclusionsTimeout(r.requestId()), Durations.millis(r.timeoutMs()));
  }

  /**
   * Every state this node applies: a waiting add request whose nodes are out of the committed configuration is
   * answered; a waiting clear request whose nodes have left submits its task (to {@code clearNow}).
   */
  void onApplied(NodeContext ctx, ClusterState applied, java.util.function.Consumer<ClearVotingConfigExclusionsRequest> clearNow) {
    for (Waiter w : List.copyOf(waiting.values())) {
      if (!satisfied(w.request(), w.nodes(), applied)) continue;
      waiting.remove(w.request().requestId());
      if (w.request() instanceof ClearVotingConfigExclusionsRequest c) clearNow.accept(c);
      else answer(ctx, w.request(), 200, null);
    }
  }

  void onTimeout(NodeContext ctx, ClusterTimer.ExclusionsTimeout t) {
    Waiter w = waiting.remove(t.requestId());
    if (w == null) return; // answered already
    String nodes = w.nodes().stream().map(n -> "{" + n + "}{" + n + "}").collect(Collectors.joining(", ", "[", "]")); // VotingConfigExclusion.toString
    String reason = w.request() instanceof ClearVotingConfigExclusionsRequest
        ? "timed out waiting for removal of nodes; if nodes should not be removed, set waitForRemoval to false. " + nodes
        : "timed out waiting for voting config exclusions " + nodes + " to take effect";
    answer(ctx, w.request(), 500, "timeout_exception: " + reason);
  }

  private static boolean satisfied(VotingConfigExclusionsRequest r, Set<String> nodes, ClusterState s) {
    if (r instanceof ClearVotingConfigExclusionsRequest) return exclusionsRemoved(nodes, s);
    return nodes.stream().noneMatch(s.lastCommittedConfig().nodeIds()::contains); // allNodesRemoved
  }

  /** allExclusionsRemoved: no node of the exclusions is in the cluster any more. */
  private static boolean exclusionsRemoved(java.util.Collection<String> exclusions, ClusterState s) {
    return exclusions.stream().noneMatch(s::hasNode);
  }

  private void answer(NodeContext ctx, VotingConfigExclusionsRequest r, int status, String error) {
    String what = r instanceof ClearVotingConfigExclusionsRequest ? "DELETE" : "POST";
    ctx.point("es.voting-config.exclusions-answered", what + " /_cluster/voting_config_exclusions answered " + status + (error == null ? " {}" : " " + error),
        "requestId", r.requestId(), "status", status);
    ctx.send(NodeId.of(r.origin()), new VotingConfigExclusionsResponse(r.requestId(), status, error));
  }
}
