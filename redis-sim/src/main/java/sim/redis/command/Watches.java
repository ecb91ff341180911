package sim.redis.command;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;

/** WATCH (multi.c): db->watched_keys, touchWatchedKey and the expired-at-WATCH-time exception. */
final class Watches {
  /** watchedKey: a client watching a key, and whether the key was already logically expired then. */
  static final class Watch {
    final ClientState client;
    final int db;
    final String key;
    boolean expired;

    Watch(ClientState client, int db, String key, boolean expired) {
      this.client = client;
      this.db = db;
      this.key = key;
      this.expired = expired;
    }
  }

  private final Map<String, List<Watch>> byKey = new HashMap<>(); // String keys, looked up only

  private static String id(int db, String key) {
    return db + "\u0000" + key;
  }

  /** watchForKey. */
  void watch(ClientState c, Db db, String key, long nowMs) {
    for (Watch w : c.watched) if (w.db == db.id && w.key.equals(key)) return;
    long at = db.expireAtMs(key);
    Watch w = new Watch(c, db.id, key, db.contains(key) && at >= 0 && at <= nowMs);
    c.watched.add(w);
    byKey.computeIfAbsent(id(db.id, key), k -> new ArrayList<>()).add(w);
  }

  /** unwatchAllKeys. */
  void unwatchAll(ClientState c) {
    for (Watch w : c.watched) {
      List<Watch> l = byKey.get(id(w.db, w.key));
      if (l == null) continue;
      l.remove(w);
      if (l.isEmpty()) byKey.remove(id(w.db, w.key));
    }
    c.watched.clear();
  }

  /** touchWatchedKey: every client watching the key gets CLIENT_DIRTY_CAS. */
  void touch(int db, String key, Db dbNow) {
    if (byKey.isEmpty()) return;
    List<Watch> l = byKey.get(id(db, key));
    if (l == null) return;
    for (Watch w : List.copyOf(l)) {
      if (w.expired && !dbNow.contains(key)) { // the expired key got deleted: no logical change
        w.expired = false;
        continue;
      }
      w.client.dirtyCas = true;
      unwatchAll(w.client);
    }
  }

  /** touchAllWatchedKeysInDb for one db (FLUSHDB, SWAPDB) or every db (-1, FLUSHALL): existing watched keys fail. */
  void touchAll(int dbOrAll, Keyspace ks) {
    for (List<Watch> l : List.copyOf(byKey.values())) {
      for (Watch w : List.copyOf(l)) {
        if (dbOrAll >= 0 && w.db != dbOrAll) continue;
        if (!ks.db(w.db).contains(w.key)) continue;
        if (w.expired) {
          w.expired = false;
          continue;
        }
        w.client.dirtyCas = true;
      }
    }
  }

  /** isWatchedKeyExpired: a watched key expired since WATCH makes EXEC fail. */
  boolean anyExpired(ClientState c, Keyspace ks, long nowMs) {
    for (Watch w : c.watched) {
      if (w.expired) continue;
      Db db = ks.db(w.db);
      long at = db.expireAtMs(w.key);
      if (db.contains(w.key) && at >= 0 && at <= nowMs) return true;
    }
    return false;
  }
}
