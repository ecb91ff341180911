package sim.es.cluster.node;

import java.util.Map;
import java.util.Set;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.es.cluster.allocation.AllocationService;
import sim.es.cluster.allocation.DiskUsage;
import sim.es.cluster.coordination.CoordinationMessage;
import sim.es.cluster.coordination.CoordinationTimer;
import sim.es.cluster.coordination.Coordinator;
import sim.es.cluster.replication.IndexShard;
import sim.es.cluster.replication.ReplicationMessage;
import sim.es.cluster.state.ClusterState;
import sim.es.engine.EsTimer;

/**
 * One Elasticsearch node of a cluster: master-eligible and a data node, as by default. Its coordinator takes
 * part in elections and cluster-state publication; as master its {@link MasterService} turns node and shard
 * events into new states through the allocation service; its {@link IndicesService} makes its shard copies
 * follow each committed state; its {@link WriteCoordinator} routes client writes to primaries and its
 * {@link SearchCoordinator} fans searches out to shards.
 */
public final class EsNode implements Node, Coordinator.Host {
  public static final String BREAK_TWO_MASTERS = "es.two-masters-per-term";
  public static final String BREAK_PROMOTE_STALE = "es.promote-stale-replica";
  public static final String BREAK_SKIP_JOINT_QUORUM = "es.skip-joint-quorum";

  private final String self;
  private final ClusterConfig config;
  private Coordinator coordinator;
  private MasterService master;
  private VotingConfigExclusions exclusions;
  private IndicesService indices;
  private WriteCoordinator writes;
  private SearchCoordinator searches;
  private String ephemeralId;
  private sim.core.disk.SimDisk disk;
  private long statsRound;

