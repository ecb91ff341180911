package sim.postgres.engine;

import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;

/**
 * Where the engine reports heap changes and transaction ends for WAL logging, and how a commit becomes
 * durable. {@link #NONE} logs nothing: a volatile instance whose commits are durable at once.
 */
public interface HeapLog {
  HeapLog NONE = new HeapLog() {};

  default void insert(Table table, Tid tid, HeapTuple tuple) {}

  default void update(Table table, Tid oldTid, HeapTuple oldTuple, Tid newTid, HeapTuple newTuple, boolean hot) {}

  default void delete(Table table, Tid tid, HeapTuple tuple) {}

  default void lock(Table table, Tid tid, HeapTuple tuple) {}

  /**
   * RecordTransactionCommit, first half: logs the commit record (with the subtransaction xids that commit
   * with it) and returns its end LSN (0 when nothing is logged).
   */
  default long logCommit(int xid, java.util.List<Integer> subxids) {
    return 0;
  }

  /**
   * RecordTransactionCommit, second half: runs {@code durable} once the commit may be reported: after
   * XLogFlush({@code endLsn}) with {@code synchronous_commit=on}, at once with {@code off}.
   */
  default void flushCommit(int xid, long endLsn, Runnable durable) {
    durable.run();
  }

  /**
   * The same, for a session that SET synchronous_commit ({@code level} one of off, local, remote_write, on,
   * remote_apply; null for the server's setting).
   */
  default void flushCommit(int xid, long endLsn, String level, Runnable durable) {
    flushCommit(xid, endLsn, durable);
  }

  default void abort(int xid) {}

  /** The catalog changed (CREATE/DROP): DDL is made durable at once. */
  default void catalogChanged(java.util.Map<String, Table> tables) {}

  /**
   * A page VACUUM or pruning rewrote (pruned, froze or marked all-visible); {@code conflictXid} is the
   * record's latestRemovedXid, the horizon hot standby queries conflict with (0: none).
   */
  default void vacuumed(Table table, int block, int conflictXid) {}

  /** A new index's B-tree: its changes are to be logged from now on. */
  default void indexCreated(Table table, Table.Index ix, sim.postgres.nbtree.BTree tree) {}

  /** A new BRIN index: its changes are to be logged from now on. */
  default void brinCreated(Table table, sim.postgres.brin.BrinIndex index) {}

  /** CHECKPOINT. */
  default void checkpoint() {}

  /**
   * Whether a committed xid's hint bit may be set yet: not before its commit record is flushed (with
   * synchronous_commit=off a written page could otherwise outlive the commit in a crash).
   */
  default boolean commitHintAllowed(int xid) {
    return true;
  }
}
