package sim.cassandra.cluster;

import java.util.Set;
import sim.cassandra.ring.Endpoint;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.storage.StorageConfig;

/**
 * One node's cassandra.yaml, in its own names and defaults: {@code write_request_timeout} 2000 ms,
 * {@code read_request_timeout} 5000 ms, {@code range_request_timeout} 10000 ms, {@code cas_contention_timeout}
 * 1000 ms, {@code phi_convict_threshold} 8, {@code hinted_handoff_enabled} true, {@code max_hint_window} 3 h,
 * gossip every second. {@code breaks} are the real rules switched off for a lesson ({@code --break}).
 */
public record NodeConfig(Endpoint endpoint, TokenRing ring, StorageConfig storage, long writeRequestTimeoutMs,
    long readRequestTimeoutMs, long rangeRequestTimeoutMs, long casContentionTimeoutMs, double phiConvictThreshold,
    boolean hintedHandoffEnabled, long maxHintWindowMs, long gossipIntervalMs, Set<String> breaks) {

  public static NodeConfig defaults(Endpoint endpoint, TokenRing ring, StorageConfig storage, Set<String> breaks) {
    return new NodeConfig(endpoint, ring, storage, 2_000, 5_000, 10_000, 1_000, 8.0, true, 3L * 3600 * 1000, 1_000, java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(breaks)));
  }

  public boolean broken(String rule) {
    return breaks.contains(rule);
  }
}
