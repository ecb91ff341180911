package sim.es.cluster.allocation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.DiscoveryNode;
import sim.es.cluster.state.IndexMetadata;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;

/**
 * Elasticsearch's AllocationService as pure functions from a cluster state to the next one: shards started,
 * shards failed, nodes gone, and {@link #reroute} — assign unassigned copies, move copies that may not stay
 * (disk high watermark), rebalance — all under the {@link AllocationDeciders}. It also keeps the index
 * metadata in step (IndexMetadataUpdater): a started copy joins the in-sync set, a copy failed by a
 * replication error leaves it ({@code markAsStale}), a copy lost with its node stays in it (its data may come
 * back), and every new primary — promoted, or allocated from a disk — gets the next primary term.
 *
 * <p>A primary is only ever promoted from, or allocated to, a copy whose allocation id is in the in-sync set:
 * only those are known to hold every acknowledged operation. When none is available the shard stays red.
 */
public final class AllocationService {
  /** The new state and what changed, in words (for the trace). */
  public record Result(ClusterState state, List<String> changes) {}

  public record StartedShard(String allocationId, long primaryTerm) {}

  /** A copy to fail; {@code markAsStale} also removes it from the in-sync set (it missed an operation). */
  public record FailedShard(String allocationId, boolean markAsStale, String reason) {}

  private final AllocationSettings settings;
  private final boolean promoteStale;

  /** @param promoteStale the broken rule {@code es.promote-stale-replica}: promote a copy that is not in sync */
  public AllocationService(AllocationSettings settings, boolean promoteStale) {
    this.settings = settings;
    this.promoteStale = promoteStale;
  }

  public AllocationSettings settings() {
    return settings;
  }

