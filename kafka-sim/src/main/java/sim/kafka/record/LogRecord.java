package sim.kafka.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One record of a batch as a reader sees it: its absolute offset and timestamp, key, value and headers.
 * Key and value may be null. When building a batch the offset is ignored (the batch assigns deltas).
 */
public record LogRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
  public LogRecord {
    headers = List.copyOf(headers);
  }

  public static LogRecord of(long timestamp, String key, String value) {
    return new LogRecord(0, timestamp, bytes(key), bytes(value), List.of());
  }

  public String keyText() {
    return text(key);
  }

  public String valueText() {
    return text(value);
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LogRecord r && offset == r.offset && timestamp == r.timestamp && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value) && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(offset) * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return offset + ":" + keyText() + "=" + valueText() + (headers.isEmpty() ? "" : " " + headers);
  }
}
