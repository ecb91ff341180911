package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.es.cluster.coordination.CoordinationMessage.FollowerCheckRequest;
import sim.es.cluster.coordination.CoordinationMessage.FollowerCheckResponse;
import sim.es.cluster.coordination.CoordinationMessage.LeaderCheckRequest;
import sim.es.cluster.coordination.CoordinationMessage.LeaderCheckResponse;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.DiscoveryNode;

/**
 * Elasticsearch's LeaderChecker and FollowersChecker ({@code cluster.fault_detection.*}). A follower checks
 * its master every {@code leader_check.interval} (1s); a check unanswered within {@code leader_check.timeout}
 * (10s) counts as a failure, and so does a rejection (the master stepped down, or removed this node): {@code
 * retry_count} (3) consecutive failures of either kind make the follower a candidate (LeaderChecker counts
 * rejectedCountSinceLastSuccess + timeoutCountSinceLastSuccess); a closed connection fails the master at once.
 * The master checks every follower the same way ({@code follower_check.*}); a failed follower is removed
 * from the cluster (node-left). Silence (a partition) is only noticed by the timeouts; a crashed process by
 * the connection reset.
 */
final class FaultDetection {
  private final Coordinator coordinator;
  private final CoordinationSettings settings;
  private long epoch;
  private String leader;
  private long leaderCheckInFlight = -1;
  private int leaderTimeouts; // LeaderChecker's timeoutCountSinceLastSuccess
  private int leaderRejections; // and rejectedCountSinceLastSuccess: together they count toward retry_count
  private final TreeMap<String, FollowerCheck> followers = new TreeMap<>();

  private static final class FollowerCheck {
    String ephemeralId = "";
    long inFlight = -1;
    int failures;
    long epoch;
  }

  FaultDetection(Coordinator coordinator, CoordinationSettings settings) {
    this.coordinator = coordinator;
    this.settings = settings;
  }

  void stop() {
    epoch++;
    leader = null;
    leaderCheckInFlight = -1;
    leaderTimeouts = 0;
    leaderRejections = 0;
    followers.clear();
  }

  // --- as follower: LeaderChecker ---

  void startLeaderChecks(NodeContext ctx, String newLeader) {
    stop();
    leader = newLeader;
    ctx.setTimer(new CoordinationTimer.LeaderCheckTick(epoch), Durations.millis(settings.leaderCheckIntervalMs()));
  }

  private void leaderCheck(NodeContext ctx) {
    if (leader == null) return;
    if (coordinator.isDisconnected(leader)) {
      leaderFailed(ctx, "master " + leader + " disconnected");
      return;
    }
    long id = coordinator.nextRequestId();
    leaderCheckInFlight = id;
    ctx.send(Coordinator.node(leader), new LeaderCheckRequest(coordinator.self(), id));
    ctx.setTimer(new CoordinationTimer.LeaderCheckTimeout(id), Durations.millis(settings.leaderCheckTimeoutMs()));
  }

  private void onLeaderCheckResult(NodeContext ctx, long id, boolean timedOut, String rejection) {
    if (leader == null || id != leaderCheckInFlight) return;
    leaderCheckInFlight = -1;
    if (!timedOut && rejection == null) {
      leaderTimeouts = 0;
      leaderRejections = 0;
      ctx.setTimer(new CoordinationTimer.LeaderCheckTick(epoch), Durations.millis(settings.leaderCheckIntervalMs()));
      return;
    }
    if (timedOut) leaderTimeouts++;
    else leaderRejections++;
    int failures = leaderTimeouts + leaderRejections;
    String what = timedOut ? "timed out" : "rejected: " + rejection;
    ctx.point(timedOut ? "es.fd.leader-check-timeout" : "es.fd.leader-check-rejected", coordinator.self() + ": leader check of " + leader + " "
        + what + " (" + failures + "/" + settings.leaderCheckRetryCount() + ")", "leader", leader, "failures", failures);
    if (failures >= settings.leaderCheckRetryCount()) {
      leaderFailed(ctx, failures + " consecutive checks of the master node " + leader + " were unsuccessful (" + leaderRejections + " rejected, "
          + leaderTimeouts + " timed out)");
      return;
    }
    ctx.setTimer(new CoordinationTimer.LeaderCheckTick(epoch), Durations.millis(settings.leaderCheckIntervalMs()));
  }

  private void leaderFailed(NodeContext ctx, String reason) {
    ctx.point("es.fd.leader-failed", coordinator.self() + ": " + reason, "leader", String.valueOf(leader));
    coordinator.onLeaderFailed(ctx, reason);
  }

  // --- as leader: FollowersChecker ---

