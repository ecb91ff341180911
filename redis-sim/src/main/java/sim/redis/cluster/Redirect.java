package sim.redis.cluster;

import java.util.List;
import java.util.function.Predicate;
import sim.redis.command.Command;
import sim.redis.command.CommandTable;

/**
 * The rest of getNodeByQuery and clusterRedirectClient, Redis 7.0's order and texts: an unowned slot gives
 * -CLUSTERDOWN Hash slot not served, keys in several slots -CROSSSLOT, a cluster in state fail -CLUSTERDOWN The
 * cluster is down. During a resharding the slot's open state decides: on the MIGRATING source a key it no longer
 * has is asked for on the target (-ASK), and a multi-key request with some keys here and some gone is -TRYAGAIN;
 * on the IMPORTING target a command after ASKING (or RESTORE-ASKING) is served, any other is -MOVED to the owner.
 */
public final class Redirect {
  public static final String DOWN = "CLUSTERDOWN The cluster is down";
  public static final String UNBOUND = "CLUSTERDOWN Hash slot not served";
  public static final String TRYAGAIN = "TRYAGAIN Multiple keys request during rehashing of slot";

  private Redirect() {}

  /** -MOVED slot ip:port; a simulated node's address is its name. */
  public static String moved(int slot, String node) {
    return moved(slot, node, 6379);
  }

  /** clusterRedirectClient's "-%s %d %s:%d" for MOVED. */
  public static String moved(int slot, String endpoint, int port) {
    return "MOVED " + slot + " " + endpoint + ":" + port;
  }

  /** clusterRedirectClient's "-%s %d %s:%d" for ASK. */
  public static String ask(int slot, String endpoint, int port) {
    return "ASK " + slot + " " + endpoint + ":" + port;
  }

  /** Outside a migration (tests): as {@link #check(ClusterState, List, boolean, Predicate)} with no key present. */
  static String check(ClusterState state, List<String> argv) {
    return check(state, argv, false, key -> false);
  }

  /**
   * The error (without '-' and CRLF) this node answers {@code argv} with, or null to execute it. {@code asking}:
   * the client sent ASKING before this command; {@code exists}: lookupKeyReadWithFlags in db 0.
   */
  static String check(ClusterState state, List<String> argv, boolean asking, Predicate<String> exists) {
    List<String> keys = SlotQuery.keys(argv);
    if (keys.isEmpty()) return null; // no key at all: served anywhere
    int slot = KeySlot.of(keys.get(0));
    String owner = state.slots[slot];
    if (owner == null) return UNBOUND;
    boolean migrating = owner.equals(state.myself) && state.migratingTo[slot] != null;
    boolean importing = !migrating && state.importingFrom[slot] != null;
    boolean multipleKeys = false;
    int missing = 0;
    int existing = 0;
    for (String key : keys) {
      if (KeySlot.of(key) != slot) return SlotQuery.CROSSSLOT;
      if (!key.equals(keys.get(0))) multipleKeys = true;
      if (!migrating && !importing) continue;
      if (exists.test(key)) existing++;
      else missing++;
    }
    if (!state.ok) return DOWN; // cluster-allow-reads-when-down no
    Command cmd = CommandTable.get().lookup(argv);
    if ((migrating || importing) && cmd.name().equalsIgnoreCase("migrate")) return null;
    if (migrating && missing > 0) return existing > 0 ? TRYAGAIN : ask(slot, state.migratingTo[slot], 6379);
    if (importing && (asking || cmd.hasFlag("ASKING"))) return multipleKeys && missing > 0 ? TRYAGAIN : null;
    if (!owner.equals(state.myself)) return moved(slot, owner);
    return null;
  }
}
