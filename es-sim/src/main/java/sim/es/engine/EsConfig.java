package sim.es.engine;

import sim.es.index.merge.TieredMergePolicy;

/**
 * One shard's settings, with Elasticsearch's names and defaults: {@code index.translog.durability}
 * ({@code request}: fsync the translog before acknowledging; {@code async}: fsync every
 * {@code index.translog.sync_interval}, 5 s), {@code index.refresh_interval} (1 s),
 * {@code index.translog.flush_threshold_size} (512 MB; the lessons set it small so flushes happen),
 * {@code index.merge.policy.*} (TieredMergePolicy's) and {@code index.merge.scheduler.max_thread_count}
 * ({@code max(1, min(4, processors / 2))}: 1 on a 2-core node).
 */
public record EsConfig(Durability durability, long syncIntervalMs, long refreshIntervalMs, long flushThresholdSizeBytes,
    TieredMergePolicy.Settings mergePolicy, int mergeMaxThreadCount) {
  public enum Durability { REQUEST, ASYNC }

  public static EsConfig defaults() {
    return new EsConfig(Durability.REQUEST, 5_000, 1_000, 512L * 1024 * 1024, TieredMergePolicy.Settings.defaults(), 1);
  }

  public EsConfig withDurability(Durability d) {
    return new EsConfig(d, syncIntervalMs, refreshIntervalMs, flushThresholdSizeBytes, mergePolicy, mergeMaxThreadCount);
  }

  public EsConfig withFlushThresholdSizeBytes(long bytes) {
    return new EsConfig(durability, syncIntervalMs, refreshIntervalMs, bytes, mergePolicy, mergeMaxThreadCount);
  }

  public EsConfig withRefreshIntervalMs(long ms) {
    return new EsConfig(durability, syncIntervalMs, ms, flushThresholdSizeBytes, mergePolicy, mergeMaxThreadCount);
  }

  public EsConfig withMergePolicy(TieredMergePolicy.Settings settings) {
    return new EsConfig(durability, syncIntervalMs, refreshIntervalMs, flushThresholdSizeBytes, settings, mergeMaxThreadCount);
  }
}
