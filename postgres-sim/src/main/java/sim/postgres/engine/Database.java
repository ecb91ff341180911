package sim.postgres.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sim.core.Check;
import sim.core.Durations;
import sim.postgres.heap.Table;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.Snapshot;
import sim.postgres.mvcc.Visibility;
import sim.postgres.mvcc.Xids;
import sim.postgres.sql.Ast.Begin;
import sim.postgres.sql.Ast.Commit;
import sim.postgres.sql.Ast.IsolationLevel;
import sim.postgres.sql.Ast.ReleaseSavepoint;
import sim.postgres.sql.Ast.Rollback;
import sim.postgres.sql.Ast.RollbackTo;
import sim.postgres.sql.Ast.Savepoint;
import sim.postgres.sql.Ast.SetTransaction;
import sim.postgres.sql.Ast.SetVariable;
import sim.postgres.sql.Ast.Stmt;
import sim.postgres.sql.Parser;
import sim.postgres.sql.SqlException;
import sim.postgres.ssi.Ssi;
import sim.postgres.vacuum.Vacuum;

/**
 * One PostgreSQL instance's transaction core: catalog, heap, commit log, MultiXacts, SSI and the sessions
 * running statements against them. A statement that must wait for another transaction suspends its
 * session (no threads); it resumes, through the clock, when that transaction commits or aborts. A waiter
 * still waiting after {@code deadlockTimeoutNanos} runs the deadlock check once, like PostgreSQL.
 */
public final class Database {
  public static final long DEFAULT_DEADLOCK_TIMEOUT_NANOS = Durations.seconds(1);
  private static final int VACUUM_REPORTS_KEPT = 50;

  final SharedState state;
  final Map<String, Table> tables;
  final Clog clog;
  final MultiXacts multis;
  final Visibility visibility;
  final RowOps rowOps;
  final Ssi ssi = new Ssi();
  final Clock clock;
  final HeapLog log;
  long deadlockTimeoutNanos = DEFAULT_DEADLOCK_TIMEOUT_NANOS;
  IsolationLevel defaultLevel = IsolationLevel.READ_COMMITTED;
  final Map<String, Session> sessions = new LinkedHashMap<>();
  final LockWaits lockWaits = new LockWaits(this);
  private final Subtransactions subtransactions = new Subtransactions(this);
  private final List<Vacuum.Report> vacuumReports = new ArrayList<>();
  /** --break pg.vacuum-ignores-snapshots: VACUUM's horizon counts running xids but not snapshots' xmin. */
  private boolean vacuumIgnoresSnapshots;
  /** --break pg.no-ssi: SERIALIZABLE takes no SIREAD locks and checks no rw-conflicts (it is REPEATABLE READ). */
  private boolean ssiDisabled;
  /** --break pg.brin-insert-skips-summary: brininsert leaves a summarized range's summary as it was. */
  private boolean brinInsertSkipsSummary;
  private PointSink points;
  /** The walsenders' xmin from hot standby feedback (a walsender's PROC_AFFECTS_ALL_HORIZONS xmin), 0 when none. */
  private java.util.function.IntSupplier replicationXmin = () -> 0;
  /** A hot standby (RecoveryInProgress): transactions are read-only, pages are never pruned or vacuumed. */
  private boolean recoveryInProgress;

  /** Lock-wait and outcome points with structured attributes ("pg.lock.wait", "pg.deadlock", ...). */
  public interface PointSink {
    void point(String name, String detail, Object... attributes);
  }

  /** A volatile instance: nothing is logged, every commit is durable at once (unit tests, schedules). */
  public Database(Clock clock) {
    this(clock, new SharedState(), HeapLog.NONE);
  }

  /** An instance on recovered state whose changes go to {@code log} (the WAL, built first). */
  public Database(Clock clock, SharedState state, HeapLog log) {
    this.clock = clock;
    this.state = state;
    this.tables = state.tables;
    this.clog = state.clog;
    this.multis = state.multis;
    this.log = log;
    this.visibility = new Visibility(clog, multis);
    this.visibility.setCommitHintAllowed(log::commitHintAllowed);
    this.rowOps = new RowOps(clog, multis);
    for (Table t : tables.values()) {
      for (Table.Index ix : t.indexes) {
        sim.postgres.nbtree.BTree tree = state.btree(ix.name());
        if (tree != null) tree.setSplitListener((tr, left, right) -> ssi.pageSplit(tr.name, left, right));
      }
    }
  }

