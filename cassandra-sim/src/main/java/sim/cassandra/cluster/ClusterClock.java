package sim.cassandra.cluster;

import sim.core.NodeContext;

/**
 * A node's wall clock as Cassandra reads it for write timestamps (microseconds since the epoch) and
 * {@code nowInSec}: the simulation starts at 2026-01-01T00:00:00Z, and each node's clock carries its own
 * skew, so a node whose clock runs ahead stamps writes that win last-write-wins later.
 */
public final class ClusterClock {
  public static final long EPOCH_SECONDS = 1_767_225_600L;

  private ClusterClock() {}

  public static long micros(NodeContext ctx) {
    return EPOCH_SECONDS * 1_000_000L + Math.floorDiv(ctx.localTimeNanos(), 1000L);
  }
}
