package sim.es.cluster.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.replication.IndexShard;
import sim.es.cluster.replication.ReplicationMessage;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;

/**
 * A node's data side (IndicesClusterStateService and ShardStateAction): it makes the shard copies on this
 * node match each committed cluster state — opens a primary from its disk, starts a replica's peer recovery,
 * promotes, closes what moved away, deletes data no longer needed once the shard is fully allocated
 * elsewhere — and reports to the master: shard started, shard failed, resent every second until the master
 * answers. Each copy's allocation id is written to {@code shard.state} and fsynced before its data changes,
 * so the copy listing a restarted node sends with its join never claims data it does not have.
 */
final class IndicesService implements IndexShard.Host {
  private final String self;
  private final ClusterConfig config;
  private final boolean ackBeforeReplicas;
  private final EsNode node;
  private final TreeMap<Integer, IndexShard> shards = new TreeMap<>();
  private final TreeMap<String, Integer> startedToReport = new TreeMap<>(); // allocation id -> shard
  private final TreeMap<Long, Stale> staleRequests = new TreeMap<>();
  private final TreeMap<String, Long> durableStateFiles = new TreeMap<>();
  private ClusterState state = ClusterState.empty();
  private long nextRequestId;

  private record Stale(IndexShard shard, NodeMessage.ShardFailed request) {}

  IndicesService(String self, ClusterConfig config, boolean ackBeforeReplicas, EsNode node, long requestIdBase) {
    this.nextRequestId = requestIdBase;
    this.self = self;
    this.config = config;
    this.ackBeforeReplicas = ackBeforeReplicas;
    this.node = node;
  }

  @Override
  public ClusterState state() {
    return state;
  }

  @Override
  public String nodeId() {
    return self;
  }

  /** The shard copies on this node's disk (from each {@code shard.state}), for the join request. */
  Map<Integer, String> storesOnDisk(sim.core.disk.SimDisk disk) {
    Map<Integer, String> out = new TreeMap<>();
    for (int s = 0; s < config.numberOfShards(); s++) {
      String f = IndexShard.dir(config.indexName(), s) + "shard.state";
      String id = disk.exists(f) ? new String(disk.readAll(f), StandardCharsets.UTF_8).trim() : "";
      if (!id.isEmpty()) out.put(s, id); // empty: the write of a new copy's id never became durable
    }
    return out;
  }

  // --- applying a committed cluster state ---

  void apply(NodeContext ctx, ClusterState s) {
    state = s;
    if (s.index() == null) return;
    for (ShardRouting r : s.onNode(self)) {
      IndexShard sh = shards.get(r.shard());
      if (sh != null && !sh.allocationId().equals(r.allocationId())) {
        close(ctx, sh, "replaced by " + r.allocationId());
        sh = null;
      }
      if (sh == null && r.active()) { // the master thinks this node has a copy it does not have (this node restarted)
        failMissing(ctx, r);
        continue;
      }
      if (sh == null) sh = create(ctx, r);
      update(ctx, sh, r, s);
    }
    for (IndexShard sh : List.copyOf(shards.values())) {
      boolean mine = s.onNode(self).stream().anyMatch(r -> r.allocationId().equals(sh.allocationId()));
      if (!mine) close(ctx, sh, "no longer allocated to " + self);
    }
    deleteUnneededData(ctx, s);
  }

  /** IndicesClusterStateService: "master marked shard as active, but shard has not been created, mark shard as failed". */
  private void failMissing(NodeContext ctx, ShardRouting r) {
    for (Stale st : staleRequests.values()) if (st.request().allocationId().equals(r.allocationId())) return;
    long id = ++nextRequestId;
    NodeMessage.ShardFailed f = new NodeMessage.ShardFailed(self, id, r.shard(), r.allocationId(), 0, false,
        "master marked shard as active, but shard has not been created, mark shard as failed");
    staleRequests.put(id, new Stale(null, f));
    sendToMaster(ctx, f);
  }

