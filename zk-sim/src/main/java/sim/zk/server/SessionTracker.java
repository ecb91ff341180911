package sim.zk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;

/**
 * The leader's {@code SessionTrackerImpl}: a deadline per session, pushed forward whenever the session is
 * heard from (directly or through a follower's ping), and the sessions whose deadline passed. A session is
 * "closing" from the moment its closeSession is proposed until the txn is applied.
 */
final class SessionTracker {
  private final TreeMap<Long, Long> deadlineNanos = new TreeMap<>();
  private final TreeMap<Long, Integer> timeoutMs = new TreeMap<>();
  private final TreeSet<Long> closing = new TreeSet<>();

  /** A new leader tracks every known session afresh, each with its full timeout from now. */
  void trackAll(Map<Long, Integer> sessions, long nowNanos) {
    for (Map.Entry<Long, Integer> s : sessions.entrySet()) add(s.getKey(), s.getValue(), nowNanos);
  }

  void add(long sessionId, int sessionTimeoutMs, long nowNanos) {
    timeoutMs.put(sessionId, sessionTimeoutMs);
    deadlineNanos.put(sessionId, nowNanos + Durations.millis(sessionTimeoutMs));
  }

  void removed(long sessionId) {
    deadlineNanos.remove(sessionId);
    timeoutMs.remove(sessionId);
    closing.remove(sessionId);
  }

  void touch(long sessionId, long nowNanos) {
    if (!deadlineNanos.containsKey(sessionId) || closing.contains(sessionId)) return;
    deadlineNanos.put(sessionId, nowNanos + Durations.millis(timeoutMs.get(sessionId)));
  }

  /** Marks the session closing; false if it already was (its closeSession is on its way). */
  boolean startClosing(long sessionId) {
    return closing.add(sessionId);
  }

  /** Sessions past their deadline that are not closing yet; they are marked closing. */
  List<Long> expired(long nowNanos) {
    List<Long> out = new ArrayList<>();
    for (Map.Entry<Long, Long> e : deadlineNanos.entrySet()) {
      if (e.getValue() <= nowNanos && !closing.contains(e.getKey())) out.add(e.getKey());
    }
    closing.addAll(out);
    return out;
  }
}
