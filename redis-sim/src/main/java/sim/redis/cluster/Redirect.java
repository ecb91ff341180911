package sim.redis.cluster;

import java.util.List;

/**
 * The rest of getNodeByQuery and clusterRedirectClient: the owner of the command's slot serves it; any other
 * node answers -MOVED with the owner's address; an unowned slot or a cluster in state fail gives -CLUSTERDOWN.
 * Redis 7.0's exact texts.
 */
public final class Redirect {
  public static final String DOWN = "CLUSTERDOWN The cluster is down";
  public static final String UNBOUND = "CLUSTERDOWN Hash slot not served";

  private Redirect() {}

  /** -MOVED slot ip:port; a simulated node's address is its name. */
  public static String moved(int slot, String node) {
    return moved(slot, node, 6379);
  }

  /** clusterRedirectClient's "-%s %d %s:%d" for MOVED. */
  public static String moved(int slot, String endpoint, int port) {
    return "MOVED " + slot + " " + endpoint + ":" + port;
  }

  /** The error (without '-' and CRLF) this node answers {@code argv} with, or null to execute it. */
  static String check(ClusterState state, List<String> argv) {
    int slot = SlotQuery.slotOf(argv);
    if (slot == SlotQuery.NO_KEYS) return null; // no key at all: served anywhere
    if (slot == SlotQuery.CROSS_SLOT) return SlotQuery.CROSSSLOT;
    String owner = state.slots[slot];
    if (owner == null) return UNBOUND;
    if (!state.ok) return DOWN; // cluster-allow-reads-when-down no
    if (!owner.equals(state.myself)) return moved(slot, owner);
    return null;
  }
}
