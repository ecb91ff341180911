package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.Ast.ReleaseSavepoint;
import sim.postgres.sql.Ast.RollbackTo;
import sim.postgres.sql.Ast.Savepoint;
import sim.postgres.sql.Ast.Stmt;
import sim.postgres.sql.SqlException;

/**
 * xact.c's subtransactions: SAVEPOINT pushes a level, RELEASE merges the inner levels into the one around
 * them, ROLLBACK TO aborts the inner levels (their xids end, aborted, for everyone at once, and whoever
 * waited for them wakes) and starts the savepoint again. A level gets its own xid only when it first writes
 * (AssignTransactionId in {@link Database#assignXid}).
 */
final class Subtransactions {
  private final Database db;

  Subtransactions(Database db) {
    this.db = db;
  }

  /** SAVEPOINT, RELEASE, ROLLBACK TO: subtransactions inside an explicit transaction block. */
  Result control(Session s, Stmt stmt) {
    Transaction tx = s.tx;
    String what = stmt instanceof Savepoint ? "SAVEPOINT" : stmt instanceof ReleaseSavepoint ? "RELEASE SAVEPOINT" : "ROLLBACK TO SAVEPOINT";
    if (tx == null || !tx.explicit) {
      return new Result.Error(SqlException.NO_ACTIVE_SQL_TRANSACTION, what + " can only be used in transaction blocks");
    }
    if (stmt instanceof Savepoint sp) {
      if (tx.failed) return failedBlock();
      tx.subxacts.add(new Transaction.Subxact(sp.name()));
      return new Result.Ok();
    }
    String name = stmt instanceof ReleaseSavepoint r ? r.name() : ((RollbackTo) stmt).name();
    int level = tx.savepoint(name);
    if (stmt instanceof ReleaseSavepoint) {
      if (tx.failed) return failedBlock();
      if (level < 0) return failInBlock(s, SqlException.of("3B001", "savepoint \"%s\" does not exist", name));
      releaseFrom(tx, level);
      return new Result.Ok();
    }
    if (level < 0) return failInBlock(s, SqlException.of("3B001", "savepoint \"%s\" does not exist", name));
    rollbackTo(tx, level);
    return new Result.Ok();
  }

  private static Result failedBlock() {
    return new Result.Error(SqlException.IN_FAILED_TRANSACTION,
        "current transaction is aborted, commands ignored until end of transaction block");
  }

  private Result failInBlock(Session s, SqlException e) {
    db.failStatement(s, e);
    return new Result.Error(e.sqlState(), e.getMessage());
  }

  /** RELEASE: the levels from {@code level} inward commit into the level around them. */
  private void releaseFrom(Transaction tx, int level) {
    List<Integer> merged = new ArrayList<>();
    while (tx.subxacts.size() > level) {
      Transaction.Subxact sub = tx.subxacts.remove(tx.subxacts.size() - 1);
      if (sub.aborted) continue;
      if (sub.subxid != 0) merged.add(sub.subxid);
      merged.addAll(sub.released);
    }
    Transaction.Subxact parent = tx.innermost();
    if (parent != null) parent.released.addAll(merged);
    else tx.releasedSubxids.addAll(merged);
  }

  /**
   * ROLLBACK TO: the levels from {@code level} inward abort (their xids in pg_xact, their row locks gone,
   * whoever waits for them woken); the savepoint itself starts again, and a failed block is usable again.
   */
  private void rollbackTo(Transaction tx, int level) {
    String name = tx.subxacts.get(level).name;
    while (tx.subxacts.size() > level) abort(tx.subxacts.remove(tx.subxacts.size() - 1));
    tx.subxacts.add(new Transaction.Subxact(name));
    tx.failed = false;
    tx.statementSnapshot = tx.level.usesTransactionSnapshot() ? tx.txSnapshot : null;
  }

  /** AbortSubTransaction: RecordSubTransactionAbort, then its xids end (aborted) for everyone. */
  void abort(Transaction.Subxact sub) {
    if (sub.aborted) return;
    sub.aborted = true;
    List<Integer> xids = new ArrayList<>(sub.released);
    if (sub.subxid != 0) xids.add(sub.subxid);
    for (int x : xids) {
      db.log.abort(x);
      db.clog.abort(x);
      db.lockWaits.ended(x);
    }
  }
}
