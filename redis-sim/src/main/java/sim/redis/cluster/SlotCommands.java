package sim.redis.cluster;

import java.util.List;
import java.util.Locale;
import sim.redis.resp.Numbers;

/**
 * clusterCommand's resharding subcommands, Redis 7.0's rules and error texts: CLUSTER SETSLOT slot
 * MIGRATING|IMPORTING node / STABLE / NODE node, CLUSTER COUNTKEYSINSLOT slot, CLUSTER GETKEYSINSLOT slot count.
 * Each returns the whole RESP reply. SETSLOT NODE on the importing node bumps its configEpoch without consensus
 * and broadcasts a PONG, so the new owner's claim wins everywhere by the configEpoch rule.
 */
final class SlotCommands {
  static final String NOT_INTEGER = "ERR value is not an integer or out of range";

  private final ClusterState state;
  private final ClusterBus bus;

  SlotCommands(ClusterState state, ClusterBus bus) {
    this.state = state;
    this.bus = bus;
  }

  private static String error(String text) {
    return "-" + text + "\r\n";
  }

  /** getSlotOrReply. */
  private static int slot(String arg) {
    Long v = Numbers.parseLong(arg);
    return v == null || v < 0 || v >= Slots.COUNT ? -1 : (int) (long) v;
  }

  /** CLUSTER SETSLOT (argc >= 4 checked by the command's arity). */
  String setslot(List<String> argv) {
    if (!state.me().master) return error("ERR Please use SETSLOT only with masters.");
    int slot = slot(argv.get(2));
    if (slot < 0) return error("ERR Invalid or out of range slot");
    String action = argv.get(3).toLowerCase(Locale.ROOT);
    String reply;
    if (action.equals("migrating") && argv.size() == 5) reply = migrating(slot, argv.get(4));
    else if (action.equals("importing") && argv.size() == 5) reply = importing(slot, argv.get(4));
    else if (action.equals("stable") && argv.size() == 4) reply = stable(slot);
    else if (action.equals("node") && argv.size() == 5) reply = node(slot, argv.get(4));
    else return error("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
    if (reply != null) return reply;
    state.host.saveConfig(); // CLUSTER_TODO_SAVE_CONFIG|CLUSTER_TODO_UPDATE_STATE
    state.updateState();
    return "+OK\r\n";
  }

  /** The error for a node that cannot be a migration's other end, or null. */
  private String unusable(String name, String unknownText) {
    NodeView n = state.node(name);
    if (n == null) return error(unknownText + " " + name);
    if (!n.master) return error("ERR Target node is not a master");
    return null;
  }

  private String migrating(int slot, String target) {
    if (!state.myself.equals(state.slots[slot])) return error("ERR I'm not the owner of hash slot " + slot);
    String e = unusable(target, "ERR I don't know about node");
    if (e != null) return e;
    state.migratingTo[slot] = target;
    state.host.point("redis.cluster.setslot", "slot " + slot + " MIGRATING to " + target, "slot", slot, "action", "migrating", "node", target);
    return null;
  }

  private String importing(int slot, String source) {
    if (state.myself.equals(state.slots[slot])) return error("ERR I'm already the owner of hash slot " + slot);
    String e = unusable(source, "ERR I don't know about node");
    if (e != null) return e;
    state.importingFrom[slot] = source;
    state.host.point("redis.cluster.setslot", "slot " + slot + " IMPORTING from " + source, "slot", slot, "action", "importing", "node", source);
    return null;
  }

  private String stable(int slot) {
    state.importingFrom[slot] = null;
    state.migratingTo[slot] = null;
    state.host.point("redis.cluster.setslot", "slot " + slot + " STABLE", "slot", slot, "action", "stable", "node", "");
    return null;
  }

  private String node(int slot, String owner) {
    String e = unusable(owner, "ERR Unknown node");
    if (e != null) return e;
    int keys = state.host.keysInSlot(slot).size();
    boolean wasMine = state.myself.equals(state.slots[slot]);
    if (wasMine && !owner.equals(state.myself) && keys != 0) {
      return error("ERR Can't assign hashslot " + slot + " to a different node while I still hold keys for this hash slot.");
    }
    if (keys == 0 && state.migratingTo[slot] != null) state.migratingTo[slot] = null;
    state.addSlot(owner, slot);
    state.host.point("redis.cluster.setslot", "slot " + slot + " NODE " + owner, "slot", slot, "action", "node", "node", owner);
    NodeView me = state.me();
    if (wasMine && !owner.equals(state.myself) && me.slots.isEmpty()) { // cluster-allow-replica-migration yes
      state.host.point("redis.cluster.reconfigured", "Configuration change detected. Reconfiguring myself as a replica of " + owner,
          "master", owner, "configEpoch", state.node(owner).configEpoch);
      state.setMyMaster(owner);
    }
    if (owner.equals(state.myself) && state.importingFrom[slot] != null) {
      if (state.bumpConfigEpochWithoutConsensus()) {
        state.host.point("redis.cluster.epoch-bumped", "configEpoch updated after importing slot " + slot, "configEpoch", me.configEpoch);
      }
      state.importingFrom[slot] = null;
      bus.broadcastPong(false); // let the other nodes know as soon as possible
    }
    return null;
  }

  /** CLUSTER COUNTKEYSINSLOT slot. */
  String countKeysInSlot(List<String> argv) {
    Long slot = Numbers.parseLong(argv.get(2));
    if (slot == null) return error(NOT_INTEGER);
    if (slot < 0 || slot >= Slots.COUNT) return error("ERR Invalid slot");
    return ":" + state.host.keysInSlot((int) (long) slot).size() + "\r\n";
  }

  /** CLUSTER GETKEYSINSLOT slot count. */
  String getKeysInSlot(List<String> argv) {
    Long slot = Numbers.parseLong(argv.get(2));
    if (slot == null) return error(NOT_INTEGER);
    Long max = Numbers.parseLong(argv.get(3));
    if (max == null) return error(NOT_INTEGER);
    if (slot < 0 || slot >= Slots.COUNT || max < 0) return error("ERR Invalid slot or number of keys");
    List<String> keys = state.host.keysInSlot((int) (long) slot);
    int n = (int) Math.min(max, keys.size());
    StringBuilder sb = new StringBuilder("*").append(n).append("\r\n");
    for (String k : keys.subList(0, n)) sb.append('$').append(k.length()).append("\r\n").append(k).append("\r\n");
    return sb.toString();
  }
}
