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

  default void abort(int xid) {}
}
