package sim.es.cluster.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.allocation.AllocationService;
import sim.es.cluster.allocation.DiskUsage;
import sim.es.cluster.coordination.CoordinationMessage.JoinRequest;
import sim.es.cluster.coordination.Coordinator;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.DiscoveryNode;
import sim.es.cluster.state.ShardRouting;

/**
 * The elected master's single queue of cluster-state updates (Elasticsearch's MasterService): node joins and
 * departures, shards started and failed, new disk usage. Tasks wait while a publication runs; then the whole
 * batch is applied in order — the allocation service deciding what moves — and the result published as the
 * next version. A shard-failed request is answered once the state without that copy is committed: only then
 * may the primary that asked acknowledge its write.
 */
final class MasterService {
  sealed interface Task {}

  record BecomeMaster(Set<String> joiners) implements Task {}

  record NodeJoin(JoinRequest request, String ephemeralId) implements Task {}

  /** Fault detection gave up on {@code node}'s incarnation {@code ephemeralId}; a newer incarnation that joined meanwhile stays. */
  record NodeLeft(String node, String ephemeralId, String reason) implements Task {}

  record Started(NodeMessage.ShardStarted msg) implements Task {}

  record Failed(NodeMessage.ShardFailed msg) implements Task {}

  record DiskChanged(String node) implements Task {}

  /** Coordinator.scheduleReconfigurationIfNeeded's "reconfigure" task: a better voting configuration. */
  record Reconfigure() implements Task {}

  /** TransportAddVotingConfigExclusionsAction's and TransportClearVotingConfigExclusionsAction's tasks. */
  record VotingConfigExclusionsTask(NodeMessage.VotingConfigExclusionsRequest request) implements Task {}

  private final String self;
  private final ClusterConfig config;
  private final AllocationService allocation;
  private final Coordinator coordinator;
  private final VotingConfigExclusions exclusions;
  private List<NodeMessage.VotingConfigExclusionsRequest> exclusionsPublishing = new ArrayList<>();
  private final ArrayDeque<Task> queue = new ArrayDeque<>();
  private final Map<String, Map<Integer, String>> stores = new TreeMap<>();
  private final Map<String, DiskUsage> disks = new TreeMap<>();
  private final Map<String, String> ephemeralIds = new TreeMap<>();
  private final Map<String, String> zones = new TreeMap<>();
  private List<NodeMessage.ShardFailed> toAnswer = new ArrayList<>();

  MasterService(String self, ClusterConfig config, AllocationService allocation, Coordinator coordinator, VotingConfigExclusions exclusions) {
    this.self = self;
    this.exclusions = exclusions;
    this.config = config;
    this.allocation = allocation;
    this.coordinator = coordinator;
  }

  void submit(NodeContext ctx, Task t) {
    submitAll(ctx, List.of(t));
  }

  /** Queues tasks together: they are applied in one batch if no publication is running. */
  void submitAll(NodeContext ctx, List<Task> tasks) {
    if (coordinator.mode() != Coordinator.Mode.LEADER) return;
    queue.addAll(tasks);
    runBatch(ctx);
  }

  /** A new master starts empty: what it knows of stores and disks comes from joins and polls. */
  void reset() {
    queue.clear();
    toAnswer = new ArrayList<>();
    exclusionsPublishing = new ArrayList<>();
  }

  void noteJoin(JoinRequest r, String ephemeralId) {
    stores.put(r.source(), new TreeMap<>(r.shardStores()));
    ephemeralIds.put(r.source(), ephemeralId);
    zones.put(r.source(), r.zone());
  }

  /** The node's disk usage arrived; a change of watermark band triggers a reroute (DiskThresholdMonitor). */
  void onDiskUsage(NodeContext ctx, DiskUsage u) {
    DiskUsage old = disks.put(u.nodeId(), u);
    if (old == null || band(old) != band(u)) submit(ctx, new DiskChanged(u.nodeId()));
  }

  private int band(DiskUsage u) {
    double f = u.usedFraction();
    var a = allocation.settings();
    return f > a.floodStageWatermark() ? 3 : f > a.highWatermark() ? 2 : f > a.lowWatermark() ? 1 : 0;
  }

