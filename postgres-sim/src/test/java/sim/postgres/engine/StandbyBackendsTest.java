package sim.postgres.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The proc-array side of hot standby conflicts: which transactions a removal up to an xid conflicts with
 * (xmin not after it), and what a cancel does to each kind of backend (postgres.c's RecoveryConflictInterrupt
 * and ProcessInterrupts): a running statement gets ERROR 40001 and its block fails, an idle transaction or a
 * statement in a subtransaction loses the connection (FATAL 40001), a session without a snapshot is no conflict.
 */
class StandbyBackendsTest {
  static final String DETAIL = "User query might have needed to see row versions that must be removed.";

  /** A clock whose scheduled work runs when the test advances it. */
  static final class ManualClock implements Clock {
    long now;
    long seq;
    final TreeMap<long[], Runnable> due = new TreeMap<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));

    @Override
    public long nowNanos() {
      return now;
    }

    @Override
    public void schedule(long delayNanos, String label, Runnable action) {
      due.put(new long[] {now + delayNanos, seq++}, action);
    }

    void advance(long nanos) {
      long until = now + nanos;
      while (!due.isEmpty() && due.firstKey()[0] <= until) {
        var e = due.pollFirstEntry();
        now = e.getKey()[0];
        e.getValue().run();
      }
      now = until;
    }
  }

  final ManualClock clock = new ManualClock();
  final Database db = new Database(clock);

  Database setUp() {
    db.execute("w", "create table t (id int primary key, v int)");
    db.execute("w", "insert into t values (1, 10), (2, 20)");
    return db;
  }

  private int xmin(String session) {
    return db.transactionOf(session).snapshot().xmin();
  }

  @Test
  void aSnapshotConflictsWithRemovalsUpToItsXminAndNotBefore() {
    setUp();
    db.execute("r", "begin isolation level repeatable read");
    db.execute("r", "select count(*) from t");
    db.execute("idle", "begin"); // READ COMMITTED between statements: no snapshot, no xmin
    db.execute("idle", "select count(*) from t");
    int x = xmin("r");
    assertEquals(List.of("r"), StandbyBackends.conflicting(db, x).stream().map(StandbyBackends.Vxid::session).toList());
    assertEquals(List.of(), StandbyBackends.conflicting(db, x - 1));
  }

  @Test
  void aRunningStatementIsCancelledWithErrorAndItsBlockFails() {
    setUp();
    db.execute("r", "begin isolation level repeatable read");
    db.execute("r", "select count(*) from t");
    List<Result> replies = new ArrayList<>();
    db.submit("r", "select pg_sleep(40)", replies::add);
    clock.advance(1_000_000_000L);
    assertTrue(replies.isEmpty(), "pg_sleep(40) still running after 1 s");
    StandbyBackends.cancel(db, StandbyBackends.conflicting(db, xmin("r")).get(0), DETAIL);
    assertEquals(List.of(new Result.Error("40001", "canceling statement due to conflict with recovery", DETAIL)), replies);
    assertEquals("25P02", ((Result.Error) db.execute("r", "select count(*) from t")).sqlState());
    clock.advance(60_000_000_000L);
    assertEquals(1, replies.size(), "the cancelled pg_sleep never answers again");
  }

  @Test
  void anIdleTransactionLosesItsConnection() {
    setUp();
    db.execute("r", "begin isolation level repeatable read");
    db.execute("r", "select count(*) from t");
    StandbyBackends.cancel(db, StandbyBackends.conflicting(db, xmin("r")).get(0), DETAIL);
    assertNull(db.transactionOf("r"), "the transaction ended with the connection");
    assertEquals(new Result.Error("40001", "terminating connection due to conflict with recovery", DETAIL), db.execute("r", "select count(*) from t"));
    assertTrue(db.execute("r", "select count(*) from t") instanceof Result.Rows, "the next connection works");
  }

  @Test
  void aStatementInsideASubtransactionLosesTheConnectionToo() {
    setUp();
    db.execute("r", "begin isolation level repeatable read");
    db.execute("r", "select count(*) from t");
    db.execute("r", "savepoint a");
    List<Result> replies = new ArrayList<>();
    db.submit("r", "select pg_sleep(40)", replies::add);
    StandbyBackends.cancel(db, StandbyBackends.conflicting(db, xmin("r")).get(0), DETAIL);
    assertEquals(List.of(new Result.Error("40001", "terminating connection due to conflict with recovery", DETAIL)), replies);
    assertNull(db.transactionOf("r"));
  }

  @Test
  void theFeedbackXminIsTheOldestSnapshotOrWhatANewOneWouldGet() {
    setUp();
    int fresh = StandbyBackends.oldestXmin(db);
    db.execute("r", "begin isolation level repeatable read");
    db.execute("r", "select count(*) from t");
    db.execute("w", "insert into t values (3, 30)");
    assertEquals(fresh, StandbyBackends.oldestXmin(db), "held by r's snapshot");
    db.execute("r", "commit");
    assertTrue(Integer.compareUnsigned(StandbyBackends.oldestXmin(db), fresh) > 0, "moves on once r ends");
  }
}
