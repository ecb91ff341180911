package sim.es.cluster.allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.DiscoveryNode;
import sim.es.cluster.state.IndexMetadata;
import sim.es.cluster.state.ShardRouting;

/**
 * The working copy one allocation round changes: the routing table and index metadata being rewritten, the
 * disk usage the master last heard of, the shard copies each node has on disk, and the changes made, in words.
 */
public final class RoutingAllocation {
  final ClusterState base;
  final List<ShardRouting> routing;
  IndexMetadata index;
  long nextAllocationId;
  final Map<String, DiskUsage> disks;
  final Map<String, Map<Integer, String>> stores;
  final AllocationSettings settings;

  AllocationSettings settings() {
    return settings;
  }
  final List<String> changes = new ArrayList<>();

  RoutingAllocation(ClusterState base, Map<String, DiskUsage> disks, Map<String, Map<Integer, String>> stores, AllocationSettings settings) {
    this.base = base;
    this.routing = new ArrayList<>(base.routing());
    this.index = base.index();
    this.nextAllocationId = base.nextAllocationId();
    this.disks = disks;
    this.stores = stores;
    this.settings = settings;
  }

  ClusterState result() {
    return base.withIndex(index).withRouting(routing, nextAllocationId);
  }

  String newAllocationId(int shard) {
    return "s" + shard + "-a" + (nextAllocationId++);
  }

  List<DiscoveryNode> nodes() {
    return base.nodes();
  }

  List<ShardRouting> copies(int shard) {
    return routing.stream().filter(r -> r.shard() == shard).toList();
  }

  ShardRouting primary(int shard) {
    return routing.stream().filter(r -> r.shard() == shard && r.primary()).findFirst().orElse(null);
  }

  List<ShardRouting> onNode(String node) {
    return routing.stream().filter(r -> node.equals(r.nodeId())).toList();
  }

  void replace(ShardRouting old, ShardRouting now) {
    int i = routing.indexOf(old);
    if (i < 0) throw new IllegalStateException("no such shard routing " + old);
    routing.set(i, now);
  }

  String zoneOf(String node) {
    return base.node(node).map(DiscoveryNode::zone).orElse("");
  }

  void log(String change) {
    changes.add(change);
  }
}
