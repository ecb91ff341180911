package sim.redis.cluster;

import java.util.List;
import sim.redis.command.Command;
import sim.redis.command.CommandTable;
import sim.redis.command.KeySpec;

/**
 * The first step of cluster.c's {@code getNodeByQuery}: the one slot a command's keys hash to, found with the
 * command's key specs (as {@code getKeysFromCommandWithSpecs}). Keys in more than one slot are refused with
 * {@link #CROSSSLOT}, Redis 7.0's exact text. Which node owns the slot (-MOVED/-ASK) is not decided here.
 */
public final class SlotQuery {
  /** The reply when a command's keys hash to different slots (addReplyError in clusterRedirectClient). */
  public static final String CROSSSLOT = "CROSSSLOT Keys in request don't hash to the same slot";
  /** A command with no key arguments: any node may serve it. */
  public static final int NO_KEYS = -1;
  /** The keys hash to more than one slot. */
  public static final int CROSS_SLOT = -2;

  private SlotQuery() {}

  /** The slot of argv's keys, {@link #NO_KEYS}, or {@link #CROSS_SLOT}; an unknown command has no keys. */
  public static int slotOf(List<String> argv) {
    List<String> keys = keys(argv);
    if (keys.isEmpty()) return NO_KEYS;
    int slot = KeySlot.of(keys.get(0));
    for (String key : keys) {
      // Like getNodeByQuery, the first key's slot decides; any other slot is a cross-slot request.
      if (KeySlot.of(key) != slot) return CROSS_SLOT;
    }
    return slot;
  }

  /**
   * getKeysFromCommand: the key arguments, in order (empty for an unknown command or a wrong arity). MIGRATE
   * has its own getkeys_proc (migrateGetKeys): the key argument, or with KEYS the keys after it.
   */
  public static List<String> keys(List<String> argv) {
    Command k = CommandTable.get().lookup(argv);
    if (k == null || !k.arityOk(argv.size())) return List.of();
    if (k.name().equalsIgnoreCase("migrate")) return Migrate.keys(argv);
    List<Integer> pos = KeySpec.keyPositions(k.keySpecs(), argv, k.arity());
    if (pos == null) return List.of();
    return pos.stream().map(argv::get).toList();
  }
}
