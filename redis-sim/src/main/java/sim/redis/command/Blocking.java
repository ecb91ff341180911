package sim.redis.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Clients blocked on keys (blocked.c): db->blocking_keys, server.ready_keys, handleClientsBlockedOnKeys and
 * the timeouts. A key that became ready serves its clients in the order they blocked by running their
 * command again (as Redis 7.2 does; 7.0 pops directly, with the same replies and propagation for a single
 * ready key); a command that still finds nothing leaves its client blocked where it was.
 */
final class Blocking {
  private final Dispatcher dispatcher;
  private final Map<String, List<ClientState>> byKey = new HashMap<>(); // String keys, looked up only
  private final LinkedHashSet<String> ready = new LinkedHashSet<>();
  private final LinkedHashSet<ClientState> blocked = new LinkedHashSet<>();
  private boolean serving;
  private boolean stillBlocked;

  Blocking(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  private static String id(int db, String key) {
    return db + "\u0000" + key;
  }

  int count() {
    return blocked.size();
  }

  /** blockForKeys; while a served command runs again and blocks again, the client just stays where it is. */
  void block(ClientState c, ClientState.Blocked b) {
    if (serving && c.blocked != null) {
      stillBlocked = true;
      return;
    }
    c.blocked = b;
    blocked.add(c);
    for (String k : new LinkedHashSet<>(b.keys())) byKey.computeIfAbsent(id(b.db(), k), x -> new ArrayList<>()).add(c);
  }

  /** signalKeyAsReady: only keys someone blocks on are queued, once. */
  void ready(int db, String key) {
    String id = id(db, key);
    if (byKey.containsKey(id)) ready.add(id);
  }

  void unblock(ClientState c) {
    ClientState.Blocked b = c.blocked;
    if (b == null) return;
    for (String k : b.keys()) {
      String id = id(b.db(), k);
      List<ClientState> l = byKey.get(id);
      if (l == null) continue;
      l.remove(c);
      if (l.isEmpty()) byKey.remove(id);
    }
    blocked.remove(c);
    c.blocked = null;
  }

  /** handleClientsBlockedOnKeys, after each top-level command. */
  void handleReadyKeys() {
    while (!ready.isEmpty()) {
      List<String> keys = new ArrayList<>(ready);
      ready.clear();
      for (String id : keys) {
        List<ClientState> waiting = byKey.get(id);
        if (waiting == null) continue;
        for (ClientState c : List.copyOf(waiting)) {
          if (c.blocked == null) continue;
          serve(c);
        }
      }
    }
  }

  private void serve(ClientState c) {
    ClientState.Blocked b = c.blocked;
    Command cmd = dispatcher.table().lookup(b.argv());
    int db = c.db;
    c.db = b.db();
    serving = true;
    stillBlocked = false;
    try {
      dispatcher.call(c, cmd, b.argv());
    } finally {
      serving = false;
      c.db = db;
    }
    if (!stillBlocked) {
      unblock(c);
      dispatcher.wrote(c);
    }
  }

  boolean serving() {
    return serving;
  }

  /** replyToBlockedClientTimedOut for every client past its deadline. */
  void timeouts(long nowMs) {
    if (blocked.isEmpty()) return;
    for (ClientState c : List.copyOf(blocked)) {
      ClientState.Blocked b = c.blocked;
      if (b == null || b.timeoutAtMs() == 0 || b.timeoutAtMs() > nowMs) continue;
      unblock(c);
      if (b.onTimeout() != null) b.onTimeout().accept(c);
      else c.out.nullArray();
      dispatcher.wrote(c);
    }
  }

  /** CLIENT UNBLOCK id [TIMEOUT|ERROR]. */
  boolean unblockByClient(ClientState c, boolean error) {
    if (c.blocked == null) return false;
    ClientState.Blocked b = c.blocked;
    unblock(c);
    if (error) c.out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
    else if (b.onTimeout() != null) b.onTimeout().accept(c);
    else c.out.nullArray();
    dispatcher.wrote(c);
    return true;
  }
}
