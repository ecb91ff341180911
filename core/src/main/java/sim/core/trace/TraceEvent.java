package sim.core.trace;

import sim.core.Durations;

/**
 * One thing that happened: when (simulated nanoseconds), where (node name, or "sim" for the kernel), what
 * kind ("deliver", "crash", or a model's write-path point like "kafka.leader.append") and the details.
 */
public record TraceEvent(long index, long timeNanos, String node, String kind, String detail) {
  /** A 64-bit hash of the event's content; the trace hash folds these. */
  public long contentHash() {
    long h = 0x9E3779B97F4A7C15L;
    h = mix(h, index);
    h = mix(h, timeNanos);
    h = mix(h, node.hashCode());
    h = mix(h, kind.hashCode());
    h = mix(h, detail.hashCode());
    return h;
  }

  private static long mix(long h, long v) {
    h ^= v;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /** "[  1.250s] n1 kafka.leader.append offset=3": one line of narration. */
  public String narrate() {
    return String.format("[%9s] %-8s %-24s %s", Durations.format(timeNanos), node, kind, detail);
  }
}