  public void setDeadlockTimeoutNanos(long nanos) {
    deadlockTimeoutNanos = nanos;
  }

  public void setVacuumIgnoresSnapshots(boolean broken) {
    vacuumIgnoresSnapshots = broken;
  }

  public void setBrinInsertSkipsSummary(boolean broken) {
    brinInsertSkipsSummary = broken;
    for (sim.postgres.brin.BrinIndex ix : state.brins.values()) ix.setInsertSkipsSummary(broken);
  }

  boolean brinInsertSkipsSummary() {
    return brinInsertSkipsSummary;
  }

  public void setSsiDisabled(boolean broken) {
    ssiDisabled = broken;
  }

  /** On a hot standby the startup process owns the pages: every transaction is read-only (25006). */
  public void setRecoveryInProgress(boolean inRecovery) {
    recoveryInProgress = inRecovery;
  }

  public boolean recoveryInProgress() {
    return recoveryInProgress;
  }

  public void setReplicationXmin(java.util.function.IntSupplier xmin) {
    replicationXmin = xmin;
  }

  public void setPointSink(PointSink points) {
    this.points = points;
  }

  void point(String name, java.util.function.Supplier<String> detail, Object... attributes) {
    if (points != null) points.point(name, detail.get(), attributes);
  }

  /** Makes a new index's B-tree known: scans find it, its splits carry SIREAD locks, the WAL logs it. */
  void registerIndex(Table table, Table.Index ix, sim.postgres.nbtree.BTree tree) {
    state.btrees.put(ix.name(), tree);
    tree.setSplitListener((t, left, right) -> ssi.pageSplit(t.name, left, right));
    log.indexCreated(table, ix, tree);
  }

  /** lazy VACUUM of one table against the current horizon; the report is kept for VACUUM VERBOSE-like views. */
  public Vacuum.Report vacuum(Table table, boolean freeze) {
    int horizon = vacuumIgnoresSnapshots ? clog.oldestRunning() : oldestXmin();
    Vacuum.Report r = Vacuum.run(table, freeze, horizon, visibility, multis, (block, conflict) -> log.vacuumed(table, block, conflict),
        dead -> table.indexes.forEach(ix -> state.btree(ix.name()).bulkDelete(dead::contains)));
    BrinIndexes.vacuumed(this, table);
    vacuumReports.add(r);
    if (vacuumReports.size() > VACUUM_REPORTS_KEPT) vacuumReports.remove(0);
    return r;
  }

  /**
   * heap_page_prune_opt: reading a page prunes it when something on it may have become removable
   * (pd_prune_xid older than the horizon) and it is nearly full (PD_PAGE_FULL, or less than a tenth of
   * the page free).
   */
  void pruneOnRead(Table table, sim.postgres.heap.HeapPage page) {
    if (page.pruneXid == 0 || recoveryInProgress) return; // heap_page_prune_opt: never during recovery
    if (!page.full && page.heapFreeSpace() >= Math.max(table.saveFreeSpace(), sim.postgres.heap.HeapPage.BLCKSZ / 10)) return;
    int horizon = oldestXmin();
    if (!Xids.precedes(page.pruneXid, horizon)) return;
    sim.postgres.vacuum.Prune.Result r = sim.postgres.vacuum.Prune.prune(page, horizon, visibility, multis);
    if (!r.changed()) return;
    log.vacuumed(table, page.blockNumber, r.latestRemovedXid());
    point("pg.prune", () -> table.name + " block " + page.blockNumber + ": pruned on read, " + r.deleted() + " dead versions removed",
        "relation", table.name, "block", page.blockNumber, "removed", r.deleted());
  }

  public List<Vacuum.Report> vacuumReports() {
    return vacuumReports;
  }

  public SharedState sharedState() {
    return state;
  }

  public HeapLog heapLog() {
    return log;
  }

  public Clog clog() {
    return clog;
  }

