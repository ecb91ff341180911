package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * One of the 16 databases (redisDb): the main dict and the expires dict, both Redis dicts ({@link Dict}), so
 * KEYS, SCAN and RANDOMKEY see the keyspace as Redis's hash table orders it. Keys are byte strings.
 */
public final class Db {
  public final int id;
  private final Dict<RedisObject> dict;
  private final Dict<Long> expires;
  /** db->expires_cursor: where the active expire cycle resumes its scan of the expires dict. */
  public long expiresCursor;

  public Db(int id) {
    this(id, new Dict<>(), new Dict<>());
  }

  private Db(int id, Dict<RedisObject> dict, Dict<Long> expires) {
    this.id = id;
    this.dict = dict;
    this.expires = expires;
  }

  public int size() {
    return dict.size();
  }

  public int expiresSize() {
    return expires.size();
  }

  /** The value without any expiry check (callers do the lazy expire first). */
  public RedisObject get(String key) {
    return dict.get(key);
  }

  public boolean contains(String key) {
    return dict.containsKey(key);
  }

  /** dbAdd / dbOverwrite without touching the TTL (callers decide: SET clears it unless KEEPTTL). */
  public void put(String key, RedisObject value) {
    dict.put(key, value);
  }

  public boolean delete(String key) {
    expires.remove(key);
    return dict.remove(key) != null;
  }

  public void clear() {
    dict.clear();
    expires.clear();
    expiresCursor = 0;
  }

  /** Absolute unix-ms expire time, or -1 when the key is persistent. */
  public long expireAtMs(String key) {
    if (expires.isEmpty()) return -1;
    Long at = expires.get(key);
    return at == null ? -1 : at;
  }

  public void setExpire(String key, long atMs) {
    expires.put(key, atMs);
  }

  public boolean removeExpire(String key) {
    return expires.remove(key) != null;
  }

  /** The main dict in its iteration order. */
  public void forEach(BiConsumer<String, RedisObject> fn) {
    dict.forEach(fn);
  }

  public List<String> keys() {
    return dict.keys();
  }

  /** dictScan over the main dict. */
  public long scan(long cursor, BiConsumer<String, RedisObject> fn) {
    return dict.scan(cursor, fn);
  }

  /** dictScan over the expires dict (the active expire cycle). */
  public long scanExpires(long cursor, BiConsumer<String, Long> fn) {
    return expires.scan(cursor, fn);
  }

  public long expiresSlots() {
    return expires.slots();
  }

  /** dictGetFairRandomKey over the main dict, or null when empty. */
  public String randomKey(LongSupplier random) {
    Dict.Entry<RedisObject> e = dict.randomEntry(random);
    return e == null ? null : e.key();
  }

  /** databasesCron: shrink under-filled tables, then some incremental rehashing. */
  public void cron(int rehashSteps) {
    dict.resizeIfNeeded();
    expires.resizeIfNeeded();
    dict.rehash(rehashSteps);
    expires.rehash(rehashSteps);
  }

  /** A copy of this database's contents: what a forked child sees. */
  public Db snapshot() {
    return new Db(id, dict.copy(RedisObject::deepCopy), expires.copy(v -> v));
  }

  /** SWAPDB: exchange contents with another database (ids stay). */
  public Db withId(int newId) {
    return new Db(newId, dict, expires);
  }

  /** Keys in byte order with value and TTL, for comparing datasets. */
  public TreeMap<String, String> describe() {
    TreeMap<String, String> out = new TreeMap<>();
    dict.forEach((k, v) -> {
      long at = expireAtMs(k);
      out.put(k, v.typeName() + ":" + v + (at >= 0 ? " @" + at : ""));
    });
    return out;
  }

  public List<String> expiringKeys() {
    return new ArrayList<>(expires.keys());
  }
}
