package sim.redis.keyspace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hash. Small hashes are a listpack in Redis 7.0 (at most {@code hash-max-listpack-entries 512} fields,
 * each value at most {@code hash-max-listpack-value 64} bytes): field order is insertion order, which this
 * LinkedHashMap keeps. Past the thresholds Redis converts to a hashtable for good, whose order is its
 * dict's; we keep insertion order and remember the conversion for OBJECT ENCODING and RDB writing.
 */
public final class RHash implements RedisObject {
  public static final int MAX_LISTPACK_ENTRIES = 512;
  public static final int MAX_LISTPACK_VALUE = 64;
  private final LinkedHashMap<String, String> map = new LinkedHashMap<>();
  private boolean hashtable;

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return hashtable ? "hashtable" : "listpack";
  }

  public Map<String, String> map() {
    return map;
  }

  /** Returns true when the field is new. */
  public boolean put(String field, String value) {
    if (field.length() > MAX_LISTPACK_VALUE || value.length() > MAX_LISTPACK_VALUE) hashtable = true;
    boolean added = map.put(field, value) == null;
    if (map.size() > MAX_LISTPACK_ENTRIES) hashtable = true;
    return added;
  }

  public boolean isListpack() {
    return !hashtable;
  }

  @Override
  public RHash deepCopy() {
    RHash c = new RHash();
    c.map.putAll(map);
    c.hashtable = hashtable;
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RHash h && h.map.equals(map);
  }

  @Override
  public int hashCode() {
    return map.hashCode();
  }

  @Override
  public String toString() {
    return map.toString();
  }
}
