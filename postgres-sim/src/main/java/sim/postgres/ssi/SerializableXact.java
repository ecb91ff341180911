package sim.postgres.ssi;

import java.util.LinkedHashSet;
import java.util.Set;

/** SSI's per-transaction state (SERIALIZABLEXACT in predicate.c). */
public final class SerializableXact {
  final String name;
  int xid;
  /** Commits that happened before this transaction's snapshot (SeqNo.lastCommitBeforeSnapshot). */
  final long lastCommitBeforeSnapshot;
  /** Transactions that read something this one wrote: edges reader -rw-> this. */
  final Set<SerializableXact> inConflicts = new LinkedHashSet<>();
  /** Transactions that wrote something this one read: edges this -rw-> writer. */
  final Set<SerializableXact> outConflicts = new LinkedHashSet<>();
  boolean doomed;
  boolean prepared;
  boolean committed;
  boolean readOnly;
  boolean didWrite;
  boolean conflictOutToCommitted;
  long earliestOutConflictCommit = Long.MAX_VALUE;
  long prepareSeq;
  long commitSeq;

  SerializableXact(String name, long lastCommitBeforeSnapshot) {
    this.name = name;
    this.lastCommitBeforeSnapshot = lastCommitBeforeSnapshot;
  }

  @Override
  public String toString() {
    return name + (xid != 0 ? "(xid " + xid + ")" : "");
  }
}