  public MultiXacts multis() {
    return multis;
  }

  public Visibility visibility() {
    return visibility;
  }

  public Ssi ssi() {
    return ssi;
  }

  public Map<String, Table> tables() {
    return tables;
  }

  public Table table(String name) {
    return tables.get(name);
  }

  public Map<String, Session> sessions() {
    return sessions;
  }

  public Session session(String name) {
    return sessions.computeIfAbsent(name, Session::new);
  }

  /** The oldest xmin any running transaction's snapshot (or xid) may still need: VACUUM's horizon. */
  public int oldestXmin() {
    int horizon = clog.nextXid();
    for (Session s : sessions.values()) {
      Transaction tx = s.tx;
      if (tx == null) continue;
      if (tx.xid != 0 && Xids.precedes(tx.xid, horizon)) horizon = tx.xid;
      Snapshot snap = tx.snapshot();
      if (snap != null && Xids.precedes(snap.xmin(), horizon)) horizon = snap.xmin();
    }
    int standby = replicationXmin.getAsInt();
    if (standby != 0 && Xids.precedes(standby, horizon)) horizon = standby;
    return horizon;
  }

  /** Runs one SQL statement on a session; {@code done} gets its result now or when it stops waiting. */
  public void submit(String sessionName, String sql, Consumer<Result> done) {
    Session s = session(sessionName);
    if (s.isBusy()) {
      s.queue.add(new Session.Pending(sql, done));
      return;
    }
    start(s, sql, done);
  }

  /** Convenience for callers that never block (tests, setup): runs and returns the result. */
  public Result execute(String sessionName, String sql) {
    Result[] out = new Result[1];
    submit(sessionName, sql, r -> out[0] = r);
    if (out[0] == null) throw new IllegalStateException("statement is waiting: " + sql);
    return out[0];
  }

  /** Runs an already parsed statement (a prepared statement): the benchmark's way in. */
  public Result executeParsed(String sessionName, Stmt stmt) {
    Session s = session(sessionName);
    Check.state(!s.isBusy(), "session %s is busy", sessionName);
    Result[] out = new Result[1];
    s.runningDone = r -> out[0] = r;
    s.running = PLACEHOLDER;
    startParsed(s, stmt);
    if (out[0] == null) throw new IllegalStateException("statement is waiting: " + stmt);
    return out[0];
  }

  private static final Execution PLACEHOLDER = () -> new Execution.Done(new Result.Ok());

  private void start(Session s, String sql, Consumer<Result> done) {
    s.runningDone = done;
    s.running = PLACEHOLDER; // the session is busy while the statement starts
    if (s.terminated != null) {
      complete(s, StandbyBackends.terminatedError(s));
      return;
    }
    Stmt stmt;
    try {
      stmt = Parser.parse(sql);
    } catch (SqlException e) {
      finishWithError(s, e);
      return;
    }
    startParsed(s, stmt);
  }

  private void startParsed(Session s, Stmt stmt) {
    if (transactionControl(s, stmt)) return;
    if (s.tx != null && s.tx.failed) {
      complete(s, new Result.Error(SqlException.IN_FAILED_TRANSACTION,
          "current transaction is aborted, commands ignored until end of transaction block"));
      return;
    }
    if (s.tx == null) s.tx = new Transaction(defaultLevel, false);
    Transaction tx = s.tx;
    if (recoveryInProgress) tx.readOnly = true; // a standby's transactions are all read-only
    try {
      takeStatementSnapshot(s, tx);
      s.running = Executor.create(this, s, tx, stmt);
    } catch (SqlException e) {
      finishWithError(s, e);
      return;
    }
    drive(s);
  }

  private void takeStatementSnapshot(Session s, Transaction tx) {
    tx.firstStatementRun = true;
    if (tx.level.usesTransactionSnapshot()) {
      if (tx.txSnapshot == null) tx.txSnapshot = clog.takeSnapshot();
      tx.statementSnapshot = tx.txSnapshot;
    } else {
      tx.statementSnapshot = clog.takeSnapshot();
    }
    if (tx.level == IsolationLevel.SERIALIZABLE && tx.ssi == null && !ssiDisabled) {
      tx.ssi = ssi.begin(s.name, tx.readOnly);
      if (tx.xid != 0) ssi.assignXid(tx.ssi, tx.xid);
    }
  }

