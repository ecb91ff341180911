package sim.postgres.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.core.Durations;
import sim.postgres.mvcc.Xids;
import sim.postgres.sql.SqlException;

/**
 * proc.c's lock waits and deadlock.c's check, for the row locks a statement waits on: a waiting statement
 * suspends its session on the xids it waits for (XactLockTableWait); when one ends, every waiter is woken in
 * the order it started waiting and re-checks. A waiter still waiting after {@code deadlock_timeout} runs
 * CheckDeadLock once; the one that finds itself in a cycle fails with 40P01.
 */
final class LockWaits {
  private final Database db;
  /** Which session's transaction holds each running xid (the proc array's owner of the xid lock). */
  private final Map<Integer, Session> xidOwner = new HashMap<>();
  private final Map<Integer, List<Session>> waiters = new HashMap<>();

  LockWaits(Database db) {
    this.db = db;
  }

  /** The session {@code s} now holds {@code xid}'s lock (an xid assigned to its transaction). */
  void own(int xid, Session s) {
    xidOwner.put(xid, s);
  }

  String ownerOf(int xid) {
    Session s = xidOwner.get(xid);
    return s == null ? null : s.name;
  }

  /** A transaction or subtransaction ended: its owner entry goes and its waiters wake, in the order they started waiting. */
  void ended(int xid) {
    xidOwner.remove(xid);
    List<Session> ws = waiters.remove(xid);
    if (ws == null) return;
    for (Session w : ws) {
      long seq = w.waitSeq;
      db.clock.schedule(0, "pg.wake " + w.name, () -> wake(w, seq));
    }
  }

  private void wake(Session s, long seq) {
    if (s.waitSeq != seq || !s.isWaiting()) return;
    db.point("pg.lock.wake", () -> s.name + ": the transaction it waited for ended; re-checking " + s.waitingWhat,
        "session", s.name, "what", s.waitingWhat);
    stopWaiting(s);
    db.drive(s);
  }

  void startWaiting(Session s, Execution.Wait w) {
    s.waitingFor = w.xids();
    s.waitingWhat = w.what();
    s.waitStartNanos = db.clock.nowNanos();
    long seq = ++s.waitSeq;
    for (int xid : w.xids()) waiters.computeIfAbsent(xid, k -> new ArrayList<>()).add(s);
    db.point("pg.lock.wait", () -> describe().stream().filter(l -> l.startsWith(s.name + " ")).findFirst().orElse(s.name),
        "session", s.name, "waitsForXid", Xids.format(w.xids()[0]), "what", w.what());
    db.clock.schedule(db.deadlockTimeoutNanos, "pg.deadlock_check " + s.name, () -> checkDeadlock(s, seq));
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
      db.point("pg.deadlock_check", () -> s.name + ": still waiting after deadlock_timeout, no cycle", "session", s.name);
      return;
    }
    db.point("pg.deadlock", () -> s.name + ": waits in a cycle; fails with 40P01 and its transaction aborts",
        "session", s.name, "sqlstate", SqlException.DEADLOCK_DETECTED);
    stopWaiting(s);
    db.finishWithError(s, new SqlException(SqlException.DEADLOCK_DETECTED, "deadlock detected"));
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

  /** Who waits for whom, for {@code \locks}. */
  List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Session s : db.sessions.values()) {
      if (!s.isWaiting()) continue;
      StringBuilder b = new StringBuilder(s.name).append(" waits for ");
      for (int i = 0; i < s.waitingFor.length; i++) {
        int xid = s.waitingFor[i];
        Session h = xidOwner.get(xid);
        b.append(i > 0 ? ", " : "").append("xid ").append(Xids.format(xid)).append(h != null ? " (" + h.name + ")" : "");
      }
      out.add(b.append(": ").append(s.waitingWhat).append(", waiting ")
          .append(Durations.format(db.clock.nowNanos() - s.waitStartNanos)).toString());
    }
    return out;
  }
}
