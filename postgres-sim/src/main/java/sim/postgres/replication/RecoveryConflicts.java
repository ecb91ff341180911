package sim.postgres.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import sim.postgres.engine.Database;
import sim.postgres.engine.StandbyBackends;
import sim.postgres.mvcc.Xids;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalRecord;

/**
 * Hot standby's snapshot conflicts (standby.c ResolveRecoveryConflictWithSnapshot and
 * ResolveRecoveryConflictWithVirtualXIDs): before the startup process replays a record that removes row
 * versions (a prune with a latestRemovedXid), every standby transaction whose xmin is not after that xid
 * may still need them. Replay waits for each in turn, polling (1 ms, doubling up to 1 s), until it ends or
 * the limit time passes: the WAL's receipt time plus max_standby_streaming_delay. Then it is cancelled
 * with SQLSTATE 40001. Meanwhile nothing after the record is replayed: the standby's replay LSN stays put
 * while its write and flush LSNs move on.
 */
final class RecoveryConflicts {
  /** max_standby_streaming_delay's default (30 s). */
  static final long DEFAULT_MAX_STANDBY_STREAMING_DELAY_NANOS = 30_000_000_000L;
  static final String DETAIL_SNAPSHOT = "User query might have needed to see row versions that must be removed.";
  private static final long STANDBY_INITIAL_WAIT_NANOS = 1_000_000L; // STANDBY_INITIAL_WAIT_US
  private static final long STANDBY_MAX_WAIT_NANOS = 1_000_000_000L;
  private static final long AFTER_CANCEL_NANOS = 5_000_000L; // pg_usleep(5000) so as not to flood the backend

  private final WalReceiver.Host host;
  private final String standby;
  private final Supplier<Database> db;
  private final long maxDelayNanos;
  /** --break pg.standby-ignores-conflicts: replay removes the versions at once, whoever still reads them. */
  private final boolean ignore;
  private Waiting waiting;

  /** One record's resolution in progress: what is still waited for, and when it may be cancelled. */
  private static final class Waiting {
    final long lsn;
    final int limitXmin;
    final List<StandbyBackends.Vxid> list;
    final long deadlineNanos;
    final long startNanos;
    long sleepNanos = STANDBY_INITIAL_WAIT_NANOS;
    int cancelled;
    boolean done;

    Waiting(long lsn, int limitXmin, List<StandbyBackends.Vxid> list, long deadlineNanos, long startNanos) {
      this.lsn = lsn;
      this.limitXmin = limitXmin;
      this.list = new ArrayList<>(list);
      this.deadlineNanos = deadlineNanos;
      this.startNanos = startNanos;
    }
  }

  RecoveryConflicts(WalReceiver.Host host, String standby, Supplier<Database> db, long maxDelayNanos, boolean ignore) {
    this.host = host;
    this.standby = standby;
    this.db = db;
    this.maxDelayNanos = maxDelayNanos;
    this.ignore = ignore;
  }

  /** Whether a record is waiting for standby queries now. */
  boolean waiting() {
    return waiting != null && !waiting.done;
  }

  /**
   * Whether {@code e} may be replayed now. If not, a wait has started (or goes on) and {@code resume} runs
   * once every conflicting transaction is gone.
   */
  boolean clear(Wal.Entry e, long receiptNanos, Runnable resume) {
    if (!(e.record() instanceof WalRecord.Vacuum v) || v.conflictXid() == 0 || ignore) return true;
    if (waiting != null && waiting.lsn == e.lsn()) {
      if (!waiting.done) return false;
      waiting = null;
      return true;
    }
    Database d = db.get();
    List<StandbyBackends.Vxid> list = d == null ? List.of() : StandbyBackends.conflicting(d, v.conflictXid());
    if (list.isEmpty()) return true;
    long deadline = maxDelayNanos < 0 ? Long.MAX_VALUE : receiptNanos + maxDelayNanos;
    waiting = new Waiting(e.lsn(), v.conflictXid(), list, deadline, host.nowNanos());
    host.point("pg.standby.conflict.wait", standby + ": replay of " + v + " at " + Wal.formatLsn(e.lsn()) + " waits for "
        + list + " (xmin " + Xids.format(StandbyBackends.xminOf(d, list.get(0))) + " <= latestRemovedXid " + Xids.format(v.conflictXid())
        + "), at most until max_standby_streaming_delay after the WAL's receipt", "standby", standby, "lsn", Wal.formatLsn(e.lsn()),
        "latestRemovedXid", Xids.format(v.conflictXid()), "sessions", list.toString());
    poll(waiting, resume);
    return false;
  }

  /** One turn of the wait loop: next transaction, cancel at the limit time, or sleep a little longer. */
  private void poll(Waiting w, Runnable resume) {
    if (w != waiting) return; // a restart or promotion dropped this wait
    Database d = db.get();
    while (!w.list.isEmpty() && (d == null || StandbyBackends.ended(d, w.list.get(0)))) {
      w.list.remove(0);
      w.sleepNanos = STANDBY_INITIAL_WAIT_NANOS; // reset for each transaction waited for
    }
    if (w.list.isEmpty()) {
      w.done = true;
      host.point("pg.standby.conflict.resolved", standby + ": the conflicting transactions are gone after "
          + (host.nowNanos() - w.startNanos) / 1_000_000 + " ms" + (w.cancelled > 0 ? " (" + w.cancelled + " cancelled)" : "")
          + "; replay goes on", "standby", standby, "lsn", Wal.formatLsn(w.lsn), "cancelled", w.cancelled,
          "waitedNanos", host.nowNanos() - w.startNanos);
      resume.run();
      return;
    }
    long delay;
    if (host.nowNanos() >= w.deadlineNanos) {
      StandbyBackends.Vxid v = w.list.get(0);
      w.cancelled++;
      host.point("pg.standby.conflict.cancel", standby + ": max_standby_streaming_delay exceeded; canceling " + v
          + " (SQLSTATE 40001: " + DETAIL_SNAPSHOT + ")", "standby", standby, "session", v.session(), "lsn", Wal.formatLsn(w.lsn),
          "latestRemovedXid", Xids.format(w.limitXmin));
      StandbyBackends.cancel(d, v, DETAIL_SNAPSHOT);
      delay = AFTER_CANCEL_NANOS;
    } else {
      delay = w.sleepNanos;
      w.sleepNanos = Math.min(w.sleepNanos * 2, STANDBY_MAX_WAIT_NANOS);
    }
    host.schedule(delay, "recovery conflict wait", () -> poll(w, resume));
  }

  String describe() {
    return waiting() ? ", replay waiting for " + waiting.list + " (recovery conflict at " + Wal.formatLsn(waiting.lsn) + ")" : "";
  }
}
