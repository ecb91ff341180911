package sim.kafka.log;

/**
 * Per-log settings with Kafka's names. {@code segmentBytes} defaults to 1 GiB in Kafka; scenarios use a few
 * KiB so users see segments roll. {@code flushMessages}/{@code flushMs} are unset in Kafka (Long.MAX_VALUE):
 * no fsync per write; the log is flushed when a segment rolls.
 */
public record LogConfig(int segmentBytes, int indexIntervalBytes, long flushMessages) {
  public static final int KAFKA_SEGMENT_BYTES = 1 << 30;
  public static final long UNSET = Long.MAX_VALUE;

  public static LogConfig defaults() {
    return new LogConfig(KAFKA_SEGMENT_BYTES, 4096, UNSET);
  }

  public static LogConfig simulation() {
    return new LogConfig(16 * 1024, 4096, UNSET);
  }

  public LogConfig withSegmentBytes(int bytes) {
    return new LogConfig(bytes, indexIntervalBytes, flushMessages);
  }

  public LogConfig withFlushMessages(long n) {
    return new LogConfig(segmentBytes, indexIntervalBytes, n);
  }
}
