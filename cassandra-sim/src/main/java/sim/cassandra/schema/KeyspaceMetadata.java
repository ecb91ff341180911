package sim.cassandra.schema;

import java.util.Map;
import java.util.TreeMap;

/**
 * A keyspace and its replication: {@code SimpleStrategy} with a {@code replication_factor}, or
 * {@code NetworkTopologyStrategy} with a factor per datacenter.
 */
public record KeyspaceMetadata(String name, String strategy, Map<String, Integer> replication) {
  public KeyspaceMetadata {
    replication = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(replication)); // Map.copyOf would iterate in a per-JVM order
  }

  public boolean isNetworkTopology() {
    return strategy.equals("NetworkTopologyStrategy");
  }

  /** Replicas in all: the SimpleStrategy factor, or the sum over datacenters. */
  public int totalReplicationFactor() {
    return replication.values().stream().mapToInt(Integer::intValue).sum();
  }

  public int replicationFactor(String datacenter) {
    if (!isNetworkTopology()) return replication.getOrDefault("replication_factor", 0);
    return replication.getOrDefault(datacenter, 0);
  }
}
