package sim.zk.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ZooKeeper's {@code WatchManager}: path → sessions watching it. Watches are one-shot: triggering removes
 * them. They live only on the server the client is connected to and are not replicated.
 */
final class WatchManager {
  private final Map<String, TreeSet<Long>> watchers = new TreeMap<>();

  void add(String path, long sessionId) {
    watchers.computeIfAbsent(path, p -> new TreeSet<>()).add(sessionId);
  }

  /** Fires and removes the watches on {@code path}, skipping sessions in {@code suppress}; returns who fired. */
  TreeSet<Long> trigger(String path, EventType type, long zxid, TreeSet<Long> suppress, List<WatchEvent> out) {
    TreeSet<Long> fired = new TreeSet<>();
    TreeSet<Long> sessions = watchers.remove(path);
    if (sessions == null) return fired;
    for (long s : sessions) {
      if (suppress != null && suppress.contains(s)) continue;
      out.add(new WatchEvent(s, type, path, zxid));
      fired.add(s);
    }
    return fired;
  }

  /** A copy of every watch, to put back when a multi rolls back (its triggers never happened). */
  Map<String, TreeSet<Long>> save() {
    Map<String, TreeSet<Long>> copy = new TreeMap<>();
    for (Map.Entry<String, TreeSet<Long>> e : watchers.entrySet()) copy.put(e.getKey(), new TreeSet<>(e.getValue()));
    return copy;
  }

  void restore(Map<String, TreeSet<Long>> saved) {
    watchers.clear();
    watchers.putAll(saved);
  }

  void removeSession(long sessionId) {
    List<String> empty = new ArrayList<>();
    for (Map.Entry<String, TreeSet<Long>> e : watchers.entrySet()) {
      e.getValue().remove(sessionId);
      if (e.getValue().isEmpty()) empty.add(e.getKey());
    }
    for (String p : empty) watchers.remove(p);
  }

  int size() {
    int n = 0;
    for (TreeSet<Long> s : watchers.values()) n += s.size();
    return n;
  }
}
