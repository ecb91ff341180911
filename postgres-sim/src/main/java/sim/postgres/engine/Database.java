package sim.postgres.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
import sim.postgres.sql.Ast.Rollback;
import sim.postgres.sql.Ast.SetTransaction;
import sim.postgres.sql.Ast.Stmt;
import sim.postgres.sql.Parser;
import sim.postgres.sql.SqlException;
import sim.postgres.ssi.Ssi;

/**
 * One PostgreSQL instance's transaction core: catalog, heap, commit log, MultiXacts, SSI and the sessions
 * running statements against them. A statement that must wait for another transaction suspends its
 * session (no threads); it resumes, through the clock, when that transaction commits or aborts. A waiter
 * still waiting after {@code deadlockTimeoutNanos} runs the deadlock check once, like PostgreSQL.
 */
public final class Database {
  public static final long DEFAULT_DEADLOCK_TIMEOUT_NANOS = Durations.seconds(1);

  final Map<String, Table> tables = new TreeMap<>();
  final Clog clog = new Clog();
  final MultiXacts multis = new MultiXacts();
  final Visibility visibility = new Visibility(clog, multis);
  final RowOps rowOps = new RowOps(clog, multis);
  final Ssi ssi = new Ssi();
  final Clock clock;
  HeapLog log = HeapLog.NONE;
  long deadlockTimeoutNanos = DEFAULT_DEADLOCK_TIMEOUT_NANOS;
  IsolationLevel defaultLevel = IsolationLevel.READ_COMMITTED;
  final Map<String, Session> sessions = new LinkedHashMap<>();
  final Map<Integer, Session> xidOwner = new HashMap<>();
  final Map<Integer, List<Session>> waiters = new HashMap<>();
  int nextOid = 16384;
  final List<sim.postgres.vacuum.Vacuum.Report> vacuumReports = new ArrayList<>();
  /** What VACUUM runs; the default is the lazy vacuum of sim.postgres.vacuum. */
  Consumer<VacuumRequest> vacuum = r -> {
    vacuumReports.add(sim.postgres.vacuum.Vacuum.run(this, r.table(), r.freeze(), log));
    if (vacuumReports.size() > 50) vacuumReports.remove(0);
  };
  /** Called by CHECKPOINT; installed by the WAL. */
  java.util.function.Supplier<Result> checkpoint = Result.Ok::new;

  public record VacuumRequest(Table table, boolean freeze) {}

  public Database(Clock clock) {
    this.clock = clock;
  }

  public void setDeadlockTimeoutNanos(long nanos) {
    deadlockTimeoutNanos = nanos;
  }

  private java.util.function.BiConsumer<String, String> points;

  /** Lock-wait points ("pg.lock.wait", "pg.lock.wake", "pg.deadlock") go here. */
  public void setPointSink(java.util.function.BiConsumer<String, String> points) {
    this.points = points;
  }

  private void point(String name, java.util.function.Supplier<String> detail) {
    if (points != null) points.accept(name, detail.get());
  }

  public void setHeapLog(HeapLog log) {
    this.log = log;
  }

  public void setCheckpoint(java.util.function.Supplier<Result> checkpoint) {
    this.checkpoint = checkpoint;
  }

  public void setVacuum(Consumer<VacuumRequest> vacuum) {
    this.vacuum = vacuum;
  }

  public List<sim.postgres.vacuum.Vacuum.Report> vacuumReports() {
    return vacuumReports;
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
    Result control = transactionControl(s, stmt);
    if (control != null) {
      complete(s, control);
      return;
    }
    if (s.tx != null && s.tx.failed) {
      complete(s, new Result.Error(SqlException.IN_FAILED_TRANSACTION,
          "current transaction is aborted, commands ignored until end of transaction block"));
      return;
    }
    if (s.tx == null) s.tx = new Transaction(defaultLevel, false);
    Transaction tx = s.tx;
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
    if (tx.level == IsolationLevel.SERIALIZABLE && tx.ssi == null) {
      tx.ssi = ssi.begin(s.name, tx.readOnly);
      if (tx.xid != 0) ssi.assignXid(tx.ssi, tx.xid);
    }
  }

