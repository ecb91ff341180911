package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * A hash (t_hash.c). Small hashes are a listpack — field, value, field, value... in insertion order, at most
 * {@code hash-max-listpack-entries} fields of at most {@code hash-max-listpack-value} bytes — which HGETALL
 * returns in that order. Past either threshold Redis converts it to a hashtable for good (a {@link Dict}),
 * whose order is the dict's.
 */
public final class RHash implements RedisObject {
  private ArrayList<String> listpack = new ArrayList<>(); // f0, v0, f1, v1, ...
  private Dict<String> table; // non-null once converted

  @Override
  public String typeName() {
    return "hash";
  }

  @Override
  public String encoding() {
    return table == null ? "listpack" : "hashtable";
  }

  public boolean isListpack() {
    return table == null;
  }

  public int size() {
    return table == null ? listpack.size() / 2 : table.size();
  }

  private int indexOf(String field) {
    for (int i = 0; i < listpack.size(); i += 2) if (listpack.get(i).equals(field)) return i;
    return -1;
  }

  public String get(String field) {
    if (table != null) return table.get(field);
    int i = indexOf(field);
    return i < 0 ? null : listpack.get(i + 1);
  }

  public boolean contains(String field) {
    return get(field) != null;
  }

  /**
   * hashTypeTryConversion for the values about to be written: a field or value over the value threshold makes
   * the hash a hashtable before the write, as Redis checks the arguments first.
   */
  public void convertIfTooLong(String s, Limits limits) {
    if (table == null && s.length() > limits.hashMaxListpackValue) toHashtable();
  }

  /** hashTypeSet: returns true when the field is new; converts past the entry threshold afterwards. */
  public boolean put(String field, String value, Limits limits) {
    convertIfTooLong(field, limits);
    convertIfTooLong(value, limits);
    boolean added;
    if (table != null) {
      added = table.put(field, value) == null;
    } else {
      int i = indexOf(field);
      if (i >= 0) {
        listpack.set(i + 1, value);
        added = false;
      } else {
        listpack.add(field);
        listpack.add(value);
        added = true;
      }
      if (size() > limits.hashMaxListpackEntries) toHashtable();
    }
    return added;
  }

  /** Loading: append a pair known to be new (listpack order kept). */
  public void putLoaded(String field, String value) {
    if (table != null) table.put(field, value);
    else {
      listpack.add(field);
      listpack.add(value);
    }
  }

  public boolean remove(String field) {
    if (table != null) {
      boolean removed = table.remove(field) != null;
      if (removed) table.resizeIfNeeded();
      return removed;
    }
    int i = indexOf(field);
    if (i < 0) return false;
    listpack.remove(i);
    listpack.remove(i);
    return true;
  }

  /** hashTypeConvert(OBJ_ENCODING_HT): one way. */
  public void toHashtable() {
    if (table != null) return;
    table = new Dict<>();
    table.expand(listpack.size() / 2); // hashTypeConvertListpack presizes
    for (int i = 0; i < listpack.size(); i += 2) table.put(listpack.get(i), listpack.get(i + 1));
    listpack = null;
  }

  /** Fields and values in storage order: listpack order, or dict order. */
  public void forEach(BiConsumer<String, String> fn) {
    if (table != null) {
      table.forEach(fn);
      return;
    }
    for (int i = 0; i < listpack.size(); i += 2) fn.accept(listpack.get(i), listpack.get(i + 1));
  }

  public List<String> fields() {
    List<String> out = new ArrayList<>();
    forEach((f, v) -> out.add(f));
    return out;
  }

  /** HSCAN's dict walk; only for the hashtable encoding. */
  public Dict<String> table() {
    return table;
  }

  /** The field/value pair at listpack position {@code i} (listpack encoding only). */
  public String fieldAt(int i) {
    return listpack.get(2 * i);
  }

  public String valueAt(int i) {
    return listpack.get(2 * i + 1);
  }

  @Override
  public RHash deepCopy() {
    RHash c = new RHash();
    if (table != null) {
      c.listpack = null;
      c.table = table.copy(v -> v);
    } else {
      c.listpack = new ArrayList<>(listpack);
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RHash h && h.describe().equals(describe());
  }

  @Override
  public int hashCode() {
    return describe().hashCode();
  }

  private java.util.TreeMap<String, String> describe() {
    java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
    forEach(m::put);
    return m;
  }

  @Override
  public String toString() {
    return describe().toString();
  }
}
