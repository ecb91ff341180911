package sim.es.cluster.state;

/**
 * One copy of a shard in the routing table. An unassigned copy has no node and no allocation id; an
 * assigned one is {@code INITIALIZING} (recovering: from its own disk for a primary, from the primary for a
 * replica) until the master marks it {@code STARTED}. Each assignment gets a fresh {@code allocationId}: the
 * name the in-sync set uses. A relocation target names the allocation id of the copy it replaces in
 * {@code relocatingFrom}.
 */
public record ShardRouting(int shard, boolean primary, ShardState state, String nodeId, String allocationId, String relocatingFrom,
    String recoverySource, String unassignedReason) {

  public static ShardRouting unassigned(int shard, boolean primary, String reason) {
    return new ShardRouting(shard, primary, ShardState.UNASSIGNED, null, null, null, null, reason);
  }

  public boolean assigned() {
    return nodeId != null;
  }

  public boolean active() {
    return state == ShardState.STARTED;
  }

  public ShardRouting initialize(String node, String allocation, String source) {
    return new ShardRouting(shard, primary, ShardState.INITIALIZING, node, allocation, null, source, null);
  }

  public ShardRouting started() {
    return new ShardRouting(shard, primary, ShardState.STARTED, nodeId, allocationId, null, recoverySource, null);
  }

  public ShardRouting promoted() {
    return new ShardRouting(shard, true, state, nodeId, allocationId, relocatingFrom, recoverySource, unassignedReason);
  }

  public ShardRouting relocationTarget(String node, String allocation, String from) {
    return new ShardRouting(shard, false, ShardState.INITIALIZING, node, allocation, from, "peer", null);
  }

  @Override
  public String toString() {
    String role = primary ? "P" : "R";
    if (!assigned()) return "[" + shard + "][" + role + "] UNASSIGNED (" + unassignedReason + ")";
    return "[" + shard + "][" + role + "] " + state + " on " + nodeId + " " + allocationId + (relocatingFrom == null ? "" : " (relocating from " + relocatingFrom + ")");
  }
}