  private IndexShard create(NodeContext ctx, ShardRouting r) {
    String dir = IndexShard.dir(config.indexName(), r.shard());
    if ("empty_store".equals(r.recoverySource())) for (String f : ctx.disk().list(dir)) ctx.disk().delete(f); // a new primary starts empty
    IndexShard sh = new IndexShard(r.shard(), r.allocationId(), false, state.index().primaryTerm(r.shard()), config.engine(), this, ackBeforeReplicas);
    sh.open(ctx, config.indexName());
    shards.put(r.shard(), sh);
    String stateFile = dir + "shard.state";
    if (ctx.disk().exists(stateFile)) ctx.disk().delete(stateFile);
    ctx.disk().create(stateFile);
    ctx.disk().write(stateFile, 0, r.allocationId().getBytes(StandardCharsets.UTF_8));
    ctx.fsyncThen(stateFile, new ClusterTimer.ShardFilesDurable(r.shard(), r.allocationId(), -1, List.of(stateFile)));
    ctx.setTimer(new ClusterTimer.ShardTick(r.shard(), r.allocationId()), Durations.seconds(1));
    ctx.point("es.shard.created", sh.key() + " " + (r.primary() ? "primary " : "replica ") + r.allocationId() + " created on " + self + " ("
        + r.recoverySource() + ")", "shard", r.shard(), "allocationId", r.allocationId(), "primary", r.primary());
    return sh;
  }

  private void update(NodeContext ctx, IndexShard sh, ShardRouting r, ClusterState s) {
    long term = s.index().primaryTerm(r.shard());
    boolean startedHere = sh.state() == IndexShard.State.STARTED || sh.state() == IndexShard.State.POST_RECOVERY;
    if (r.state() == ShardState.INITIALIZING && startedHere && !startedToReport.containsKey(r.allocationId())) {
      // IndicesClusterStateService: "the master thinks we are initializing, but we are already started ... send another
      // started shard message" — e.g. this node was removed and re-added with its copy still open
      recovered(ctx, sh);
    }
    if (r.primary()) {
      if (!sh.isPrimary() || term > sh.primaryTerm()) sh.activatePrimary(ctx, term, s);
      if (r.state() == ShardState.INITIALIZING && sh.state() == IndexShard.State.RECOVERING) { // from its own store: done opening
        sh.setState(IndexShard.State.POST_RECOVERY);
        recovered(ctx, sh);
      }
      if (r.active()) sh.setState(IndexShard.State.STARTED);
      sh.updateFromMaster(ctx, s);
      return;
    }
    if (r.active() && sh.state() == IndexShard.State.POST_RECOVERY) sh.setState(IndexShard.State.STARTED);
    if (r.state() == ShardState.INITIALIZING && sh.state() == IndexShard.State.RECOVERING && !sh.recovery().active()
        && durableStateFiles.containsKey(r.allocationId())) {
      sh.recovery().start(ctx, config.recoveryRetryMs());
    }
  }

  private void close(NodeContext ctx, IndexShard sh, String why) {
    shards.remove(sh.shard());
    sh.setState(IndexShard.State.CLOSED);
    if (sh.isPrimary()) sh.onNoLongerPrimary(ctx, "shard closed: " + why);
    startedToReport.remove(sh.allocationId());
    ctx.point("es.shard.closed", sh.key() + " " + sh.allocationId() + " closed on " + self + ": " + why, "shard", sh.shard(), "allocationId", sh.allocationId());
  }

  /**
   * IndicesStore: once every copy of a shard is started elsewhere, this node asks each of those nodes whether
   * its copy really is active; only when all say so is this node's leftover data of the shard deleted.
   */
  private void deleteUnneededData(NodeContext ctx, ClusterState s) {
    for (int shard = 0; shard < s.index().numberOfShards(); shard++) {
      if (!deletable(s, shard) || ctx.disk().list(IndexShard.dir(config.indexName(), shard)).isEmpty()) continue;
      TreeMap<String, Boolean> answers = new TreeMap<>();
      for (ShardRouting r : s.copies(shard)) {
        answers.put(r.allocationId(), false);
        ctx.send(NodeId.of(r.nodeId()), new NodeMessage.ShardActiveRequest(self, shard, r.allocationId(), s.version()));
      }
      activeChecks.put(shard, new ActiveCheck(s.version(), answers));
    }
  }

  private boolean deletable(ClusterState s, int shard) {
    if (shards.containsKey(shard)) return false;
    List<ShardRouting> copies = s.copies(shard);
    if (copies.stream().anyMatch(r -> self.equals(r.nodeId()))) return false; // the master still counts a copy here
    return !copies.isEmpty() && copies.stream().allMatch(r -> r.active() && s.hasNode(r.nodeId()));
  }

  private record ActiveCheck(long version, TreeMap<String, Boolean> answers) {}

