package sim.es.cluster.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the elected master publishes to every node, one numbered version at a time: the coordination
 * metadata (the {@code term} of the master that published it, the last committed and last accepted voting
 * configurations), the nodes in the cluster and which of them is master, the index metadata (primary terms,
 * in-sync allocation ids, blocks) and the routing table (where each shard copy is, and in what state).
 * Immutable: every change is a new state with the next version.
 */
public record ClusterState(long term, long version, String masterNodeId, List<DiscoveryNode> nodes, VotingConfiguration lastCommittedConfig,
    VotingConfiguration lastAcceptedConfig, IndexMetadata index, List<ShardRouting> routing, long nextAllocationId,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> votingConfigExclusions) {

  public ClusterState {
    nodes = List.copyOf(nodes.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList());
    routing = List.copyOf(routing);
    votingConfigExclusions = votingConfigExclusions == null ? List.of() : List.copyOf(new java.util.TreeSet<>(votingConfigExclusions));
  }

  /** A node's state before it has ever heard of a cluster: term 0, version 0, no configuration. */
  public static ClusterState empty() {
    return new ClusterState(0, 0, null, List.of(), VotingConfiguration.EMPTY, VotingConfiguration.EMPTY, null, List.of(), 0, List.of());
  }

  public boolean hasNode(String id) {
    for (DiscoveryNode n : nodes) if (n.id().equals(id)) return true;
    return false;
  }

  public Optional<DiscoveryNode> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  public List<ShardRouting> copies(int shard) {
    return routing.stream().filter(r -> r.shard() == shard).toList();
  }

  public Optional<ShardRouting> primary(int shard) {
    return routing.stream().filter(r -> r.shard() == shard && r.primary()).findFirst();
  }

  public Optional<ShardRouting> byAllocationId(String allocationId) {
    return routing.stream().filter(r -> allocationId.equals(r.allocationId())).findFirst();
  }

  public List<ShardRouting> onNode(String nodeId) {
    return routing.stream().filter(r -> nodeId.equals(r.nodeId())).toList();
  }

  // --- builders: each returns a new state (same version: the master bumps it when it publishes) ---

  public ClusterState withTermAndVersion(long newTerm, long newVersion) {
    return new ClusterState(newTerm, newVersion, masterNodeId, nodes, lastCommittedConfig, lastAcceptedConfig, index, routing, nextAllocationId, votingConfigExclusions);
  }

  public ClusterState withMaster(String master) {
    return new ClusterState(term, version, master, nodes, lastCommittedConfig, lastAcceptedConfig, index, routing, nextAllocationId, votingConfigExclusions);
  }

  public ClusterState withNodes(List<DiscoveryNode> newNodes) {
    return new ClusterState(term, version, masterNodeId, newNodes, lastCommittedConfig, lastAcceptedConfig, index, routing, nextAllocationId, votingConfigExclusions);
  }

  public ClusterState withNode(DiscoveryNode node) {
    List<DiscoveryNode> n = new ArrayList<>(nodes);
    n.removeIf(x -> x.id().equals(node.id()));
    n.add(node);
    return withNodes(n);
  }

  public ClusterState withConfigs(VotingConfiguration committed, VotingConfiguration accepted) {
    return new ClusterState(term, version, masterNodeId, nodes, committed, accepted, index, routing, nextAllocationId, votingConfigExclusions);
  }

  /** CoordinationMetadata's voting configuration exclusions (node ids; a node's name is its id here). */
  public ClusterState withVotingConfigExclusions(List<String> exclusions) {
    return new ClusterState(term, version, masterNodeId, nodes, lastCommittedConfig, lastAcceptedConfig, index, routing, nextAllocationId, exclusions);
  }

  public ClusterState withIndex(IndexMetadata newIndex) {
    return new ClusterState(term, version, masterNodeId, nodes, lastCommittedConfig, lastAcceptedConfig, newIndex, routing, nextAllocationId, votingConfigExclusions);
  }

  public ClusterState withRouting(List<ShardRouting> newRouting, long newNextAllocationId) {
    return new ClusterState(term, version, masterNodeId, nodes, lastCommittedConfig, lastAcceptedConfig, index, newRouting, newNextAllocationId, votingConfigExclusions);
  }

  @Override
  public String toString() {
    return "cluster state term " + term + " version " + version + ", master " + masterNodeId;
  }

  /** The {@code \cluster} view: master, term, version, nodes, configurations. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("term ").append(term).append(", version ").append(version).append(", master ").append(masterNodeId == null ? "(none)" : masterNodeId).append('\n');
    b.append("nodes: ");
    for (DiscoveryNode n : nodes) b.append(n.id()).append(n.zone().isEmpty() ? "" : "{zone=" + n.zone() + "}").append(' ');
    b.append('\n').append("voting configuration: committed ").append(lastCommittedConfig).append(", accepted ").append(lastAcceptedConfig);
    if (!votingConfigExclusions.isEmpty()) b.append(", exclusions ").append(votingConfigExclusions);
    return b.toString();
  }

  /** The {@code \shards} view: the routing table with primary terms and in-sync sets. */
  public String describeRouting() {
    if (index == null) return "no index yet";
    StringBuilder b = new StringBuilder();
    b.append("index ").append(index.name()).append(": ").append(index.numberOfShards()).append(" primaries, ").append(index.numberOfReplicas())
        .append(" replicas").append(index.readOnlyAllowDelete() ? ", blocked: read_only_allow_delete" : "").append('\n');
    for (int s = 0; s < index.numberOfShards(); s++) {
      b.append("shard ").append(s).append(": primary term ").append(index.primaryTerm(s)).append(", in-sync ").append(index.inSync(s)).append('\n');
      for (ShardRouting r : copies(s)) b.append("  ").append(r).append('\n');
    }
    return b.toString().stripTrailing();
  }
}
