package sim.cassandra.gossip;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;

/**
 * Cassandra's phi accrual failure detector ({@code FailureDetector}): for each endpoint it keeps the
 * intervals between heartbeats (the last 1000), and phi = (now − last heartbeat) / mean interval, scaled
 * by 1/ln(10) as Cassandra's {@code PHI_FACTOR}. The endpoint is convicted (marked DOWN) when phi passes
 * {@code phi_convict_threshold} (8). With one-second gossip that is roughly 18 s of silence.
 */
public final class PhiAccrualFailureDetector {
  public static final double PHI_FACTOR = 1.0 / Math.log(10.0);
  public static final int SAMPLE_SIZE = 1000;
  /** {@code cassandra.fd_initial_value_ms}: the interval assumed before any has been measured. */
  public static final long INITIAL_VALUE_NANOS = 2_000_000_000L;
  /** {@code cassandra.fd_max_interval_ms}: longer gaps are not recorded as intervals. */
  public static final long MAX_INTERVAL_NANOS = 2_000_000_000L;

  private final double phiConvictThreshold;
  private final Map<NodeId, ArrayDeque<Long>> intervals = new TreeMap<>();
  private final Map<NodeId, Long> lastHeartbeat = new TreeMap<>();

  public PhiAccrualFailureDetector(double phiConvictThreshold) {
    this.phiConvictThreshold = phiConvictThreshold;
  }

  public void report(NodeId ep, long nowNanos) {
    Long last = lastHeartbeat.put(ep, nowNanos);
    ArrayDeque<Long> q = intervals.computeIfAbsent(ep, k -> {
      ArrayDeque<Long> d = new ArrayDeque<>();
      d.add(INITIAL_VALUE_NANOS);
      return d;
    });
    if (last == null) return;
    long gap = nowNanos - last;
    if (gap <= MAX_INTERVAL_NANOS) {
      if (q.size() >= SAMPLE_SIZE) q.removeFirst();
      q.addLast(gap);
    }
  }

  public double phi(NodeId ep, long nowNanos) {
    Long last = lastHeartbeat.get(ep);
    if (last == null) return 0;
    double mean = intervals.get(ep).stream().mapToLong(Long::longValue).average().orElse(INITIAL_VALUE_NANOS);
    return PHI_FACTOR * (nowNanos - last) / mean;
  }

  public boolean isAlive(NodeId ep, long nowNanos) {
    return lastHeartbeat.containsKey(ep) && phi(ep, nowNanos) <= phiConvictThreshold;
  }

  public void forget(NodeId ep) {
    intervals.remove(ep);
    lastHeartbeat.remove(ep);
  }
}
