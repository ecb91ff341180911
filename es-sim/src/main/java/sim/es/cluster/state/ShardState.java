package sim.es.cluster.state;

/** ShardRoutingState, without RELOCATING: a relocation here is a target copy that replaces its source once started. */
public enum ShardState { UNASSIGNED, INITIALIZING, STARTED }
