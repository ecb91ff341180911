package sim.kafka.log;

/**
 * Per-log (topic) settings with Kafka's names. {@code segmentBytes} defaults to 1 GiB in Kafka; scenarios use a
 * few KiB so users see segments roll. {@code flushMessages}/{@code flushMs} are unset in Kafka (Long.MAX_VALUE):
 * no fsync per write; the log is flushed when a segment rolls. Compaction: {@code cleanup.policy} (delete,
 * compact, or both), {@code min.cleanable.dirty.ratio} 0.5, {@code min.compaction.lag.ms} 0,
 * {@code max.compaction.lag.ms} Long.MAX_VALUE, {@code delete.retention.ms} 86400000 (how long a tombstone
 * stays after the clean that first saw it). Retention: {@code retention.ms} 604800000, {@code retention.bytes} -1, and
 * the broker's {@code log.retention.check.interval.ms} 300000 (how often it looks; kept here because every log of a
 * simulated broker shares one config).
 */
public record LogConfig(int segmentBytes, int indexIntervalBytes, long flushMessages, boolean compact, boolean delete,
    double minCleanableDirtyRatio, long minCompactionLagMs, long maxCompactionLagMs, long deleteRetentionMs, long retentionMs,
    long retentionBytes, long retentionCheckIntervalMs) {
  public static final int KAFKA_SEGMENT_BYTES = 1 << 30;
  public static final long UNSET = Long.MAX_VALUE;
  /** {@code log.retention.check.interval.ms}: Kafka's default, 5 minutes. */
  public static final long RETENTION_CHECK_INTERVAL_MS = 300_000L;

  public LogConfig(int segmentBytes, int indexIntervalBytes, long flushMessages) {
    this(segmentBytes, indexIntervalBytes, flushMessages, false, true, 0.5, 0, Long.MAX_VALUE, 86_400_000L, 604_800_000L, -1, RETENTION_CHECK_INTERVAL_MS);
  }

  public static LogConfig defaults() {
    return new LogConfig(KAFKA_SEGMENT_BYTES, 4096, UNSET);
  }

  public static LogConfig simulation() {
    return new LogConfig(16 * 1024, 4096, UNSET);
  }

  public LogConfig withSegmentBytes(int bytes) {
    return new LogConfig(bytes, indexIntervalBytes, flushMessages, compact, delete, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, deleteRetentionMs, retentionMs, retentionBytes, retentionCheckIntervalMs);
  }

  public LogConfig withFlushMessages(long n) {
    return new LogConfig(segmentBytes, indexIntervalBytes, n, compact, delete, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, deleteRetentionMs, retentionMs, retentionBytes, retentionCheckIntervalMs);
  }

  /** {@code cleanup.policy}: "delete", "compact" or "compact,delete". */
  public LogConfig withCleanupPolicy(String policy) {
    boolean c = policy.contains("compact");
    boolean d = policy.contains("delete");
    return new LogConfig(segmentBytes, indexIntervalBytes, flushMessages, c, d, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, deleteRetentionMs, retentionMs, retentionBytes, retentionCheckIntervalMs);
  }

  public LogConfig withDeleteRetentionMs(long ms) {
    return new LogConfig(segmentBytes, indexIntervalBytes, flushMessages, compact, delete, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, ms, retentionMs, retentionBytes, retentionCheckIntervalMs);
  }

  public LogConfig withCompactionLags(long minMs, long maxMs, double dirtyRatio) {
    return new LogConfig(segmentBytes, indexIntervalBytes, flushMessages, compact, delete, dirtyRatio, minMs, maxMs,
        deleteRetentionMs, retentionMs, retentionBytes, retentionCheckIntervalMs);
  }

  public LogConfig withRetention(long ms, long bytes) {
    return new LogConfig(segmentBytes, indexIntervalBytes, flushMessages, compact, delete, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, deleteRetentionMs, ms, bytes, retentionCheckIntervalMs);
  }

  /** {@code log.retention.check.interval.ms}: how often the broker runs retention over its logs. */
  public LogConfig withRetentionCheckIntervalMs(long ms) {
    return new LogConfig(segmentBytes, indexIntervalBytes, flushMessages, compact, delete, minCleanableDirtyRatio, minCompactionLagMs,
        maxCompactionLagMs, deleteRetentionMs, retentionMs, retentionBytes, ms);
  }

  /** {@code segment.ms}, Kafka's default (7 days): a segment rolls when its records span more than this. */
  public static final long SEGMENT_MS = 604_800_000L;

  /**
   * Kafka's {@code LogConfig.maxSegmentMs}: a compacted log with {@code max.compaction.lag.ms} rolls at least
   * that often, so no record waits in the (never cleaned) active segment past its deadline.
   */
  public long maxSegmentMs() {
    return compact && maxCompactionLagMs > 0 ? Math.min(maxCompactionLagMs, SEGMENT_MS) : SEGMENT_MS;
  }

  public String cleanupPolicy() {
    return compact && delete ? "compact,delete" : compact ? "compact" : "delete";
  }
}
