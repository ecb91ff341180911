package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.mvcc.Xids;
import sim.postgres.sql.SqlException;

/**
 * A hot standby's backends as its startup process sees them in the proc array: which transactions a
 * replayed removal conflicts with (GetConflictingVirtualXIDs), whether one has ended (VirtualXactLock),
 * cancelling one (CancelVirtualTransaction), and the oldest xmin for hot_standby_feedback
 * (GetReplicationHorizons).
 */
public final class StandbyBackends {
  /** A virtual transaction id: one session's current transaction. */
  public record Vxid(String session, Transaction tx) {
    @Override
    public String toString() {
      return session;
    }
  }

  private StandbyBackends() {}

  /** A backend's xmin: its snapshot's, none when it holds no snapshot or its block already failed (the snapshot is gone). */
  private static int xmin(Session s) {
    Transaction tx = s.tx;
    if (tx == null || tx.failed) return 0;
    Snapshot snap = tx.snapshot();
    return snap == null ? 0 : snap.xmin();
  }

  /**
   * GetConflictingVirtualXIDs: the transactions whose xmin is not after {@code limitXmin}: their snapshots
   * may still need versions whose deleter is at most {@code limitXmin}. In session order (the proc array's).
   */
  public static List<Vxid> conflicting(Database db, int limitXmin) {
    List<Vxid> out = new ArrayList<>();
    for (Session s : db.sessions.values()) {
      int xmin = xmin(s);
      if (xmin != 0 && !Xids.follows(xmin, limitXmin)) out.add(new Vxid(s.name, s.tx));
    }
    return out;
  }

  /** Whether the transaction has ended (or at least dropped its snapshot by failing). */
  public static boolean ended(Database db, Vxid v) {
    Session s = db.sessions.get(v.session());
    return s == null || s.tx != v.tx() || xmin(s) == 0;
  }

  /** The xmin the transaction holds, for the trace. */
  public static int xminOf(Database db, Vxid v) {
    Session s = db.sessions.get(v.session());
    return s == null ? 0 : xmin(s);
  }

  /** CancelVirtualTransaction with PROCSIG_RECOVERY_CONFLICT_SNAPSHOT. */
  public static void cancel(Database db, Vxid v, String detail) {
    Session s = db.sessions.get(v.session());
    if (s != null && s.tx == v.tx()) cancelForRecoveryConflict(db, s, detail);
  }

  /**
   * ProcessInterrupts for a recovery conflict (RecoveryConflictInterrupt, postgres.c): a running statement
   * outside a subtransaction is cancelled with ERROR; a session idle in its transaction, or inside a
   * subtransaction, loses its connection (FATAL). Both are SQLSTATE 40001 with the conflict's DETAIL.
   */
  static void cancelForRecoveryConflict(Database db, Session s, String detail) {
    if (s.tx == null || s.tx.failed) return; // IsAbortedTransactionBlockState: nothing left to cancel
    if (s.isBusy() && s.tx.innermost() == null) {
      s.sleeping = false;
      s.waitSeq++;
      db.failStatement(s, new SqlException(SqlException.SERIALIZATION_FAILURE, "canceling statement due to conflict with recovery"));
      db.complete(s, new Result.Error(SqlException.SERIALIZATION_FAILURE, "canceling statement due to conflict with recovery", detail));
      return;
    }
    Transaction tx = s.tx;
    s.tx = null;
    db.abort(s, tx);
    s.terminated = detail;
    if (s.isBusy()) {
      s.sleeping = false;
      s.waitSeq++;
      db.complete(s, terminatedError(s));
    }
  }

  /** The FATAL the client reads at its next use of a connection the server ended; the session starts afresh. */
  static Result terminatedError(Session s) {
    String detail = s.terminated;
    s.terminated = null;
    return new Result.Error(SqlException.SERIALIZATION_FAILURE, "terminating connection due to conflict with recovery", detail);
  }

  /**
   * The standby's oldest xmin for a hot standby feedback message: the oldest snapshot xmin of its
   * backends, else the next xid the replayed WAL implies (nothing older can be needed by a new snapshot).
   */
  public static int oldestXmin(Database db) {
    int horizon = db.clog.takeSnapshot().xmin();
    for (Session s : db.sessions.values()) {
      int xmin = xmin(s);
      if (xmin != 0 && Xids.precedes(xmin, horizon)) horizon = xmin;
    }
    return horizon;
  }
}
