package sim.es.cluster.node;

import java.util.List;
import java.util.Map;
import sim.es.cluster.allocation.AllocationSettings;
import sim.es.cluster.coordination.CoordinationSettings;
import sim.es.engine.EsConfig;

/**
 * One cluster's settings: the index ({@code number_of_shards}, {@code number_of_replicas}), each shard's
 * engine, coordination and allocation settings, each node's disk size and zone, and Elasticsearch's
 * {@code cluster.info.update.interval} (30s), {@code index.soft_deletes.retention_lease.period} (12h) and the
 * write {@code timeout} (1m). {@code replicaRetryMs} is how often an unanswered replication request is sent
 * again (what TCP retransmission does under a real connection).
 */
public record ClusterConfig(String indexName, int numberOfShards, int numberOfReplicas, EsConfig engine, CoordinationSettings coordination,
    AllocationSettings allocation, long diskTotalBytes, Map<String, String> zones, long clusterInfoUpdateIntervalMs, long retentionLeasePeriodMs,
    long requestTimeoutMs, long replicaRetryMs, long recoveryRetryMs) {

  public ClusterConfig {
    zones = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(zones)); // Map.copyOf iterates in a per-JVM order
  }

  public static ClusterConfig of(List<String> nodes, int shards, int replicas, EsConfig engine) {
    return new ClusterConfig("idx", shards, replicas, engine, CoordinationSettings.defaults(nodes), AllocationSettings.defaults(), 64L * 1024 * 1024,
        Map.of(), 30_000, 12L * 3600 * 1000, 60_000, 1_000, 10_000);
  }

  public List<String> nodes() {
    return coordination.initialMasterNodes();
  }

  public String zone(String node) {
    return zones.getOrDefault(node, "");
  }

  public ClusterConfig withAllocation(AllocationSettings a) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, coordination, a, diskTotalBytes, zones, clusterInfoUpdateIntervalMs,
        retentionLeasePeriodMs, requestTimeoutMs, replicaRetryMs, recoveryRetryMs);
  }

  public ClusterConfig withZones(Map<String, String> z) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, coordination, allocation, diskTotalBytes, z, clusterInfoUpdateIntervalMs,
        retentionLeasePeriodMs, requestTimeoutMs, replicaRetryMs, recoveryRetryMs);
  }

  public ClusterConfig withDisk(long totalBytes, long infoIntervalMs) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, coordination, allocation, totalBytes, zones, infoIntervalMs,
        retentionLeasePeriodMs, requestTimeoutMs, replicaRetryMs, recoveryRetryMs);
  }

  public ClusterConfig withRetentionLeasePeriodMs(long ms) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, coordination, allocation, diskTotalBytes, zones,
        clusterInfoUpdateIntervalMs, ms, requestTimeoutMs, replicaRetryMs, recoveryRetryMs);
  }

  public ClusterConfig withCoordination(CoordinationSettings c) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, c, allocation, diskTotalBytes, zones, clusterInfoUpdateIntervalMs,
        retentionLeasePeriodMs, requestTimeoutMs, replicaRetryMs, recoveryRetryMs);
  }

  public ClusterConfig withRequestTimeoutMs(long ms) {
    return new ClusterConfig(indexName, numberOfShards, numberOfReplicas, engine, coordination, allocation, diskTotalBytes, zones,
        clusterInfoUpdateIntervalMs, retentionLeasePeriodMs, ms, replicaRetryMs, recoveryRetryMs);
  }
}