  /** Creates the index: its metadata and one unassigned primary and {@code replicas} unassigned replicas per shard. */
  public ClusterState createIndex(ClusterState s, String name, int shards, int replicas) {
    List<ShardRouting> routing = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      routing.add(ShardRouting.unassigned(i, true, "INDEX_CREATED"));
      for (int r = 0; r < replicas; r++) routing.add(ShardRouting.unassigned(i, false, "INDEX_CREATED"));
    }
    return s.withIndex(IndexMetadata.create(name, shards, replicas)).withRouting(routing, s.nextAllocationId());
  }

  /** Fails every copy on a node no longer in the cluster (node-left), promotes replicas of lost primaries, reroutes. */
  public Result disassociateDeadNodes(ClusterState s, Map<String, DiskUsage> disks, Map<String, Map<Integer, String>> stores) {
    RoutingAllocation a = new RoutingAllocation(s, disks, stores, settings);
    if (a.index == null) return new Result(s, List.of());
    for (ShardRouting r : List.copyOf(a.routing)) {
      if (r.assigned() && !s.hasNode(r.nodeId()) && a.routing.contains(r)) failCopy(a, r, "NODE_LEFT: node " + r.nodeId() + " left", false);
    }
    return finish(a);
  }

  public Result applyStartedShards(ClusterState s, List<StartedShard> started, Map<String, DiskUsage> disks, Map<String, Map<Integer, String>> stores) {
    RoutingAllocation a = new RoutingAllocation(s, disks, stores, settings);
    for (StartedShard st : started) {
      ShardRouting r = find(a, st.allocationId());
      if (r == null || r.state() != ShardState.INITIALIZING) continue; // stale: failed or started already
      if (r.primary() && st.primaryTerm() != a.index.primaryTerm(r.shard())) continue;
      ShardRouting now = r.started();
      a.replace(r, now);
      List<String> inSync = new ArrayList<>(a.index.inSync(r.shard()));
      if (r.primary() && "empty_store".equals(r.recoverySource())) inSync.clear();
      inSync.add(r.allocationId());
      a.index = a.index.withInSync(r.shard(), inSync);
      a.log(now + " started, in-sync " + a.index.inSync(r.shard()));
      if (r.relocatingFrom() != null) completeRelocation(a, now, r.relocatingFrom());
    }
    return finish(a);
  }

  /** A relocation target started: the source copy goes; a relocated primary hands over (with a new primary term here). */
  private void completeRelocation(RoutingAllocation a, ShardRouting done, String sourceAllocationId) {
    ShardRouting source = find(a, sourceAllocationId);
    if (source == null) return;
    a.routing.remove(source);
    List<String> inSync = new ArrayList<>(a.index.inSync(source.shard()));
    inSync.remove(source.allocationId());
    a.index = a.index.withInSync(source.shard(), inSync);
    if (source.primary()) {
      a.replace(done, done.promoted());
      a.index = a.index.withPrimaryTerm(done.shard(), a.index.primaryTerm(done.shard()) + 1);
      a.log("primary of shard " + done.shard() + " relocated from " + source.nodeId() + " to " + done.nodeId() + ", primary term "
          + a.index.primaryTerm(done.shard()));
    } else {
      a.log("replica of shard " + done.shard() + " relocated from " + source.nodeId() + " to " + done.nodeId());
    }
  }

  public Result applyFailedShards(ClusterState s, List<FailedShard> failed, Map<String, DiskUsage> disks, Map<String, Map<Integer, String>> stores) {
    RoutingAllocation a = new RoutingAllocation(s, disks, stores, settings);
    for (FailedShard f : failed) {
      ShardRouting r = find(a, f.allocationId());
      if (r != null) {
        failCopy(a, r, f.reason(), f.markAsStale());
      } else if (f.markAsStale()) { // an in-sync copy with no routing (its node left): the primary says it missed writes
        for (int shard = 0; shard < a.index.numberOfShards(); shard++) {
          List<String> inSync = new ArrayList<>(a.index.inSync(shard));
          if (inSync.remove(f.allocationId())) {
            a.index = a.index.withInSync(shard, inSync);
            a.log("shard " + shard + ": " + f.allocationId() + " marked stale (" + f.reason() + "), in-sync " + inSync);
          }
        }
      }
    }
    return finish(a);
  }

  private void failCopy(RoutingAllocation a, ShardRouting r, String reason, boolean markAsStale) {
    int shard = r.shard();
    a.routing.remove(r);
    if (markAsStale) {
      List<String> inSync = new ArrayList<>(a.index.inSync(shard));
      inSync.remove(r.allocationId());
      a.index = a.index.withInSync(shard, inSync);
    }
    a.log(r + " failed (" + reason + ")" + (markAsStale ? ", removed from in-sync " + a.index.inSync(shard) : ""));
    for (ShardRouting t : List.copyOf(a.copies(shard))) { // a relocation whose source fails is cancelled
      if (r.allocationId().equals(t.relocatingFrom())) {
        a.routing.remove(t);
        a.log(t + " cancelled: its relocation source failed");
      }
    }
    if (r.relocatingFrom() != null) return; // a failed relocation target: the source stays, nothing is missing
    if (!r.primary()) {
      a.routing.add(ShardRouting.unassigned(shard, false, reason));
      return;
    }
    if (!promoteStale) failRecoveringReplicas(a, shard); // the broken rule promotes one of them instead
    ShardRouting promoted = promotionCandidate(a, shard);
    if (promoted != null) {
      ShardRouting p = promoteStale ? promoted.started().promoted() : promoted.promoted();
      a.replace(promoted, p);
      a.index = a.index.withPrimaryTerm(shard, a.index.primaryTerm(shard) + 1);
      a.log("shard " + shard + ": replica " + p.allocationId() + " on " + p.nodeId() + " promoted to primary, primary term "
          + a.index.primaryTerm(shard) + " (in-sync " + a.index.inSync(shard) + ")");
      a.routing.add(ShardRouting.unassigned(shard, false, reason));
      return;
    }
    failRecoveringReplicas(a, shard); // no primary: they have nothing to recover from
    a.routing.add(ShardRouting.unassigned(shard, true, reason));
    a.log("shard " + shard + ": no in-sync replica to promote among " + a.copies(shard) + "; the primary is unassigned (red)");
  }

  /**
   * RoutingNodes.failShard of a primary fails every initializing replica first ("primary failed while replica
   * initializing"): each recovers from the failed primary, and what it copied says nothing of what the next
   * primary holds. A relocation target among them is cancelled (its source stays, as when a target fails);
   * were it kept, its shard-started (for a recovery from the old primary) would complete the relocation and
   * hand a promoted source's primary over to a copy that missed the new term's writes.
   */
  private void failRecoveringReplicas(RoutingAllocation a, int shard) {
    for (ShardRouting t : List.copyOf(a.copies(shard))) {
      if (t.primary() || t.state() != ShardState.INITIALIZING) continue;
      a.routing.remove(t);
      if (t.relocatingFrom() == null) a.routing.add(ShardRouting.unassigned(shard, false, "PRIMARY_FAILED"));
      a.log(t + " failed: primary failed while replica initializing");
    }
  }

  /** An active replica in the in-sync set; with the broken rule, a replica that is not in sync (a recovering one) first. */
  private ShardRouting promotionCandidate(RoutingAllocation a, int shard) {
    List<String> inSync = a.index.inSync(shard);
    List<ShardRouting> replicas = a.copies(shard).stream().filter(r -> !r.primary() && r.assigned() && r.relocatingFrom() == null).toList();
    if (!promoteStale) {
      for (ShardRouting r : replicas) if (r.active() && inSync.contains(r.allocationId())) return r;
      return null;
    }
    for (ShardRouting r : replicas) if (!inSync.contains(r.allocationId())) return r;
    return replicas.isEmpty() ? null : replicas.get(0);
  }

  /** Assigns what is unassigned, moves what may not stay, and rebalances when nothing else is to do. */
  public Result reroute(ClusterState s, Map<String, DiskUsage> disks, Map<String, Map<Integer, String>> stores) {
    return finish(new RoutingAllocation(s, disks, stores, settings));
  }

  private Result finish(RoutingAllocation a) {
    if (a.index != null) {
      allocateUnassigned(a);
      moveShards(a);
      if (a.routing.stream().noneMatch(r -> r.state() != ShardState.STARTED)) rebalance(a);
      boundInSync(a);
    }
    return new Result(a.result(), List.copyOf(a.changes));
  }

  private void allocateUnassigned(RoutingAllocation a) {
    for (int shard = 0; shard < a.index.numberOfShards(); shard++) {
      ShardRouting p = a.primary(shard);
      if (p != null && !p.assigned()) allocatePrimary(a, p);
    }
    for (int shard = 0; shard < a.index.numberOfShards(); shard++) {
      for (ShardRouting r : List.copyOf(a.copies(shard))) if (!r.primary() && !r.assigned()) allocateReplica(a, r);
    }
  }

  /** PrimaryShardAllocator: a new index's primary anywhere; otherwise only onto a node holding an in-sync copy. */
  private void allocatePrimary(RoutingAllocation a, ShardRouting p) {
    int shard = p.shard();
    List<String> inSync = a.index.inSync(shard);
    if (inSync.isEmpty()) {
      for (String node : byLoad(a)) {
        if (!AllocationDeciders.canAllocate(p, node, a).yes()) continue;
        initialize(a, p, node, a.newAllocationId(shard), "empty_store");
        return;
      }
      return;
    }
    for (String node : byLoad(a)) {
      String onDisk = a.stores.getOrDefault(node, Map.of()).get(shard);
      boolean usable = onDisk != null && (inSync.contains(onDisk) || promoteStale);
      if (!usable || !new AllocationDeciders.SameShard().canAllocate(p, node, a).yes()) continue;
      initialize(a, p, node, onDisk, "existing_store");
      return;
    }
  }

  private void initialize(RoutingAllocation a, ShardRouting p, String node, String allocationId, String source) {
    ShardRouting now = p.initialize(node, allocationId, source);
    a.replace(p, now);
    a.index = a.index.withPrimaryTerm(p.shard(), a.index.primaryTerm(p.shard()) + 1);
    a.log("shard " + p.shard() + ": primary " + allocationId + " allocated to " + node + " from " + source + ", primary term "
        + a.index.primaryTerm(p.shard()));
  }

  /** ReplicaShardAllocator: prefer a node that already has data of this shard (an operation-based recovery). */
  private void allocateReplica(RoutingAllocation a, ShardRouting r) {
    List<String> nodes = new ArrayList<>(byLoad(a));
    nodes.sort(Comparator.comparing((String n) -> a.stores.getOrDefault(n, Map.of()).containsKey(r.shard()) ? 0 : 1));
    for (String node : nodes) {
      Decision d = AllocationDeciders.canAllocate(r, node, a);
      if (!d.yes()) continue;
      ShardRouting now = r.initialize(node, a.newAllocationId(r.shard()), "peer");
      a.replace(r, now);
      a.log("shard " + r.shard() + ": replica " + now.allocationId() + " allocated to " + node);
      return;
    }
  }

  /** Copies that may not stay where they are (canRemain NO: the high watermark) relocate to a node that may take them. */
  private void moveShards(RoutingAllocation a) {
    for (ShardRouting r : List.copyOf(a.routing)) {
      if (!r.active() || relocationTarget(a, r) != null) continue;
      Decision remain = AllocationDeciders.canRemain(r, r.nodeId(), a);
      if (remain.yes()) continue;
      ShardRouting probe = ShardRouting.unassigned(r.shard(), false, "probe").relocationTarget(null, null, r.allocationId());
      for (String node : byLoad(a)) {
        if (node.equals(r.nodeId()) || !AllocationDeciders.canAllocate(probe, node, a).yes()) continue;
        ShardRouting target = probe.relocationTarget(node, a.newAllocationId(r.shard()), r.allocationId());
        a.routing.add(target);
        a.log(r + " must move (" + remain + "): relocating to " + node + " as " + target.allocationId());
        break;
      }
    }
  }

  /** BalancedShardsAllocator, for one index: move a copy from the fullest node to the emptiest while they differ by more than the threshold. */
  private void rebalance(RoutingAllocation a) {
    List<String> nodes = byLoad(a);
    if (nodes.size() < 2) return;
    String least = nodes.get(0);
    String most = nodes.get(nodes.size() - 1);
    if (load(a, most) - load(a, least) <= settings.balanceThreshold()) return;
    List<ShardRouting> candidates = new ArrayList<>(a.onNode(most));
    candidates.sort(Comparator.comparing(ShardRouting::primary).thenComparing(ShardRouting::shard));
    for (ShardRouting r : candidates) {
      ShardRouting probe = ShardRouting.unassigned(r.shard(), false, "probe").relocationTarget(null, null, r.allocationId());
      if (!AllocationDeciders.canAllocate(probe, least, a).yes()) continue;
      ShardRouting target = probe.relocationTarget(least, a.newAllocationId(r.shard()), r.allocationId());
      a.routing.add(target);
      a.log("rebalance: " + r + " relocating from " + most + " (" + load(a, most) + " copies) to " + least + " as " + target.allocationId());
      return;
    }
  }

  /** The in-sync set never grows past the number of copies: ids without a routing entry go first. */
  private void boundInSync(RoutingAllocation a) {
    int max = 1 + a.index.numberOfReplicas();
    for (int shard = 0; shard < a.index.numberOfShards(); shard++) {
      List<String> inSync = new ArrayList<>(a.index.inSync(shard));
      if (inSync.size() <= max) continue;
      TreeSet<String> routed = new TreeSet<>();
      for (ShardRouting r : a.copies(shard)) if (r.allocationId() != null) routed.add(r.allocationId());
      inSync.removeIf(id -> !routed.contains(id) && inSync.size() > max);
      a.index = a.index.withInSync(shard, inSync);
    }
  }

  private static ShardRouting relocationTarget(RoutingAllocation a, ShardRouting source) {
    for (ShardRouting t : a.copies(source.shard())) if (source.allocationId().equals(t.relocatingFrom())) return t;
    return null;
  }

  private static ShardRouting find(RoutingAllocation a, String allocationId) {
    for (ShardRouting r : a.routing) if (allocationId.equals(r.allocationId())) return r;
    return null;
  }

  /** The nodes, least loaded first (assigned copies), ties by id. */
  private static List<String> byLoad(RoutingAllocation a) {
    Map<String, Integer> load = new TreeMap<>();
    for (DiscoveryNode n : a.nodes()) load.put(n.id(), 0);
    for (ShardRouting r : a.routing) if (r.assigned() && load.containsKey(r.nodeId())) load.merge(r.nodeId(), 1, Integer::sum);
    List<String> out = new ArrayList<>(load.keySet());
    out.sort(Comparator.comparing((String n) -> load.get(n)).thenComparing(n -> n));
    return out;
  }

  private static int load(RoutingAllocation a, String node) {
    return a.onNode(node).size();
  }

  /** Cluster health: green when every copy is started, yellow when every primary is, red otherwise. */
  public static String health(ClusterState s) {
    if (s.index() == null) return "green";
    boolean allStarted = true;
    for (ShardRouting r : s.routing()) {
      if (r.primary() && !r.active()) return "red";
      if (!r.active()) allStarted = false;
    }
    return allStarted ? "green" : "yellow";
  }

  /**
   * DiskThresholdMonitor: an index with a copy on a node past the flood stage (95%) gets
   * {@code index.blocks.read_only_allow_delete}; the block is released once every such node is below the high watermark.
   */
  public ClusterState applyFloodStage(ClusterState s, Map<String, DiskUsage> disks, List<String> changes) {
    if (s.index() == null) return s;
    boolean flood = false;
    boolean allBelowHigh = true;
    for (ShardRouting r : s.routing()) {
      DiskUsage u = r.assigned() ? disks.get(r.nodeId()) : null;
      if (u == null) continue;
      flood |= u.usedFraction() > settings.floodStageWatermark();
      allBelowHigh &= u.usedFraction() <= settings.highWatermark();
    }
    if (flood && !s.index().readOnlyAllowDelete()) {
      changes.add("flood stage disk watermark [" + AllocationDeciders.pct(settings.floodStageWatermark()) + "] exceeded: index " + s.index().name()
          + " gets index.blocks.read_only_allow_delete");
      return s.withIndex(s.index().withReadOnlyAllowDelete(true));
    }
    if (!flood && allBelowHigh && s.index().readOnlyAllowDelete()) {
      changes.add("every node with a copy of " + s.index().name() + " is below the high watermark: read_only_allow_delete released");
      return s.withIndex(s.index().withReadOnlyAllowDelete(false));
    }
    return s;
  }
}