  public EsNode(String self, ClusterConfig config) {
    this.self = self;
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    disk = ctx.disk();
    ephemeralId = Long.toString(ctx.random("ephemeral-id").nextLong() & Long.MAX_VALUE, 36);
    boolean twoMasters = ctx.isBroken(BREAK_TWO_MASTERS);
    boolean promoteStale = ctx.isBroken(BREAK_PROMOTE_STALE);
    boolean ackEarly = ctx.isBroken(IndexShard.BREAK_ACK_BEFORE_REPLICAS);
    ctx.isBroken(sim.es.engine.CombinedDeletionPolicy.BREAK_KEEP_ONLY_LAST_COMMIT); // read again by each shard's engine as it opens
    ctx.isBroken(IndexShard.BREAK_REOPEN_PAST_GLOBAL_CHECKPOINT); // likewise
    boolean skipJoint = ctx.isBroken(BREAK_SKIP_JOINT_QUORUM);
    coordinator = new Coordinator(self, config.zone(self), config.coordination(), this, twoMasters, skipJoint);
    exclusions = new VotingConfigExclusions(self);
    master = new MasterService(self, config, new AllocationService(config.allocation(), promoteStale), coordinator, exclusions);
    long ids = Coordinator.requestIdBase(ctx) + (1L << 31); // apart from the coordinator's own ids
    indices = new IndicesService(self, config, ackEarly, this, ids);
    writes = new WriteCoordinator(self, config, this, ids + (1L << 29));
    searches = new SearchCoordinator(self, this, ids + (1L << 30));
    coordinator.start(ctx);
    ctx.setTimer(new ClusterTimer.NodeTick(), Durations.seconds(1));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof CoordinationMessage m) coordinator.onMessage(ctx, from.name(), m);
    else if (message instanceof ReplicationMessage m) indices.onReplicationMessage(ctx, from, m);
    else if (message instanceof NodeMessage m) onNodeMessage(ctx, from, m);
  }

  private void onNodeMessage(NodeContext ctx, NodeId from, NodeMessage m) {
    if (m instanceof NodeMessage.IndexRequest r) writes.onIndexRequest(ctx, from, r);
    else if (m instanceof NodeMessage.PrimaryRequest r) indices.primaryWrite(ctx, r);
    else if (m instanceof NodeMessage.PrimaryResponse r) writes.onPrimaryResponse(ctx, r);
    else if (m instanceof NodeMessage.ShardStarted s) master.submit(ctx, new MasterService.Started(s));
    else if (m instanceof NodeMessage.ShardFailed f) master.submit(ctx, new MasterService.Failed(f));
    else if (m instanceof NodeMessage.ShardFailedResponse r) indices.onShardFailedResponse(ctx, r);
    else if (m instanceof NodeMessage.ShardActiveRequest r) ctx.send(from, indices.shardActive(r));
    else if (m instanceof NodeMessage.ShardActiveResponse r) indices.onShardActive(ctx, r);
    else if (m instanceof NodeMessage.NodeStatsRequest r) ctx.send(from, new NodeMessage.NodeStatsResponse(self, r.round(), diskUsage(ctx)));
    else if (m instanceof NodeMessage.NodeStatsResponse r) master.onDiskUsage(ctx, r.disk());
    else if (m instanceof NodeMessage.VotingConfigExclusionsRequest r) onVotingConfigExclusions(ctx, r);
    else searches.onMessage(ctx, from, m);
  }

  /**
   * TransportMasterNodeAction: the master runs it; another node forwards it to the master it knows (or drops it: no
   * master). A clear request with wait_for_removal first waits for the excluded nodes to leave.
   */
  private void onVotingConfigExclusions(NodeContext ctx, NodeMessage.VotingConfigExclusionsRequest r) {
    if (coordinator.mode() != Coordinator.Mode.LEADER) {
      String known = coordinator.applied().masterNodeId();
      if (known != null && !known.equals(self)) ctx.send(NodeId.of(known), r);
      return;
    }
    if (r instanceof NodeMessage.ClearVotingConfigExclusionsRequest c && !exclusions.readyToClear(ctx, c, coordinator.lastAccepted())) return;
    master.submit(ctx, new MasterService.VotingConfigExclusionsTask(r));
  }

  /** What this node's data path reports: its configured size and every byte of every file on it. */
  private DiskUsage diskUsage(NodeContext ctx) {
    return new DiskUsage(self, config.diskTotalBytes(), ctx.disk().totalBytes());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof CoordinationTimer t) {
      coordinator.onTimer(ctx, t);
    } else if (timer instanceof EsTimer t) {
      indices.onEngineTimer(ctx, t);
    } else if (timer instanceof ClusterTimer.ShardTick t) {
      indices.onShardTick(ctx, t);
    } else if (timer instanceof ClusterTimer.ExclusionsTimeout t) {
      exclusions.onTimeout(ctx, t);
    } else if (timer instanceof ClusterTimer.ShardFilesDurable t) {
      indices.onShardFilesDurable(ctx, t);
    } else if (timer instanceof ClusterTimer.NodeTick t) {
      indices.tick(ctx);
      writes.retry(ctx);
      searches.tick(ctx);
      ctx.setTimer(t, Durations.seconds(1));
    } else if (timer instanceof ClusterTimer.ClusterInfoTick t) {
      if (coordinator.mode() != Coordinator.Mode.LEADER) return;
      statsRound++;
      for (var n : coordinator.lastAccepted().nodes()) {
        if (n.id().equals(self)) master.onDiskUsage(ctx, diskUsage(ctx));
        else ctx.send(NodeId.of(n.id()), new NodeMessage.NodeStatsRequest(self, statsRound));
      }
      ctx.setTimer(t, Durations.millis(config.clusterInfoUpdateIntervalMs()));
    }
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    coordinator.onPeerDisconnected(ctx, peer.name());
    writes.onDisconnected(peer.name());
  }

  // --- Coordinator.Host ---

  @Override
  public void onStateCommitted(NodeContext ctx, ClusterState state) {
    indices.apply(ctx, state);
    exclusions.onApplied(ctx, state, c -> onVotingConfigExclusions(ctx, c)); // runs the task here, or retries it on the master now
    writes.onNodesChanged(state);
    writes.retry(ctx);
  }

  @Override
  public void onBecomeLeader(NodeContext ctx, Set<String> joiners, java.util.List<CoordinationMessage.JoinRequest> joins) {
    master.reset();
    master.noteJoin(new CoordinationMessage.JoinRequest(self, ephemeralId, config.zone(self), coordinator.term(), null, indices.storesOnDisk(ctx.disk())),
        ephemeralId);
    java.util.List<MasterService.Task> tasks = new java.util.ArrayList<>();
    tasks.add(new MasterService.BecomeMaster(joiners));
    for (CoordinationMessage.JoinRequest r : joins) {
      if (r.source().equals(self)) continue;
      master.noteJoin(r, r.ephemeralId());
      tasks.add(new MasterService.NodeJoin(r, r.ephemeralId()));
    }
    master.submitAll(ctx, tasks);
    ctx.setTimer(new ClusterTimer.ClusterInfoTick(), Durations.millis(100));
  }

  @Override
  public void onJoinRequest(NodeContext ctx, CoordinationMessage.JoinRequest request) {
    master.noteJoin(request, request.ephemeralId());
    master.submit(ctx, new MasterService.NodeJoin(request, request.ephemeralId()));
  }

  @Override
  public void onReconfigurationNeeded(NodeContext ctx) {
    master.scheduleReconfiguration(ctx);
  }

  @Override
  public void onFollowerFailed(NodeContext ctx, String node, String ephemeralId, String reason) {
    master.submit(ctx, new MasterService.NodeLeft(node, ephemeralId, reason));
  }

  @Override
  public void onPublicationDone(NodeContext ctx, boolean committed) {
    master.onPublicationDone(ctx, committed);
  }

  @Override
  public Map<Integer, String> shardStores() {
    return indices.storesOnDisk(disk);
  }

  @Override
  public String ephemeralId() {
    return ephemeralId;
  }

  // --- for the parts ---

  ClusterState appliedState() {
    return coordinator.applied();
  }

  String master() {
    return coordinator.applied().masterNodeId();
  }

  IndicesService indices() {
    return indices;
  }

  void primaryResult(NodeContext ctx, String coordinatorNode, NodeMessage.PrimaryResponse r) {
    if (coordinatorNode.equals(self)) writes.onPrimaryResponse(ctx, r);
    else ctx.send(NodeId.of(coordinatorNode), r);
  }

  // --- views for checks and inspectors ---

  public String id() {
    return self;
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  public IndexShard shard(int shard) {
    return indices.shard(shard);
  }

  public java.util.List<IndexShard> shards() {
    return indices.shards();
  }

  public Map<String, DiskUsage> masterDisks() {
    return master.disks();
  }

  @Override
  public String describeState() {
    StringBuilder b = new StringBuilder(coordinator.describe());
    for (IndexShard s : indices.shards()) b.append("\n  ").append(s.describe());
    if (writes.size() > 0) b.append("\n  ").append(writes.size()).append(" client writes in flight");
    return b.toString();
  }
}
