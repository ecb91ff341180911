package sim.postgres.engine;

import sim.postgres.mvcc.Snapshot;
import sim.postgres.sql.Ast.IsolationLevel;
import sim.postgres.ssi.SerializableXact;

/** A session's current transaction: its xid (assigned at the first write), level, snapshot, command id. */
public final class Transaction {
  int xid;
  IsolationLevel level;
  final boolean explicit;
  /** The transaction snapshot (REPEATABLE READ, SERIALIZABLE), taken by the first statement. */
  Snapshot txSnapshot;
  /** The snapshot of the statement running now. */
  Snapshot statementSnapshot;
  int curcid;
  boolean cidUsed;
  /** An error aborted this transaction block: every command but ROLLBACK/COMMIT fails with 25P02. */
  boolean failed;
  boolean firstStatementRun;
  boolean readOnly;
  SerializableXact ssi;

  Transaction(IsolationLevel level, boolean explicit) {
    this.level = level;
    this.explicit = explicit;
  }

  public int xid() {
    return xid;
  }

  public IsolationLevel level() {
    return level;
  }

  public Snapshot snapshot() {
    return statementSnapshot != null ? statementSnapshot : txSnapshot;
  }

  public boolean failed() {
    return failed;
  }

  public int curcid() {
    return curcid;
  }
}
