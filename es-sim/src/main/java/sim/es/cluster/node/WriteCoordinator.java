package sim.es.cluster.node;

import java.util.List;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.OperationRouting;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;

/**
 * The coordinating node's part of a write (TransportReplicationAction's reroute phase): route the id to its
 * shard, find the primary in the cluster state, forward the request, and pass the answer back. Without an
 * active primary — no master known, the primary failing over — it waits for a newer cluster state and tries
 * again, up to the request's {@code timeout} (1m); then it answers 503.
 */
final class WriteCoordinator {
  private final String self;
  private final ClusterConfig config;
  private final EsNode node;
  static final long RESEND_AFTER_MS = 5_000;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private long nextId;

  private static final class Pending {
    final NodeId client;
    final NodeMessage.IndexRequest request;
    final long deadlineMs;
    String forwardedTo;
    long forwardedAtMs;
    NodeMessage.IndexResponse lastError;

    Pending(NodeId client, NodeMessage.IndexRequest request, long deadlineMs) {
      this.client = client;
      this.request = request;
      this.deadlineMs = deadlineMs;
    }
  }

  WriteCoordinator(String self, ClusterConfig config, EsNode node, long requestIdBase) {
    this.nextId = requestIdBase;
    this.self = self;
    this.config = config;
    this.node = node;
  }

  void onIndexRequest(NodeContext ctx, NodeId client, NodeMessage.IndexRequest r) {
    long id = ++nextId;
    pending.put(id, new Pending(client, r, ctx.localTimeMs() + config.requestTimeoutMs()));
    route(ctx, id);
  }

  private void route(NodeContext ctx, long id) {
    Pending p = pending.get(id);
    ClusterState s = node.appliedState();
    if (s.index() == null || s.masterNodeId() == null) return; // no master: wait for one
    int shard = OperationRouting.shardId(p.request.id(), s.index().numberOfShards());
    ShardRouting primary = s.primary(shard).orElse(null);
    if (primary == null || !primary.active()) return;
    p.forwardedTo = primary.nodeId();
    p.forwardedAtMs = ctx.localTimeMs();
    ctx.point("es.coordinate", p.request.id() + " -> shard " + shard + " (murmur3 routing) -> primary " + primary.allocationId() + " on " + primary.nodeId(),
        "id", p.request.id(), "shard", shard, "primaryNode", primary.nodeId());
    NodeMessage.PrimaryRequest req = new NodeMessage.PrimaryRequest(id, self, shard, p.request.id(), p.request.source(), p.request.delete(),
        p.request.waitForActiveShards());
    if (primary.nodeId().equals(self)) node.indices().primaryWrite(ctx, req);
    else ctx.send(NodeId.of(primary.nodeId()), req);
  }

  void onPrimaryResponse(NodeContext ctx, NodeMessage.PrimaryResponse r) {
    Pending p = pending.get(r.requestId());
    if (p == null) return;
    if (r.retry()) {
      p.forwardedTo = null; // route again with the next cluster state (or at the next tick)
      if (r.response() != null) p.lastError = r.response();
      return;
    }
    pending.remove(r.requestId());
    NodeMessage.IndexResponse resp = r.response();
    ctx.send(p.client, new NodeMessage.IndexResponse(p.request.requestId(), resp.id(), resp.status(), resp.seqNo(), resp.primaryTerm(), resp.result(),
        resp.shardsTotal(), resp.shardsSuccessful(), resp.errorType(), resp.reason()));
  }

  /** A newer cluster state, or a second gone by: route what waits, give up on what is past its timeout. */
  void retry(NodeContext ctx) {
    for (Long id : List.copyOf(pending.keySet())) {
      Pending p = pending.get(id);
      // routing an earlier one to the primary on this node can finish others at once: the local primary
      // acknowledges every write that became durable and replicated, in seq_no order
      if (p == null) continue;
      if (ctx.localTimeMs() >= p.deadlineMs) {
        pending.remove(id);
        NodeMessage.IndexResponse e = p.lastError;
        String type = e != null ? e.errorType() : "unavailable_shards_exception";
        String reason = (e != null ? e.reason() : "primary shard is not active") + " Timeout: [" + (config.requestTimeoutMs() / 1000) + "s]";
        ctx.send(p.client, new NodeMessage.IndexResponse(p.request.requestId(), p.request.id(), 503, -2, 0, null, 0, 0, type, reason));
      } else if (p.forwardedTo == null || ctx.localTimeMs() - p.forwardedAtMs >= RESEND_AFTER_MS) {
        route(ctx, id); // unanswered for a while: the request or its answer was lost; the primary may run it twice
      }
    }
  }

  /** The node a request went to died: it is routed again once the cluster state says where the primary is now. */
  void onDisconnected(String peer) {
    for (Pending p : pending.values()) if (peer.equals(p.forwardedTo)) p.forwardedTo = null;
  }

  /** A cluster state without the node a request went to: route it again. */
  void onNodesChanged(ClusterState s) {
    for (Pending p : pending.values()) if (p.forwardedTo != null && !s.hasNode(p.forwardedTo)) p.forwardedTo = null;
  }

  int size() {
    return pending.size();
  }
}
