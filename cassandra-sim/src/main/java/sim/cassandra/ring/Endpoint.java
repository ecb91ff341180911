package sim.cassandra.ring;

import sim.core.NodeId;

/** A node's place in the topology, as its snitch reports it: datacenter and rack. */
public record Endpoint(NodeId id, String datacenter, String rack) {}
