package sim.es.engine;

/**
 * One shard's settings, with Elasticsearch's names and defaults: {@code index.translog.durability}
 * ({@code request}: fsync the translog before acknowledging; {@code async}: fsync every
 * {@code index.translog.sync_interval}, 5 s), {@code index.refresh_interval} (1 s) and
 * {@code index.translog.flush_threshold_size} (512 MB; the lessons set it small so flushes happen).
 */
public record EsConfig(Durability durability, long syncIntervalMs, long refreshIntervalMs, long flushThresholdSizeBytes) {
  public enum Durability { REQUEST, ASYNC }

  public static EsConfig defaults() {
    return new EsConfig(Durability.REQUEST, 5_000, 1_000, 512L * 1024 * 1024);
  }

  public EsConfig withDurability(Durability d) {
    return new EsConfig(d, syncIntervalMs, refreshIntervalMs, flushThresholdSizeBytes);
  }

  public EsConfig withFlushThresholdSizeBytes(long bytes) {
    return new EsConfig(durability, syncIntervalMs, refreshIntervalMs, bytes);
  }

  public EsConfig withRefreshIntervalMs(long ms) {
    return new EsConfig(durability, syncIntervalMs, ms, flushThresholdSizeBytes);
  }
}
