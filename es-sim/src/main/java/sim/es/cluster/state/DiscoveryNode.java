package sim.es.cluster.state;

/**
 * A node as the cluster state lists it: its id, its ephemeral id (new at every start, so the master can tell
 * a restarted node from the one it knew) and its {@code node.attr.zone} for allocation awareness ("" if none).
 */
public record DiscoveryNode(String id, String ephemeralId, String zone) {}
