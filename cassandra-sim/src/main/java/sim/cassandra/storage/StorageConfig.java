package sim.cassandra.storage;

/**
 * A replica's storage settings, with cassandra.yaml's names and defaults: {@code commitlog_sync} periodic
 * every {@code commitlog_sync_period} 10000 ms, {@code commitlog_sync_group_window} 1000 ms (for group),
 * {@code commitlog_segment_size} 32 MiB, the memtable flush threshold (real Cassandra flushes when the
 * memtable space, a quarter of the heap, passes {@code memtable_cleanup_threshold}; here a byte count), and
 * {@code bloom_filter_fp_chance} 0.01.
 */
public record StorageConfig(CommitLogSync commitlogSync, long commitlogSyncPeriodMs, long commitlogSyncGroupWindowMs,
    long commitlogSegmentSizeBytes, long memtableFlushThresholdBytes, double bloomFilterFpChance) {

  public static StorageConfig defaults() {
    return new StorageConfig(CommitLogSync.PERIODIC, 10_000, 1_000, 32L << 20, 4L << 20, 0.01);
  }

  public StorageConfig withSync(CommitLogSync sync) {
    return new StorageConfig(sync, commitlogSyncPeriodMs, commitlogSyncGroupWindowMs, commitlogSegmentSizeBytes, memtableFlushThresholdBytes, bloomFilterFpChance);
  }

  public StorageConfig withMemtableFlushThresholdBytes(long bytes) {
    return new StorageConfig(commitlogSync, commitlogSyncPeriodMs, commitlogSyncGroupWindowMs, commitlogSegmentSizeBytes, bytes, bloomFilterFpChance);
  }

  public StorageConfig withSegmentSizeBytes(long bytes) {
    return new StorageConfig(commitlogSync, commitlogSyncPeriodMs, commitlogSyncGroupWindowMs, bytes, memtableFlushThresholdBytes, bloomFilterFpChance);
  }
}