  /** BEGIN, SET TRANSACTION, COMMIT, ROLLBACK; null for any other statement. */
  private Result transactionControl(Session s, Stmt stmt) {
    Result ok = new Result.Ok();
    if (stmt instanceof Begin b) {
      if (s.tx == null) {
        s.tx = new Transaction(b.level() != null ? b.level() : defaultLevel, true);
        s.tx.readOnly = Boolean.TRUE.equals(b.readOnly());
      }
      return ok; // BEGIN inside a block only warns
    }
    if (stmt instanceof SetTransaction st) {
      if (s.tx == null || !s.tx.explicit) return ok; // WARNING: SET TRANSACTION can only be used in transaction blocks
      if (s.tx.failed) return null;
      if (st.level() != null && s.tx.firstStatementRun) {
        return new Result.Error(SqlException.ACTIVE_SQL_TRANSACTION,
            "SET TRANSACTION ISOLATION LEVEL must be called before any query");
      }
      if (st.level() != null) s.tx.level = st.level();
      if (st.readOnly() != null) s.tx.readOnly = st.readOnly();
      return ok;
    }
    if (stmt instanceof Commit) {
      if (s.tx == null) return ok; // WARNING: there is no transaction in progress
      Transaction tx = s.tx;
      s.tx = null;
      if (tx.failed) return ok; // reported as ROLLBACK
      try {
        commit(s, tx);
      } catch (SqlException e) {
        abort(s, tx);
        return new Result.Error(e.sqlState(), e.getMessage());
      }
      return ok;
    }
    if (stmt instanceof Rollback) {
      if (s.tx != null && !s.tx.failed) abort(s, s.tx);
      s.tx = null;
      return ok;
    }
    return null;
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
    if (step instanceof Execution.Wait w) startWaiting(s, w);
    else finishStatement(s, ((Execution.Done) step).result());
  }

  private void finishStatement(Session s, Result result) {
    Transaction tx = s.tx;
    if (tx.cidUsed) {
      tx.curcid++;
      tx.cidUsed = false;
    }
    if (!tx.explicit) {
      try {
        commit(s, tx);
      } catch (SqlException e) {
        abort(s, tx);
        result = new Result.Error(e.sqlState(), e.getMessage());
      }
      s.tx = null;
    } else {
      tx.statementSnapshot = tx.level.usesTransactionSnapshot() ? tx.txSnapshot : null;
    }
    complete(s, result);
  }

  private void finishWithError(Session s, SqlException e) {
    failStatement(s, e);
    complete(s, new Result.Error(e.sqlState(), e.getMessage()));
  }

  /** An error aborts the transaction at once (its locks go); an explicit block stays, failed, until ROLLBACK. */
  private void failStatement(Session s, SqlException e) {
    Transaction tx = s.tx;
    if (tx == null) return;
    if (!tx.failed) abort(s, tx);
    if (tx.explicit) tx.failed = true;
    else s.tx = null;
  }