  void onPublicationDone(NodeContext ctx, boolean committed) {
    List<NodeMessage.ShardFailed> answered = toAnswer;
    toAnswer = new ArrayList<>();
    List<NodeMessage.VotingConfigExclusionsRequest> processed = exclusionsPublishing;
    exclusionsPublishing = new ArrayList<>();
    for (NodeMessage.VotingConfigExclusionsRequest r : processed) {
      if (committed) exclusions.onProcessed(ctx, r, coordinator.lastAccepted());
      else exclusions.onFailed(ctx, r);
    }
    for (NodeMessage.ShardFailed f : answered) {
      if (committed) reply(ctx, f, true, false, "");
      // not committed: this node is no longer master; the requester asks the next one
    }
    if (committed && coordinator.needsReconfiguration()) queue.addFirst(new Reconfigure()); // Priority.URGENT
    runBatch(ctx);
  }

  /** scheduleReconfigurationIfNeeded: one "reconfigure" task at a time, ahead of the others (Priority.URGENT). */
  void scheduleReconfiguration(NodeContext ctx) {
    if (queue.stream().anyMatch(t -> t instanceof Reconfigure)) return;
    queue.addFirst(new Reconfigure());
    runBatch(ctx);
  }

  void runBatch(NodeContext ctx) {
    if (queue.isEmpty() || coordinator.mode() != Coordinator.Mode.LEADER || coordinator.publicationInProgress()) return;
    ClusterState base = coordinator.lastAccepted();
    ClusterState s = base;
    boolean mustPublish = false;
    List<AllocationService.StartedShard> started = new ArrayList<>();
    List<AllocationService.FailedShard> failed = new ArrayList<>();
    List<NodeMessage.ShardFailed> failedRequests = new ArrayList<>();
    List<NodeMessage.VotingConfigExclusionsRequest> exclusionRequests = new ArrayList<>();
    List<String> changes = new ArrayList<>();
    while (!queue.isEmpty()) {
      Task t = queue.poll();
      if (t instanceof BecomeMaster b) {
        mustPublish = true;
        s = s.withMaster(self);
        // this node may have restarted since the state was written: its old copies are gone (becomeMasterAndTrimConflictingNodes)
        s = join(s, new NodeJoin(new JoinRequest(self, ephemeralIds.getOrDefault(self, ""), config.zone(self), 0, null, stores.getOrDefault(self, Map.of())),
            ephemeralIds.getOrDefault(self, "")), changes);
      } else if (t instanceof NodeJoin j) {
        s = join(s, j, changes);
      } else if (t instanceof NodeLeft l && s.node(l.node()).map(n -> n.ephemeralId().equals(l.ephemeralId()) || l.ephemeralId().isEmpty()).orElse(false)) {
        s = s.withNodes(s.nodes().stream().filter(n -> !n.id().equals(l.node())).toList());
        changes.add("node-left " + l.node() + ": " + l.reason());
      } else if (t instanceof Started st) {
        started.add(new AllocationService.StartedShard(st.msg().allocationId(), st.msg().primaryTerm()));
      } else if (t instanceof Failed f) {
        String rejection = staleRequester(s, f.msg());
        if (rejection != null) {
          reply(ctx, f.msg(), false, true, rejection);
          continue;
        }
        failed.add(new AllocationService.FailedShard(f.msg().allocationId(), f.msg().markAsStale(), f.msg().reason()));
        failedRequests.add(f.msg());
      } else if (t instanceof Reconfigure) {
        s = reconfigure(ctx, s);
      } else if (t instanceof VotingConfigExclusionsTask v && v.request() instanceof NodeMessage.AddVotingConfigExclusionsRequest a) {
        ClusterState before = s;
        s = exclusions.add(ctx, s, a);
        if (s != before) exclusionRequests.add(a);
      } else if (t instanceof VotingConfigExclusionsTask v && v.request() instanceof NodeMessage.ClearVotingConfigExclusionsRequest c) {
        s = exclusions.clear(ctx, s, c);
        exclusionRequests.add(c);
      }
    }
    if (s.index() == null && s.nodes().size() == config.nodes().size()) { // the index is created once the cluster has formed
      s = allocation.createIndex(s, config.indexName(), config.numberOfShards(), config.numberOfReplicas());
      changes.add("index " + config.indexName() + " created: " + config.numberOfShards() + " primaries, " + config.numberOfReplicas() + " replicas each");
    }
    s = apply(s, allocation.disassociateDeadNodes(s, disks, stores), changes);
    if (!started.isEmpty()) s = apply(s, allocation.applyStartedShards(s, started, disks, stores), changes);
    if (!failed.isEmpty()) s = apply(s, allocation.applyFailedShards(s, failed, disks, stores), changes);
    s = apply(s, allocation.reroute(s, disks, stores), changes);
    s = allocation.applyFloodStage(s, disks, changes); // DiskThresholdMonitor: with every new disk usage, and as copies move
    for (String c : changes) ctx.point("es.allocation", c, "version", base.version() + 1);
    for (ShardRouting r : s.routing()) if (r.assigned()) stores.computeIfAbsent(r.nodeId(), k -> new TreeMap<>()).put(r.shard(), r.allocationId());
    if (!mustPublish && s.equals(base)) {
      for (NodeMessage.ShardFailed f : failedRequests) reply(ctx, f, true, false, "");
      for (NodeMessage.VotingConfigExclusionsRequest r : exclusionRequests) exclusions.onProcessed(ctx, r, base);
      return;
    }
    toAnswer.addAll(failedRequests);
    exclusionsPublishing.addAll(exclusionRequests);
    coordinator.publish(ctx, s);
  }

