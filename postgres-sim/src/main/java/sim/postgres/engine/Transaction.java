package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.mvcc.CurrentXids;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.sql.Ast.IsolationLevel;
import sim.postgres.ssi.SerializableXact;

/**
 * A session's current transaction: its xid (assigned at the first write), level, snapshot, command id, and
 * its open subtransactions (SAVEPOINT), each with its own xid once it writes.
 */
public final class Transaction implements CurrentXids {
  /** One open savepoint level; {@code released} are the xids of inner levels RELEASE merged into it. */
  static final class Subxact {
    final String name;
    int subxid;
    boolean aborted;
    final List<Integer> released = new ArrayList<>();

    Subxact(String name) {
      this.name = name;
    }
  }

  int xid;
  /** Open subtransactions, innermost last. */
  final List<Subxact> subxacts = new ArrayList<>();
  /** Subtransaction xids released into the top level: they commit or abort with it. */
  final List<Integer> releasedSubxids = new ArrayList<>();
  /** Every subtransaction xid ever assigned (to wake whoever waits for one when the transaction ends). */
  final List<Integer> allSubxids = new ArrayList<>();
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
  /** AbortTransaction ran (an error with no savepoint to fall back on, or ROLLBACK). */
  boolean aborted;
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

  @Override
  public boolean isCurrent(int x) {
    if (x == 0) return false;
    if (x == xid) return true;
    if (releasedSubxids.contains(x)) return true;
    for (Subxact s : subxacts) {
      if (s.aborted) continue;
      if (s.subxid == x || s.released.contains(x)) return true;
    }
    return false;
  }

  /** The subtransaction xids that commit with the top level: released ones and those still open. */
  List<Integer> committingSubxids() {
    List<Integer> out = new ArrayList<>(releasedSubxids);
    for (Subxact s : subxacts) {
      if (s.aborted) continue;
      if (s.subxid != 0) out.add(s.subxid);
      out.addAll(s.released);
    }
    return out;
  }

  Subxact innermost() {
    return subxacts.isEmpty() ? null : subxacts.get(subxacts.size() - 1);
  }

  /** The innermost open savepoint called {@code name}, as an index into {@link #subxacts}, or -1. */
  int savepoint(String name) {
    for (int i = subxacts.size() - 1; i >= 0; i--) if (subxacts.get(i).name.equals(name)) return i;
    return -1;
  }

  /** How many savepoint levels are open (for \snapshot). */
  public int nestingLevel() {
    return subxacts.size();
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
