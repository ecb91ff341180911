package sim.postgres.engine;

import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;

/** Where heap changes and transaction ends are reported for WAL logging; the default logs nothing. */
public interface HeapLog {
  HeapLog NONE = new HeapLog() {};

  default void insert(Table table, Tid tid, HeapTuple tuple) {}

  default void update(Table table, Tid oldTid, HeapTuple oldTuple, Tid newTid, HeapTuple newTuple, boolean hot) {}

  default void delete(Table table, Tid tid, HeapTuple tuple) {}

  default void lock(Table table, Tid tid, HeapTuple tuple) {}

  default void commit(int xid) {}

  /** The catalog changed (CREATE/DROP): DDL is made durable at once. */
  default void catalogChanged(java.util.Map<String, Table> tables) {}

  /** A page VACUUM rewrote (pruned, froze or marked all-visible). */
  default void vacuumed(Table table, int block) {}

  default void abort(int xid) {}
}
