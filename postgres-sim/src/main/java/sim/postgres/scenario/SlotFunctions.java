package sim.postgres.scenario;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sim.postgres.engine.Result;
import sim.postgres.replication.ReplicationSlots;
import sim.postgres.wal.Storage;
import sim.postgres.wal.WalRetention;

/** slotfuncs.c's SQL functions and the pg_replication_slots view, answered by the server itself. */
final class SlotFunctions {
  private static final Pattern CREATE = Pattern.compile("select (?:\\* from )?pg_create_physical_replication_slot\\('([^']*)'\\)");
  private static final Pattern DROP = Pattern.compile("select pg_drop_replication_slot\\('([^']*)'\\)");

  private SlotFunctions() {}

  /** Answers {@code q} (lower case, spaces collapsed) if it is one of these; false otherwise. */
  static boolean answer(String q, ReplicationSlots slots, Storage storage, Consumer<Result> done) {
    Matcher create = CREATE.matcher(q);
    Matcher drop = DROP.matcher(q);
    boolean view = q.startsWith("select ") && q.endsWith(" from pg_replication_slots");
    if (!create.matches() && !drop.matches() && !view) return false;
    if (slots == null || storage == null) {
      done.accept(new Result.Error("55000", "replication slots are not available while this server is a standby in this model"));
    } else if (create.matches()) {
      done.accept(slots.create(create.group(1)));
    } else if (drop.matches()) {
      done.accept(slots.drop(drop.group(1)));
    } else {
      done.accept(slots.select(ReplicationSlots.columnsOf(q), storage.retention(), storage.wal().writtenLsn()));
    }
    return true;
  }

  /**
   * What the checkpointer is told of the slots; with {@code --break pg.checkpoint-ignores-slots} KeepLogSeg
   * hears of no restart_lsn at all (the slots are still saved), so a standby's WAL goes with the next checkpoint.
   */
  static WalRetention.Slots forCheckpointer(ReplicationSlots slots, boolean ignoreSlots) {
    if (!ignoreSlots) return slots;
    return new WalRetention.Slots() {
      @Override
      public long minimumRestartLsn() {
        return 0;
      }

      @Override
      public List<String> invalidateObsolete(long oldestLsn) {
        return List.of();
      }

      @Override
      public void checkpoint() {
        slots.checkpoint();
      }
    };
  }
}