  private void complete(Session s, Result result) {
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

  int assignXid(Session s, Transaction tx) {
    if (tx.xid == 0) {
      tx.xid = clog.assign();
      xidOwner.put(tx.xid, s);
      if (tx.ssi != null) ssi.assignXid(tx.ssi, tx.xid);
    }
    return tx.xid;
  }

  private void commit(Session s, Transaction tx) {
    if (tx.ssi != null) ssi.preCommit(tx.ssi);
    if (tx.xid != 0) {
      log.commit(tx.xid);
      clog.commit(tx.xid);
    }
    if (tx.ssi != null) ssi.release(tx.ssi, true);
    ended(tx);
  }

  private void abort(Session s, Transaction tx) {
    if (tx.xid != 0) {
      log.abort(tx.xid);
      clog.abort(tx.xid);
    }
    if (tx.ssi != null) ssi.release(tx.ssi, false);
    tx.ssi = null;
    ended(tx);
  }

  /** Wakes every statement waiting for this transaction, in the order they started waiting. */
  private void ended(Transaction tx) {
    if (tx.xid == 0) return;
    xidOwner.remove(tx.xid);
    List<Session> ws = waiters.remove(tx.xid);
    if (ws == null) return;
    for (Session w : ws) {
      long seq = w.waitSeq;
      clock.schedule(0, "pg.wake " + w.name, () -> wake(w, seq));
    }
  }

  private void wake(Session s, long seq) {
    if (s.waitSeq != seq || !s.isWaiting()) return;
    point("pg.lock.wake", () -> s.name + ": the transaction it waited for ended; re-checking " + s.waitingWhat);
    stopWaiting(s);
    drive(s);
  }

  private void startWaiting(Session s, Execution.Wait w) {
    s.waitingFor = w.xids();
    s.waitingWhat = w.what();
    s.waitStartNanos = clock.nowNanos();
    long seq = ++s.waitSeq;
    for (int xid : w.xids()) waiters.computeIfAbsent(xid, k -> new ArrayList<>()).add(s);
    point("pg.lock.wait", () -> describeWaits().stream().filter(l -> l.startsWith(s.name + " ")).findFirst().orElse(s.name));
    clock.schedule(deadlockTimeoutNanos, "pg.deadlock_check " + s.name, () -> checkDeadlock(s, seq));
  }

  private void stopWaiting(Session s) {
    for (int xid : s.waitingFor) {
      List<Session> ws = waiters.get(xid);
      if (ws != null) ws.remove(s);
    }
    s.waitingFor = new int[0];
    s.waitingWhat = "";
  }

  /** CheckDeadLock: run once by a waiter after deadlock_timeout; the waiter that finds a cycle fails. */
  private void checkDeadlock(Session s, long seq) {
    if (s.waitSeq != seq || !s.isWaiting()) return;
    if (!inCycle(s)) {
      point("pg.deadlock_check", () -> s.name + ": still waiting after deadlock_timeout, no cycle");
      return;
    }
    point("pg.deadlock", () -> s.name + ": waits in a cycle; fails with 40P01 and its transaction aborts");
    stopWaiting(s);
    finishWithError(s, new SqlException(SqlException.DEADLOCK_DETECTED, "deadlock detected"));
  }

  private boolean inCycle(Session start) {
    Set<Session> seen = new LinkedHashSet<>();
    List<Session> frontier = new ArrayList<>(List.of(start));
    while (!frontier.isEmpty()) {
      Session s = frontier.remove(frontier.size() - 1);
      for (int xid : s.waitingFor) {
        Session holder = xidOwner.get(xid);
        if (holder == start) return true;
        if (holder != null && holder.isWaiting() && seen.add(holder)) frontier.add(holder);
      }
    }
    return false;
  }

  /** The transaction a session has open, or null. */
  public Transaction transactionOf(String session) {
    Session s = sessions.get(session);
    return s == null ? null : s.tx;
  }

  /** The session that owns a running xid, or null. */
  public String ownerOf(int xid) {
    Session s = xidOwner.get(xid);
    return s == null ? null : s.name;
  }

  /** Who waits for whom, for {@code \locks}. */
  public List<String> describeWaits() {
    List<String> out = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (!s.isWaiting()) continue;
      StringBuilder b = new StringBuilder(s.name).append(" waits for ");
      for (int i = 0; i < s.waitingFor.length; i++) {
        int xid = s.waitingFor[i];
        Session h = xidOwner.get(xid);
        b.append(i > 0 ? ", " : "").append("xid ").append(Xids.format(xid)).append(h != null ? " (" + h.name + ")" : "");
      }
      out.add(b.append(": ").append(s.waitingWhat).append(", waiting ")
          .append(Durations.format(clock.nowNanos() - s.waitStartNanos)).toString());
    }
    return out;
  }

  int newOid() {
    return nextOid++;
  }
}
