package sim.kafka.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A record header: a string key and a byte value (may be null), as in DefaultRecord. */
public record Header(String key, byte[] value) {
  public static Header of(String key, String value) {
    return new Header(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return key + "=" + LogRecord.text(value);
  }
}
