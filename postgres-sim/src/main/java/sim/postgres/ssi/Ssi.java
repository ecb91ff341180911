package sim.postgres.ssi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.sql.SqlException;

/**
 * Serializable Snapshot Isolation after predicate.c: SIREAD locks, rw-antidependency edges, and the
 * dangerous structure T0 -rw-> pivot -rw-> T2 with T2 committed first. Every scan in this model is a
 * sequential scan, which in PostgreSQL takes a relation-level SIREAD lock, so locks are per table.
 */
public final class Ssi {
  public static final String MESSAGE = "could not serialize access due to read/write dependencies among transactions";

  private final Map<String, Set<SerializableXact>> sireadLocks = new LinkedHashMap<>();
  private final Map<Integer, SerializableXact> byXid = new HashMap<>();
  private final List<SerializableXact> active = new ArrayList<>();
  private long lastCommitSeq;

  /** A serializable transaction's first snapshot; {@code readOnly} for BEGIN ... READ ONLY. */
  public SerializableXact begin(String name, boolean readOnly) {
    SerializableXact sx = new SerializableXact(name, lastCommitSeq);
    sx.readOnly = readOnly;
    active.add(sx);
    return sx;
  }

  public void assignXid(SerializableXact sx, int xid) {
    sx.xid = xid;
    byXid.put(xid, sx);
  }

  /** A subtransaction's xid belongs to its top-level transaction (SubTransGetTopmostTransaction). */
  public void assignSubxid(SerializableXact sx, int subxid) {
    byXid.put(subxid, sx);
  }

  /** SIREAD lock target names, as pg_locks would describe them. */
  public static String relation(String table) {
    return "relation " + table;
  }

  public static String tuple(String table, Object tid) {
    return "tuple " + table + " " + tid;
  }

  /** A B-tree leaf page (PredicateLockPage). */
  public static String indexPage(String index, int block) {
    return "page " + index + " " + block;
  }

  /** PredicateLockPageSplit: whoever held a SIREAD lock on the split page holds one on its new right sibling. */
  public void pageSplit(String index, int oldBlock, int newBlock) {
    Set<SerializableXact> holders = sireadLocks.get(indexPage(index, oldBlock));
    if (holders != null) sireadLocks.computeIfAbsent(indexPage(index, newBlock), k -> new LinkedHashSet<>()).addAll(holders);
  }

  /** PredicateLockRelation / PredicateLockPage / PredicateLockTID. */
  public void lock(SerializableXact sx, String target) {
    sireadLocks.computeIfAbsent(target, k -> new LinkedHashSet<>()).add(sx);
  }

  /** Doomed transactions fail at their next read, write or commit. */
  private static void failIfDoomed(SerializableXact me) {
    if (me.doomed) throw new SqlException(SqlException.SERIALIZATION_FAILURE, MESSAGE);
  }

  public void checkReadable(SerializableXact me) {
    failIfDoomed(me);
  }

  /**
   * CheckForSerializableConflictOut: {@code me} read a tuple whose version by {@code writerXid} it could
   * not see (an invisible insert, or an invisible delete of a visible tuple).
   */
  public void conflictOut(SerializableXact me, int writerXid, Snapshot mySnapshot) {
    failIfDoomed(me);
    if (writerXid == me.xid) return;
    SerializableXact writer = byXid.get(writerXid);
    if (writer == null || writer == me || writer.doomed) return; // not serializable, or will roll back
    if (me.readOnly && writer.committed
        && (!writer.conflictOutToCommitted || me.lastCommitBeforeSnapshot < writer.earliestOutConflictCommit)) {
      return; // a read-only transaction will appear to run first
    }
    if (!mySnapshot.isRunning(writerXid)) return; // XidIsConcurrent
    if (me.outConflicts.contains(writer)) return;
    flagRwConflict(me, writer, me);
  }

  /**
   * CheckForSerializableConflictIn: {@code me} writes where these SIREAD targets lie (the tuple, the
   * relation, the index pages it inserts into).
   */
  public void conflictIn(SerializableXact me, List<String> targets) {
    failIfDoomed(me);
    me.didWrite = true;
    for (String target : targets) {
      for (SerializableXact reader : List.copyOf(sireadLocks.getOrDefault(target, Set.of()))) {
        if (reader == me || reader.doomed) continue;
        boolean concurrent = !reader.committed || reader.commitSeq > me.lastCommitBeforeSnapshot;
        if (concurrent && !reader.outConflicts.contains(me)) flagRwConflict(reader, me, me);
      }
    }
  }