  private final TreeMap<Integer, ActiveCheck> activeChecks = new TreeMap<>();

  NodeMessage.ShardActiveResponse shardActive(NodeMessage.ShardActiveRequest r) {
    IndexShard sh = shards.get(r.shard());
    boolean active = sh != null && sh.allocationId().equals(r.allocationId()) && sh.state() == IndexShard.State.STARTED;
    return new NodeMessage.ShardActiveResponse(self, r.shard(), r.allocationId(), r.stateVersion(), active);
  }

  void onShardActive(NodeContext ctx, NodeMessage.ShardActiveResponse r) {
    ActiveCheck c = activeChecks.get(r.shard());
    if (c == null || c.version() != r.stateVersion() || !r.active()) return;
    c.answers().put(r.allocationId(), true);
    if (c.answers().containsValue(false)) return;
    activeChecks.remove(r.shard());
    if (!deletable(state, r.shard())) return;
    List<String> files = ctx.disk().list(IndexShard.dir(config.indexName(), r.shard()));
    for (String f : files) ctx.disk().delete(f);
    ctx.point("es.shard.deleted", "[" + r.shard() + "] data deleted from " + self + ": every copy is active elsewhere", "shard", r.shard(),
        "files", files.size());
  }

  void onShardFilesDurable(NodeContext ctx, ClusterTimer.ShardFilesDurable t) {
    IndexShard sh = shards.get(t.shard());
    if (t.token() == -1) {
      durableStateFiles.put(t.allocationId(), 1L);
      if (sh != null && sh.allocationId().equals(t.allocationId())) {
        ShardRouting r = state.byAllocationId(t.allocationId()).orElse(null);
        if (r != null) update(ctx, sh, r, state);
      }
      return;
    }
    if (sh != null && sh.allocationId().equals(t.allocationId())) sh.recovery().onFilesDurable(ctx, t.token());
  }

  // --- messages between copies ---

  void onReplicationMessage(NodeContext ctx, NodeId from, ReplicationMessage m) {
    IndexShard sh = shards.get(m.shard());
    if (m instanceof ReplicationMessage.ReplicaRequest r) {
      if (sh == null || !sh.allocationId().equals(r.target())) {
        ctx.send(from, new ReplicationMessage.ReplicaRejected(r.shard(), r.target(), r.op().seqNo(), 0, "no such shard copy " + r.target() + " on " + self));
        return;
      }
      sh.onReplicaRequest(ctx, from, r);
    } else if (m instanceof ReplicationMessage.GlobalCheckpointSync g) {
      if (sh != null && sh.allocationId().equals(g.target())) sh.onGlobalCheckpointSync(ctx, from, g);
    } else if (m instanceof ReplicationMessage.RetentionLeaseSync l) {
      if (sh != null && sh.allocationId().equals(l.target())) sh.onRetentionLeaseSync(l);
    } else if (m instanceof ReplicationMessage.ReplicaResponse r) {
      if (sh != null && sh.isPrimary()) sh.onReplicaResponse(ctx, r);
    } else if (m instanceof ReplicationMessage.ReplicaRejected r) {
      if (sh != null && sh.isPrimary()) sh.onReplicaRejected(ctx, r);
    } else if (sh != null) {
      sh.recovery().route(ctx, from, m);
    } else if (m instanceof ReplicationMessage.StartRecovery r) {
      ctx.send(from, new ReplicationMessage.RecoveryFailed(r.shard(), r.target(), r.recoveryId(), "no copy of shard " + r.shard() + " on " + self));
    }
  }

  // --- the primary's side of a write ---

  /** Executes a write on this node's primary, or says to retry elsewhere. */
  void primaryWrite(NodeContext ctx, NodeMessage.PrimaryRequest req) {
    IndexShard sh = shards.get(req.shard());
    if (sh == null || !sh.isPrimary() || sh.state() != IndexShard.State.STARTED) {
      node.primaryResult(ctx, req.coordinator(), new NodeMessage.PrimaryResponse(req.requestId(), null, true));
      return;
    }
    if (state.index().readOnlyAllowDelete() && !req.delete()) {
      node.primaryResult(ctx, req.coordinator(), new NodeMessage.PrimaryResponse(req.requestId(), error(req, 429, "cluster_block_exception",
          "index [" + config.indexName() + "] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"),
          false));
      return;
    }
    int needed = req.waitForActiveShards() == 0 ? 1 + config.numberOfReplicas() : req.waitForActiveShards();
    long active = state.copies(req.shard()).stream().filter(ShardRouting::active).count();
    if (active < needed) {
      node.primaryResult(ctx, req.coordinator(), new NodeMessage.PrimaryResponse(req.requestId(), error(req, 503, "unavailable_shards_exception",
          "[" + config.indexName() + "][" + req.shard() + "] Not enough active copies to meet shard count of [" + needed + "] (have " + active
              + ", needed " + needed + ")"), true));
      return;
    }
    sh.index(ctx, req.coordinator(), req.requestId(), req.id(), req.source(), req.delete());
  }

