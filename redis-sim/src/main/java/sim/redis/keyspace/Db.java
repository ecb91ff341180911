package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One of the 16 databases (redisDb): the main dict and the expires dict. Keys are byte strings. The main
 * dict is a LinkedHashMap (insertion order, deterministic); the expires set supports O(1) random sampling
 * for the active expire cycle, like dictGetRandomKey over the expires dict.
 */
public final class Db {
  public final int id;
  private final Map<String, RedisObject> dict = new java.util.LinkedHashMap<>();
  private final HashMap<String, Integer> expireIndex = new HashMap<>(); // String keys: order never observed
  private final ArrayList<String> expireKeys = new ArrayList<>();
  private final ArrayList<Long> expireAt = new ArrayList<>();

  public Db(int id) {
    this.id = id;
  }

  public int size() {
    return dict.size();
  }

  public int expiresSize() {
    return expireKeys.size();
  }

  /** The value without any expiry check (callers do the lazy expire first). */
  public RedisObject get(String key) {
    return dict.get(key);
  }

  public Map<String, RedisObject> dict() {
    return dict;
  }

  /** setKey without touching the TTL (callers decide: SET clears it unless KEEPTTL). */
  public void put(String key, RedisObject value) {
    dict.put(key, value);
  }

  public boolean delete(String key) {
    removeExpire(key);
    return dict.remove(key) != null;
  }

  public void clear() {
    dict.clear();
    expireIndex.clear();
    expireKeys.clear();
    expireAt.clear();
  }

  /** Absolute unix-ms expire time, or -1 when the key is persistent. */
  public long expireAtMs(String key) {
    Integer i = expireIndex.get(key);
    return i == null ? -1 : expireAt.get(i);
  }

  public void setExpire(String key, long atMs) {
    Integer i = expireIndex.get(key);
    if (i != null) {
      expireAt.set(i, atMs);
      return;
    }
    expireIndex.put(key, expireKeys.size());
    expireKeys.add(key);
    expireAt.add(atMs);
  }

  public boolean removeExpire(String key) {
    Integer i = expireIndex.remove(key);
    if (i == null) return false;
    int last = expireKeys.size() - 1;
    if (i != last) {
      String moved = expireKeys.get(last);
      expireKeys.set(i, moved);
      expireAt.set(i, expireAt.get(last));
      expireIndex.put(moved, i);
    }
    expireKeys.remove(last);
    expireAt.remove(last);
    return true;
  }

  /** The key at position {@code i} of the expires table (for random sampling). */
  public String expireKeyAt(int i) {
    return expireKeys.get(i);
  }

  /** A copy of this database's contents: what a forked child sees. */
  public Db snapshot() {
    Db c = new Db(id);
    for (Map.Entry<String, RedisObject> e : dict.entrySet()) c.dict.put(e.getKey(), e.getValue().deepCopy());
    for (int i = 0; i < expireKeys.size(); i++) c.setExpire(expireKeys.get(i), expireAt.get(i));
    return c;
  }

  /** Keys in byte order with value and TTL, for comparing datasets. */
  public TreeMap<String, String> describe() {
    TreeMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, RedisObject> e : dict.entrySet()) {
      long at = expireAtMs(e.getKey());
      out.put(e.getKey(), e.getValue().typeName() + ":" + e.getValue() + (at >= 0 ? " @" + at : ""));
    }
    return out;
  }

  public List<String> keys() {
    return new ArrayList<>(dict.keySet());
  }
}
