package sim.core.net;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Check;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.SimRandom;

/**
 * The simulated network: decides, for each message, whether it arrives, when, and how many times.
 *
 * <p>Links are FIFO by default, like the TCP connections the real systems use: a message never overtakes an
 * earlier one on the same link. Reordering is a fault that lifts that rule. Partitions block directed links;
 * a message is dropped if its link is blocked when it is sent or when it would arrive. A node's messages to
 * itself are never blocked, lost or duplicated.
 */
public final class Network {
  /** Where a message goes: dropped (with why), or delivered after these delays. */
  public record Route(String dropReason, long[] delaysNanos) {
    public boolean dropped() {
      return dropReason != null;
    }
  }

  private record Link(NodeId from, NodeId to) {}

  private final SimRandom random;
  private final Set<Link> blocked = new TreeSet<>((a, b) -> {
    int c = a.from().compareTo(b.from());
    return c != 0 ? c : a.to().compareTo(b.to());
  });
  private final Map<Link, Long> lastArrival = new HashMap<>();
  private final Map<Link, long[]> linkLatency = new HashMap<>();
  private long minLatencyNanos = Durations.micros(500);
  private long maxLatencyNanos = Durations.millis(2);
  private double dropProbability;
  private double duplicateProbability;
  private boolean reorder;

  public Network(SimRandom random) {
    this.random = random;
  }

  // ---- configuration ----

  public void setLatency(long minNanos, long maxNanos) {
    Check.argument(0 <= minNanos && minNanos <= maxNanos, "latency needs 0 <= min <= max");
    this.minLatencyNanos = minNanos;
    this.maxLatencyNanos = maxNanos;
  }

  /** Latency of one direction of one link, overriding the default (a slow WAN link, a far replica). */
  public void setLinkLatency(NodeId from, NodeId to, long minNanos, long maxNanos) {
    Check.argument(0 <= minNanos && minNanos <= maxNanos, "latency needs 0 <= min <= max");
    linkLatency.put(new Link(from, to), new long[] {minNanos, maxNanos});
  }

  public long minLatencyNanos() {
    return minLatencyNanos;
  }

  public long maxLatencyNanos() {
    return maxLatencyNanos;
  }

  public void setDropProbability(double p) {
    Check.argument(p >= 0 && p <= 1, "drop probability must be in [0, 1]");
    this.dropProbability = p;
  }

  public void setDuplicateProbability(double p) {
    Check.argument(p >= 0 && p <= 1, "duplicate probability must be in [0, 1]");
    this.duplicateProbability = p;
  }

  /** With reordering on, messages on one link may overtake each other (latency is drawn independently). */
  public void setReorder(boolean reorder) {
    this.reorder = reorder;
  }

  // ---- partitions ----

  /** Cuts every link between the two groups, both ways. */
  public void partition(Set<NodeId> a, Set<NodeId> b) {
    for (NodeId x : a) for (NodeId y : b) {
      if (x.equals(y)) continue;
      blocked.add(new Link(x, y));
      blocked.add(new Link(y, x));
    }
  }

  /** Cuts one direction only: {@code from} can no longer reach {@code to}, but hears it. */
  public void block(NodeId from, NodeId to) {
    blocked.add(new Link(from, to));
  }

  /**
   * Restores one direction cut by {@link #block} or {@link #partition}, leaving every other fault alone: a
   * scenario that cuts a link for a moment of its own undoes only that cut, not a fault plan's.
   */
  public void unblock(NodeId from, NodeId to) {
    blocked.remove(new Link(from, to));
  }

  /** Restores every link and clears drop, duplicate and reorder faults. */
  public void heal() {
    blocked.clear();
    dropProbability = 0;
    duplicateProbability = 0;
    reorder = false;
  }

  /** Whether a partition cuts the link; a node's link to itself never is (see {@link #route}). */
  public boolean isBlocked(NodeId from, NodeId to) {
    return !blocked.isEmpty() && !from.equals(to) && blocked.contains(new Link(from, to));
  }

  public boolean hasFaults() {
    return !blocked.isEmpty() || dropProbability > 0 || duplicateProbability > 0 || reorder;
  }

  public String describe() {
    StringBuilder b = new StringBuilder();
    b.append("latency ").append(Durations.format(minLatencyNanos)).append("..").append(Durations.format(maxLatencyNanos));
    if (dropProbability > 0) b.append(", drop ").append(dropProbability);
    if (duplicateProbability > 0) b.append(", duplicate ").append(duplicateProbability);
    if (reorder) b.append(", reorder");
    if (!blocked.isEmpty()) {
      b.append(", blocked");
      for (Link l : blocked) b.append(' ').append(l.from()).append("->").append(l.to());
    }
    return b.toString();
  }

  // ---- routing ----

  /**
   * Decides the fate of one message sent now. A node's message to itself crosses no wire: the real systems
   * hand it over in-process (Cassandra's StorageProxy applies the coordinator's own replica write with
   * performLocally, Elasticsearch's TransportService takes sendLocalRequest), so no partition, loss or
   * duplication touches it; it still takes its turn behind what the node sent itself before.
   */
  public Route route(NodeId from, NodeId to, long nowNanos) {
    if (from.equals(to)) return new Route(null, new long[] {arrival(new Link(from, to), nowNanos) - nowNanos});
    if (isBlocked(from, to)) return new Route("partition", null);
    if (random.chance(dropProbability)) return new Route("loss", null);
    int copies = random.chance(duplicateProbability) ? 2 : 1;
    long[] delays = new long[copies];
    for (int i = 0; i < copies; i++) delays[i] = arrival(new Link(from, to), nowNanos) - nowNanos;
    return new Route(null, delays);
  }

  /**
   * The fate of the RST a dying process's operating system sends: blocked links stop it, random loss does not
   * (TCP retransmits until the peer hears it or times out), and it arrives after the data already in flight.
   */
  public Route routeReset(NodeId from, NodeId to, long nowNanos) {
    if (isBlocked(from, to)) return new Route("partition", null);
    return new Route(null, new long[] {arrival(new Link(from, to), nowNanos) - nowNanos});
  }

  private long arrival(Link link, long nowNanos) {
    long[] range = linkLatency.isEmpty() ? null : linkLatency.get(link);
    long min = range == null ? minLatencyNanos : range[0];
    long max = range == null ? maxLatencyNanos : range[1];
    long at = nowNanos + random.nextLong(min, max + 1);
    if (reorder) return at;
    Long last = lastArrival.get(link);
    if (last != null && last > at) at = last;
    lastArrival.put(link, at);
    return at;
  }
}