  private void sleep(Session s, long nanos) {
    s.sleeping = true;
    long seq = ++s.waitSeq;
    clock.schedule(nanos, "pg_sleep " + s.name, () -> {
      if (s.waitSeq != seq || !s.sleeping) return;
      s.sleeping = false;
      drive(s);
    });
  }

  /** BEGIN, SET TRANSACTION, COMMIT, ROLLBACK: handles them (now or when the commit is durable) and returns true. */
  private boolean transactionControl(Session s, Stmt stmt) {
    Result ok = new Result.Ok();
    if (stmt instanceof Savepoint || stmt instanceof ReleaseSavepoint || stmt instanceof RollbackTo) {
      complete(s, subtransactions.control(s, stmt));
      return true;
    }
    if (stmt instanceof SetVariable sv) {
      complete(s, SessionSettings.set(s, sv));
      return true;
    }
    if (stmt instanceof Begin b) {
      if (s.tx == null) {
        s.tx = new Transaction(b.level() != null ? b.level() : defaultLevel, true);
        s.tx.readOnly = Boolean.TRUE.equals(b.readOnly());
      }
      complete(s, ok); // BEGIN inside a block only warns
      return true;
    }
    if (stmt instanceof SetTransaction st) {
      if (s.tx == null || !s.tx.explicit) { // WARNING: SET TRANSACTION can only be used in transaction blocks
        complete(s, ok);
        return true;
      }
      if (s.tx.failed) return false;
      if (st.level() != null && s.tx.firstStatementRun) {
        complete(s, new Result.Error(SqlException.ACTIVE_SQL_TRANSACTION,
            "SET TRANSACTION ISOLATION LEVEL must be called before any query"));
        return true;
      }
      if (st.level() != null) s.tx.level = st.level();
      if (st.readOnly() != null) s.tx.readOnly = st.readOnly();
      complete(s, ok);
      return true;
    }
    if (stmt instanceof Commit) {
      Transaction tx = s.tx;
      s.tx = null;
      if (tx == null) {
        complete(s, ok); // a WARNING: there is no transaction in progress
      } else if (tx.failed) {
        abort(s, tx); // reported as ROLLBACK
        complete(s, ok);
      } else {
        commitThenComplete(s, tx, ok);
      }
      return true;
    }
    if (stmt instanceof Rollback) {
      if (s.tx != null) abort(s, s.tx);
      s.tx = null;
      complete(s, ok);
      return true;
    }
    return false;
  }

  /** Runs the session's statement until it finishes or waits. */
  void drive(Session s) {
    Execution.Step step;
    try {
      step = s.running.run();
    } catch (SqlException e) {
      finishWithError(s, e);
      return;
    }
    if (step instanceof Execution.Wait w) lockWaits.startWaiting(s, w);
    else if (step instanceof Execution.Sleep sl) sleep(s, sl.nanos());
    else finishStatement(s, ((Execution.Done) step).result());
  }

  private void finishStatement(Session s, Result result) {
    Transaction tx = s.tx;
    if (tx.cidUsed) {
      tx.curcid++;
      tx.cidUsed = false;
    }
    if (!tx.explicit) {
      s.tx = null;
      commitThenComplete(s, tx, result);
      return;
    }
    tx.statementSnapshot = tx.level.usesTransactionSnapshot() ? tx.txSnapshot : null;
    complete(s, result);
  }

  void finishWithError(Session s, SqlException e) {
    failStatement(s, e);
    complete(s, new Result.Error(e.sqlState(), e.getMessage()));
  }

  /** An error aborts the transaction at once (its locks go); an explicit block stays, failed, until ROLLBACK. */
  void failStatement(Session s, SqlException e) {
    Transaction tx = s.tx;
    if (tx == null) return;
    Transaction.Subxact sub = tx.explicit ? tx.innermost() : null;
    if (sub != null) {
      subtransactions.abort(sub); // the innermost savepoint level aborts; the block waits for ROLLBACK TO
    } else {
      abort(s, tx);
    }
    if (tx.explicit) tx.failed = true;
    else s.tx = null;
  }