  static NodeMessage.IndexResponse error(NodeMessage.PrimaryRequest req, int status, String type, String reason) {
    return new NodeMessage.IndexResponse(req.requestId(), req.id(), status, -2, 0, null, 0, 0, type, reason);
  }

  @Override
  public void writeDone(NodeContext ctx, IndexShard.PendingWrite w, String result, String errorType, String reason) {
    NodeMessage.IndexResponse resp = result != null
        ? new NodeMessage.IndexResponse(w.requestId, w.op.id(), result.equals("created") ? 201 : result.equals("not_found") ? 404 : 200, w.op.seqNo(),
            w.op.primaryTerm(), result, w.shardsTotal(), w.shardsSuccessful(), null, null)
        : new NodeMessage.IndexResponse(w.requestId, w.op.id(), 500, -2, 0, null, 0, 0, errorType, reason);
    node.primaryResult(ctx, w.coordinator, new NodeMessage.PrimaryResponse(w.requestId, resp, result == null));
  }

  // --- ShardStateAction ---

  @Override
  public void markStale(NodeContext ctx, IndexShard sh, String allocationId, String reason) {
    long id = ++nextRequestId;
    NodeMessage.ShardFailed f = new NodeMessage.ShardFailed(self, id, sh.shard(), allocationId, sh.primaryTerm(), true, reason);
    staleRequests.put(id, new Stale(sh, f));
    sendToMaster(ctx, f);
  }

  @Override
  public void recovered(NodeContext ctx, IndexShard sh) {
    startedToReport.put(sh.allocationId(), sh.shard());
    reportStarted(ctx, sh.allocationId(), sh.shard());
  }

  /** With the primary term of the latest state: a report of an older term is ignored by the master. */
  private void reportStarted(NodeContext ctx, String allocationId, int shard) {
    sendToMaster(ctx, new NodeMessage.ShardStarted(self, shard, allocationId, state.index().primaryTerm(shard)));
  }

  void onShardFailedResponse(NodeContext ctx, NodeMessage.ShardFailedResponse r) {
    Stale st = staleRequests.remove(r.requestId());
    if (st == null || st.shard() == null) return;
    if (r.noLongerPrimary()) st.shard().onNoLongerPrimary(ctx, r.reason());
    else if (r.ok()) st.shard().onStaleMarked(ctx, r.allocationId());
  }

  private void sendToMaster(NodeContext ctx, sim.core.Message m) {
    String master = node.master();
    if (master != null) ctx.send(NodeId.of(master), m);
  }

  /** Every second: resend unanswered reports to the current master. */
  void tick(NodeContext ctx) {
    for (var e : List.copyOf(startedToReport.entrySet())) {
      ShardRouting r = state.byAllocationId(e.getKey()).orElse(null);
      if (r == null || r.active()) startedToReport.remove(e.getKey());
      else reportStarted(ctx, e.getKey(), e.getValue());
    }
    for (Stale st : staleRequests.values()) sendToMaster(ctx, st.request());
  }

  void onShardTick(NodeContext ctx, ClusterTimer.ShardTick t) {
    IndexShard sh = shards.get(t.shard());
    if (sh == null || !sh.allocationId().equals(t.allocationId())) return;
    sh.tick(ctx, config.replicaRetryMs(), config.retentionLeasePeriodMs());
    ctx.setTimer(t, Durations.seconds(1));
  }

  /** Routes an engine timer to the copy whose engine set it. */
  boolean onEngineTimer(NodeContext ctx, sim.es.engine.EsTimer t) {
    for (IndexShard sh : shards.values()) if (sh.engine().onTimer(ctx, t)) return true;
    return false;
  }

  IndexShard shard(int shard) {
    return shards.get(shard);
  }

  List<IndexShard> shards() {
    return new ArrayList<>(shards.values());
  }
}