  /** The followers are the nodes of the applied state: start checking new ones, stop checking removed ones. */
  void updateFollowers(NodeContext ctx, ClusterState state) {
    List<String> ids = new ArrayList<>();
    for (DiscoveryNode n : state.nodes()) if (!n.id().equals(coordinator.self())) ids.add(n.id());
    // a node that rejoined as a new incarnation gets a new checker (FollowersChecker.setCurrentNodes)
    followers.entrySet().removeIf(e -> !ids.contains(e.getKey())
        || !e.getValue().ephemeralId.equals(state.node(e.getKey()).map(DiscoveryNode::ephemeralId).orElse("")));
    for (String n : ids) {
      if (followers.containsKey(n)) continue;
      FollowerCheck c = new FollowerCheck();
      c.epoch = epoch;
      c.ephemeralId = state.node(n).map(DiscoveryNode::ephemeralId).orElse("");
      followers.put(n, c);
      ctx.setTimer(new CoordinationTimer.FollowerCheckTick(n, epoch), Durations.millis(settings.followerCheckIntervalMs()));
    }
  }

  private void followerCheck(NodeContext ctx, String node) {
    FollowerCheck c = followers.get(node);
    if (c == null) return;
    if (coordinator.isDisconnected(node)) {
      followerFailed(ctx, node, "disconnected");
      return;
    }
    long id = coordinator.nextRequestId();
    c.inFlight = id;
    ctx.send(Coordinator.node(node), new FollowerCheckRequest(coordinator.self(), id, coordinator.term()));
    ctx.setTimer(new CoordinationTimer.FollowerCheckTimeout(node, id), Durations.millis(settings.followerCheckTimeoutMs()));
  }

  private void onFollowerCheckResult(NodeContext ctx, String node, long id, boolean ok) {
    FollowerCheck c = followers.get(node);
    if (c == null || c.inFlight != id) return;
    c.inFlight = -1;
    if (ok) {
      c.failures = 0;
    } else {
      c.failures++;
      ctx.point("es.fd.follower-check-failed", coordinator.self() + ": follower check of " + node + " failed (" + c.failures + "/"
          + settings.followerCheckRetryCount() + ")", "node", node, "failures", c.failures);
      if (c.failures >= settings.followerCheckRetryCount()) {
        followerFailed(ctx, node, "followers check retry count exceeded");
        return;
      }
    }
    ctx.setTimer(new CoordinationTimer.FollowerCheckTick(node, epoch), Durations.millis(settings.followerCheckIntervalMs()));
  }

  private void followerFailed(NodeContext ctx, String node, String reason) {
    FollowerCheck c = followers.remove(node);
    if (c == null) return;
    ctx.point("es.fd.node-failed", coordinator.self() + " removes " + node + ": " + reason, "node", node, "reason", reason);
    coordinator.onFollowerFailed(ctx, node, c.ephemeralId, reason);
  }

  // --- wiring ---

  void onDisconnected(NodeContext ctx, String peer) {
    if (peer.equals(leader)) leaderFailed(ctx, "master " + peer + " disconnected");
    if (followers.containsKey(peer)) followerFailed(ctx, peer, "disconnected");
  }

  void onMessage(NodeContext ctx, String from, CoordinationMessage m) {
    if (m instanceof LeaderCheckRequest r) {
      String rejection = coordinator.leaderCheckRejection(r.source());
      ctx.send(Coordinator.node(from), new LeaderCheckResponse(coordinator.self(), r.requestId(), rejection == null, rejection));
    } else if (m instanceof LeaderCheckResponse r) {
      onLeaderCheckResult(ctx, r.requestId(), false, r.ok() ? null : r.reason());
    } else if (m instanceof FollowerCheckRequest r) {
      String rejection = coordinator.followerCheckRejection(ctx, r.source(), r.term());
      ctx.send(Coordinator.node(from), new FollowerCheckResponse(coordinator.self(), coordinator.ephemeralId(), r.requestId(), rejection == null,
          coordinator.term(), rejection));
    } else if (m instanceof FollowerCheckResponse r) {
      coordinator.updateMaxTermSeen(ctx, r.term());
      FollowerCheck c = followers.get(r.source());
      String known = c == null ? r.ephemeralId() : c.ephemeralId;
      if (!known.equals(r.ephemeralId())) {
        followerFailed(ctx, r.source(), "handshake failed: " + r.source() + " restarted (ephemeral id " + r.ephemeralId() + ", was " + known + ")");
        return;
      }
      onFollowerCheckResult(ctx, r.source(), r.requestId(), r.ok());
    }
  }

  void onTimer(NodeContext ctx, CoordinationTimer t) {
    if (t instanceof CoordinationTimer.LeaderCheckTick tick && tick.epoch() == epoch) leaderCheck(ctx);
    else if (t instanceof CoordinationTimer.LeaderCheckTimeout to) onLeaderCheckResult(ctx, to.requestId(), true, null);
    else if (t instanceof CoordinationTimer.FollowerCheckTick tick && tick.epoch() == epoch) followerCheck(ctx, tick.node());
    else if (t instanceof CoordinationTimer.FollowerCheckTimeout to) onFollowerCheckResult(ctx, to.node(), to.requestId(), false);
  }

  String describe() {
    if (leader != null) return "; leader checks of " + leader + ": " + (leaderTimeouts + leaderRejections) + " consecutive failures";
    if (!followers.isEmpty()) {
      StringBuilder b = new StringBuilder("; follower checks:");
      followers.forEach((n, c) -> b.append(' ').append(n).append('=').append(c.failures));
      return b.toString();
    }
    return "";
  }
}
