package sim.cassandra.cluster;

import java.util.Set;
import sim.cassandra.ring.Endpoint;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.storage.StorageConfig;

/**
 * One node's cassandra.yaml, in its own names and defaults: {@code write_request_timeout} 2000 ms,
 * {@code read_request_timeout} 5000 ms, {@code range_request_timeout} 10000 ms, {@code cas_contention_timeout}
 * 1000 ms, {@code phi_convict_threshold} 8, {@code hinted_handoff_enabled} true, {@code max_hint_window} 3 h,
 * gossip every second, {@code ring_delay} 30000 ms ({@code -Dcassandra.ring_delay_ms}), {@code join_ring} true
 * ({@code -Dcassandra.join_ring}: false starts the node outside the ring until {@code nodetool join}). {@code breaks} are the real rules switched off for a lesson ({@code --break}).
 */
public record NodeConfig(Endpoint endpoint, TokenRing ring, StorageConfig storage, long writeRequestTimeoutMs,
    long readRequestTimeoutMs, long rangeRequestTimeoutMs, long casContentionTimeoutMs, double phiConvictThreshold,
    boolean hintedHandoffEnabled, long maxHintWindowMs, long gossipIntervalMs, long ringDelayMs, boolean joinRing, Set<String> breaks) {

  public static NodeConfig defaults(Endpoint endpoint, TokenRing ring, StorageConfig storage, Set<String> breaks) {
    return new NodeConfig(endpoint, ring, storage, 2_000, 5_000, 10_000, 1_000, 8.0, true, 3L * 3600 * 1000, 1_000, 30_000, true, java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(breaks)));
  }

  /** This node started with {@code -Dcassandra.join_ring=false}: it waits outside the ring for {@code nodetool join}. */
  public NodeConfig outsideRing() {
    return new NodeConfig(endpoint, ring, storage, writeRequestTimeoutMs, readRequestTimeoutMs, rangeRequestTimeoutMs, casContentionTimeoutMs,
        phiConvictThreshold, hintedHandoffEnabled, maxHintWindowMs, gossipIntervalMs, ringDelayMs, false, breaks);
  }

  public boolean broken(String rule) {
    return breaks.contains(rule);
  }
}
