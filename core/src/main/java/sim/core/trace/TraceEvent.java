package sim.core.trace;

import java.util.List;

/**
 * One thing that happened: when (simulated nanoseconds), where (node name, or "sim" for the kernel), what
 * kind ("deliver", "crash", or a model's write-path point like "kafka.leader.append") and the details.
 *
 * <p>Beside the human {@code detail}, typed fields for tools: a message event ({@code send}, {@code deliver},
 * {@code drop}) names {@code from}, {@code to}, the message type and an id shared by the send and its
 * deliveries or drop; a write-path point carries its attributes as key, value pairs in the order the model
 * gave them. Fields that do not apply are null, -1 or empty.
 */
public record TraceEvent(long index, long timeNanos, String node, String kind, String detail, String from, String to,
    String messageType, long messageId, List<Object> attributes) {

  public TraceEvent {
    attributes = attributes == null || attributes.isEmpty() ? List.of() : attributes;
  }

  public TraceEvent(long index, long timeNanos, String node, String kind, String detail) {
    this(index, timeNanos, node, kind, detail, null, null, null, -1, List.of());
  }

  public boolean isMessage() {
    return messageId >= 0;
  }

  /** The value of attribute {@code key}, or null. */
  public Object attribute(String key) {
    for (int i = 0; i + 1 < attributes.size(); i += 2) if (attributes.get(i).equals(key)) return attributes.get(i + 1);
    return null;
  }

  /** A 64-bit hash of the event's content; the trace hash folds these. */
  public long contentHash() {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, index);
    h = mix(h, timeNanos);
    h = mix(h, node.hashCode());
    h = mix(h, kind.hashCode());
    h = mix(h, detail.hashCode());
    if (messageId >= 0) {
      h = mix(h, messageId);
      h = mix(h, messageType.hashCode());
    }
    for (Object a : attributes) h = mix(h, a instanceof Long || a instanceof Integer ? ((Number) a).longValue() : String.valueOf(a).hashCode());
    return h;
  }

  private static long mix(long h, long v) {
    h ^= v;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /** "[  1.250s] n1 kafka.leader.append offset=3": one line of narration. */
  public String narrate() {
    return EventFormat.PLAIN.format(this);
  }
}