  private void flagRwConflict(SerializableXact reader, SerializableXact writer, SerializableXact me) {
    onConflictCheckForSerializationFailure(reader, writer, me);
    reader.outConflicts.add(writer);
    writer.inConflicts.add(reader);
  }

  private static void onConflictCheckForSerializationFailure(SerializableXact reader, SerializableXact writer,
      SerializableXact me) {
    // R -rw-> W -rw-> T2 where W already committed with a conflict out to an earlier commit
    boolean failure = writer.committed && writer.conflictOutToCommitted;
    if (!failure) {
      for (SerializableXact t2 : writer.outConflicts) {
        if (t2.prepared
            && (!reader.committed || t2.prepareSeq <= reader.commitSeq)
            && (!writer.committed || t2.prepareSeq <= writer.commitSeq)
            && (!reader.readOnly || t2.prepareSeq <= reader.lastCommitBeforeSnapshot)) {
          failure = true;
          break;
        }
      }
    }
    // T0 -rw-> R -rw-> W where W is committed or committing
    if (!failure && writer.prepared && !reader.readOnly) {
      for (SerializableXact t0 : reader.inConflicts) {
        if (!t0.doomed
            && (!t0.committed || t0.commitSeq >= writer.prepareSeq)
            && (!t0.readOnly || t0.lastCommitBeforeSnapshot >= writer.prepareSeq)) {
          failure = true;
          break;
        }
      }
    }
    if (!failure) return;
    if (me == writer) throw new SqlException(SqlException.SERIALIZATION_FAILURE, MESSAGE);
    if (writer.prepared) throw new SqlException(SqlException.SERIALIZATION_FAILURE, MESSAGE);
    writer.doomed = true;
  }

  /** PreCommit_CheckForSerializationFailure: dooms a pivot that this commit would complete. */
  public void preCommit(SerializableXact me) {
    failIfDoomed(me);
    for (SerializableXact near : me.inConflicts) {
      if (near.committed || near.doomed) continue;
      for (SerializableXact far : near.inConflicts) {
        if (far == me || (!far.committed && !far.readOnly && !far.doomed)) {
          if (near.prepared) throw new SqlException(SqlException.SERIALIZATION_FAILURE, MESSAGE);
          near.doomed = true;
          break;
        }
      }
    }
    me.prepareSeq = ++lastCommitSeq;
    me.prepared = true;
  }

  /** ReleasePredicateLocks at commit or abort. */
  public void release(SerializableXact me, boolean commit) {
    active.remove(me);
    if (commit) {
      me.committed = true;
      me.commitSeq = ++lastCommitSeq;
      if (!me.didWrite) me.readOnly = true;
      for (SerializableXact w : me.outConflicts) {
        if (w.committed) {
          me.conflictOutToCommitted = true;
          me.earliestOutConflictCommit = Math.min(me.earliestOutConflictCommit, w.prepareSeq);
        }
      }
    } else {
      for (SerializableXact w : me.outConflicts) w.inConflicts.remove(me);
      for (SerializableXact r : me.inConflicts) r.outConflicts.remove(me);
      me.outConflicts.clear();
      me.inConflicts.clear();
      sireadLocks.values().forEach(s -> s.remove(me));
      byXid.remove(me.xid);
    }
    if (active.isEmpty()) { // nobody overlaps the finished transactions any more
      sireadLocks.clear();
      byXid.clear();
    }
  }

  /** For {@code \locks}: SIREAD locks per table. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    sireadLocks.forEach((target, holders) -> {
      if (!holders.isEmpty()) b.append("  SIReadLock ").append(target).append(": ").append(holders).append('\n');
    });
    for (SerializableXact sx : active) {
      if (!sx.outConflicts.isEmpty()) b.append("  rw-conflict ").append(sx).append(" -> ").append(sx.outConflicts).append('\n');
      if (sx.doomed) b.append("  ").append(sx).append(" doomed\n");
    }
    return b.toString();
  }
}