  void complete(Session s, Result result) {
    Consumer<Result> done = s.runningDone;
    s.running = null;
    s.runningDone = null;
    done.accept(result);
    Session.Pending next = s.queue.poll();
    if (next == null) return;
    // the client sends its next statement after this reply: transactions woken meanwhile go first
    s.running = PLACEHOLDER;
    clock.schedule(0, "pg.next " + s.name, () -> start(s, next.sql(), next.done()));
  }

  /**
   * AssignTransactionId: the xid a write stamps. The top level gets one at its first write; inside a
   * savepoint the innermost subtransaction gets one too (its parents first), recorded in pg_subtrans.
   */
  int assignXid(Session s, Transaction tx) {
    if (tx.xid == 0) {
      tx.xid = clog.assign();
      lockWaits.own(tx.xid, s);
      if (tx.ssi != null) ssi.assignXid(tx.ssi, tx.xid);
    }
    int parent = tx.xid;
    for (Transaction.Subxact sub : tx.subxacts) {
      if (sub.subxid == 0) {
        sub.subxid = clog.assignSubxact(parent, tx.xid);
        tx.allSubxids.add(sub.subxid);
        lockWaits.own(sub.subxid, s);
        if (tx.ssi != null) ssi.assignSubxid(tx.ssi, sub.subxid);
      }
      parent = sub.subxid;
    }
    return parent;
  }

  /**
   * CommitTransaction: SSI's pre-commit check, then RecordTransactionCommit (the commit record, and with
   * synchronous_commit=on the wait for XLogFlush through the durability door), and only then the commit
   * becomes visible (pg_xact, the proc array), locks go and the client hears {@code result}. While the
   * flush is in flight the transaction still counts as running for everyone else.
   */
  private void commitThenComplete(Session s, Transaction tx, Result result) {
    try {
      if (tx.ssi != null) ssi.preCommit(tx.ssi);
    } catch (SqlException e) {
      abort(s, tx);
      complete(s, new Result.Error(e.sqlState(), e.getMessage()));
      return;
    }
    if (tx.xid == 0) { // read-only: nothing to log or flush
      committed(s, tx);
      complete(s, result);
      return;
    }
    int xid = tx.xid;
    List<Integer> subxids = tx.committingSubxids();
    long endLsn = log.logCommit(xid, subxids);
    log.flushCommit(xid, endLsn, s.synchronousCommit, () -> {
      for (int sub : subxids) clog.commit(sub);
      clog.commit(xid);
      s.lastCommitXid = xid;
      s.lastCommitLsn = endLsn;
      committed(s, tx);
      complete(s, result);
    });
  }

  private void committed(Session s, Transaction tx) {
    if (tx.ssi != null) ssi.release(tx.ssi, true);
    ended(tx);
  }

  void abort(Session s, Transaction tx) {
    if (tx.aborted) return;
    tx.aborted = true;
    if (tx.xid != 0) {
      for (Transaction.Subxact sub : tx.subxacts) subtransactions.abort(sub);
      for (int sub : tx.releasedSubxids) clog.abort(sub);
      log.abort(tx.xid);
      clog.abort(tx.xid);
    }
    if (tx.ssi != null) ssi.release(tx.ssi, false);
    tx.ssi = null;
    ended(tx);
  }

  /** Wakes every statement waiting for this transaction or one of its subtransactions, in the order they started waiting. */
  private void ended(Transaction tx) {
    if (tx.xid == 0) return;
    lockWaits.ended(tx.xid);
    for (int sub : tx.allSubxids) lockWaits.ended(sub);
  }

  /** The transaction a session has open, or null. */
  public Transaction transactionOf(String session) {
    Session s = sessions.get(session);
    return s == null ? null : s.tx;
  }

  /** The session that owns a running xid, or null. */
  public String ownerOf(int xid) {
    return lockWaits.ownerOf(xid);
  }

  /** Who waits for whom, for {@code \\locks}. */
  public List<String> describeWaits() {
    return lockWaits.describe();
  }

  int newOid() {
    return state.newOid();
  }
}
