package sim.postgres.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/** A client connection: one transaction at a time, one statement running (maybe waiting) at a time. */
public final class Session {
  record Pending(String sql, Consumer<Result> done) {}

  final String name;
  Transaction tx;
  Execution running;
  Consumer<Result> runningDone;
  final Deque<Pending> queue = new ArrayDeque<>();
  /** The xids the running statement waits for; empty when it runs. */
  int[] waitingFor = new int[0];
  String waitingWhat = "";
  long waitStartNanos;
  long waitSeq;
  /** The running statement is in pg_sleep (a timer brings it back). */
  boolean sleeping;
  /**
   * FATAL: the server ended this connection (a recovery conflict while idle in a transaction); the client
   * hears it at its next statement, which then runs on a new connection.
   */
  String terminated;
  /** The xid and commit record end LSN of this session's last committed transaction that had an xid. */
  int lastCommitXid;
  long lastCommitLsn;
  /** SET synchronous_commit for this session, or null for the server's setting. */
  String synchronousCommit;
  /** The planner's settings as this session's SET left them (enable_seqscan and friends). */
  sim.postgres.planner.PlannerSettings planner = sim.postgres.planner.PlannerSettings.defaults();

  Session(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public Transaction transaction() {
    return tx;
  }

  public int lastCommitXid() {
    return lastCommitXid;
  }

  public long lastCommitLsn() {
    return lastCommitLsn;
  }

  public String synchronousCommit() {
    return synchronousCommit;
  }

  public boolean isWaiting() {
    return waitingFor.length > 0;
  }

  public boolean isBusy() {
    return running != null;
  }
}