  private ClusterState reconfigure(NodeContext ctx, ClusterState s) {
    ClusterState next = coordinator.improveConfiguration(s);
    if (next == s) return s;
    ctx.point("es.voting-config.reconfigure", self + " reconfigures the voting configuration " + s.lastAcceptedConfig() + " -> " + next.lastAcceptedConfig()
        + (s.votingConfigExclusions().isEmpty() ? "" : " (exclusions " + s.votingConfigExclusions() + ")") + "; it is committed once a quorum of both accepts it",
        "from", s.lastAcceptedConfig().toString(), "to", next.lastAcceptedConfig().toString());
    return next;
  }

  private static ClusterState apply(ClusterState s, AllocationService.Result r, List<String> changes) {
    changes.addAll(r.changes());
    return r.state();
  }

  /** NodeJoinExecutor: a node that restarted (new ephemeral id) is first removed — its copies fail — then added again. */
  private ClusterState join(ClusterState s, NodeJoin j, List<String> changes) {
    String node = j.request().source();
    DiscoveryNode known = s.node(node).orElse(null);
    if (known != null && known.ephemeralId().equals(j.ephemeralId())) return s;
    if (known != null) {
      s = s.withNodes(s.nodes().stream().filter(n -> !n.id().equals(node)).toList());
      s = apply(s, allocation.disassociateDeadNodes(s, disks, stores), changes);
      changes.add("node " + node + " restarted: its old copies are failed");
    }
    changes.add("node-join " + node + (j.request().shardStores().isEmpty() ? "" : " with shard copies on disk " + j.request().shardStores()));
    return s.withNode(new DiscoveryNode(node, j.ephemeralId(), j.request().zone()));
  }

  /** ShardStateAction's check: a primary whose term is older than the shard's is no longer the primary. */
  private static String staleRequester(ClusterState s, NodeMessage.ShardFailed f) {
    if (s.index() == null || f.primaryTerm() <= 0) return null;
    long current = s.index().primaryTerm(f.shard());
    if (f.primaryTerm() < current) {
      return "primary term [" + f.primaryTerm() + "] did not match current primary term [" + current + "]";
    }
    return null;
  }

  private void reply(NodeContext ctx, NodeMessage.ShardFailed f, boolean ok, boolean noLongerPrimary, String reason) {
    NodeMessage.ShardFailedResponse resp = new NodeMessage.ShardFailedResponse(f.requestId(), f.allocationId(), ok, noLongerPrimary, reason);
    ctx.send(NodeId.of(f.source()), resp);
  }

  Map<String, DiskUsage> disks() {
    return disks;
  }

  String describe() {
    return "master queue " + queue.size() + " tasks; disks " + disks.values();
  }
}
