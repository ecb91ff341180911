package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import sim.redis.resp.Numbers;

/**
 * A set (t_set.c, 7.0). Integers only and at most {@code set-max-intset-entries}: an intset, a sorted array,
 * which SMEMBERS returns in numeric order. Anything else: a hashtable ({@link Dict}) for good.
 */
public final class RSet implements RedisObject {
  private long[] ints = new long[4];
  private int intCount;
  private Dict<Boolean> table; // non-null once converted

  @Override
  public String typeName() {
    return "set";
  }

  @Override
  public String encoding() {
    return table == null ? "intset" : "hashtable";
  }

  public boolean isIntset() {
    return table == null;
  }

  /** setTypeCreate: a set that will hold {@code first}; a non-integer starts as a hashtable. */
  public static RSet forFirst(String first) {
    RSet s = new RSet();
    if (Numbers.parseLong(first) == null) s.toHashtable();
    return s;
  }

  public int size() {
    return table == null ? intCount : table.size();
  }

  private int search(long v) {
    return Arrays.binarySearch(ints, 0, intCount, v);
  }

  public boolean contains(String m) {
    if (table != null) return table.containsKey(m);
    Long v = Numbers.parseLong(m);
    return v != null && search(v) >= 0;
  }

  /** setTypeAdd: true when new; converts when the member is not an integer or the intset grows too big. */
  public boolean add(String m, Limits limits) {
    if (table != null) return table.put(m, Boolean.TRUE) == null;
    Long v = Numbers.parseLong(m);
    if (v == null) {
      toHashtable();
      return table.put(m, Boolean.TRUE) == null;
    }
    int i = search(v);
    if (i >= 0) return false;
    int at = -i - 1;
    if (intCount == ints.length) ints = Arrays.copyOf(ints, ints.length * 2);
    System.arraycopy(ints, at, ints, at + 1, intCount - at);
    ints[at] = v;
    intCount++;
    if (intCount > limits.setMaxIntsetEntries) toHashtable();
    return true;
  }

  public boolean remove(String m) {
    if (table != null) {
      boolean removed = table.remove(m) != null;
      if (removed) table.resizeIfNeeded();
      return removed;
    }
    Long v = Numbers.parseLong(m);
    if (v == null) return false;
    int i = search(v);
    if (i < 0) return false;
    System.arraycopy(ints, i + 1, ints, i, intCount - i - 1);
    intCount--;
    return true;
  }

  public void toHashtable() {
    if (table != null) return;
    table = new Dict<>();
    table.expand(intCount); // setTypeConvert presizes
    for (int i = 0; i < intCount; i++) table.put(Long.toString(ints[i]), Boolean.TRUE);
    ints = null;
    intCount = 0;
  }

  /** Members in the order SMEMBERS returns them: numeric order for an intset, dict order otherwise. */
  public List<String> members() {
    List<String> out = new ArrayList<>(size());
    if (table != null) {
      table.forEach((k, v) -> out.add(k));
    } else {
      for (int i = 0; i < intCount; i++) out.add(Long.toString(ints[i]));
    }
    return out;
  }

  /** SSCAN's dict walk; only for the hashtable encoding. */
  public Dict<Boolean> table() {
    return table;
  }

  /** setTypeRandomElement: intsetRandom, or dictGetFairRandomKey. */
  public String random(LongSupplier random) {
    if (table != null) return table.randomEntry(random).key();
    return Long.toString(ints[(int) Long.remainderUnsigned(random.getAsLong(), intCount)]);
  }

  /** The intset member at {@code i}, in numeric order. */
  public long intAt(int i) {
    return ints[i];
  }

  @Override
  public RSet deepCopy() {
    RSet c = new RSet();
    if (table != null) {
      c.ints = null;
      c.table = table.copy(v -> v);
    } else {
      c.ints = Arrays.copyOf(ints, Math.max(4, intCount));
      c.intCount = intCount;
    }
    return c;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RSet s && new java.util.TreeSet<>(s.members()).equals(new java.util.TreeSet<>(members()));
  }

  @Override
  public int hashCode() {
    return new java.util.TreeSet<>(members()).hashCode();
  }

  @Override
  public String toString() {
    return table == null ? members().toString() : new java.util.TreeSet<>(members()).toString();
  }
}
