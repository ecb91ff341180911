package sim.cassandra.gossip;

import java.util.List;

/**
 * An endpoint's {@code STATUS} application state as gossip carries it: the value ({@code BOOT},
 * {@code NORMAL}, {@code LEAVING}, {@code LEFT}, as {@code VersionedValue} spells them) with the tokens it
 * names, stamped with the heartbeat (generation, version) it was set at, so the newer one wins a merge.
 */
public record EndpointStatus(HeartbeatState stamp, String status, List<Long> tokens) {
  public static final String BOOT = "BOOT";
  public static final String NORMAL = "NORMAL";
  public static final String LEAVING = "LEAVING";
  public static final String LEFT = "LEFT";

  public EndpointStatus {
    tokens = List.copyOf(tokens);
  }

  public boolean newerThan(EndpointStatus o) {
    return o == null || stamp.newerThan(o.stamp);
  }

  @Override
  public String toString() {
    return status + "@" + stamp + " (" + tokens.size() + " tokens)";
  }
}
