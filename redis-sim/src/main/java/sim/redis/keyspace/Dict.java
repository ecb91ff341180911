package sim.redis.keyspace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Redis's dict (dict.c, 7.0): chained buckets in a power-of-two table, SipHash-1-2 of the key bytes, new
 * entries at the head of their chain, and incremental rehashing into a second table (one bucket per lookup,
 * add or delete, more from serverCron). Its iteration order is what KEYS, SMEMBERS and HGETALL of hashtable
 * encodings show, and {@link #scan} is dictScan: the reverse-binary cursor that visits every element present
 * for the whole scan at least once, even while the table grows or shrinks between calls.
 *
 * <p>Redis seeds SipHash randomly per process; this one uses a fixed seed, so orders replay exactly (and
 * differ from any given redis-server's, which differs from every other's). Keys are byte strings, one char per
 * byte. Not thread-safe; resizing is never forbidden (Redis avoids it while a fork child runs).
 */
public final class Dict<V> {
  public static final int INITIAL_SIZE = 4;
  /** HASHTABLE_MIN_FILL: shrink when under 10% full. */
  private static final int MIN_FILL_PERCENT = 10;
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  /** One key with its value; the next entry of the same bucket. */
  public static final class Entry<V> {
    final String key;
    V value;
    Entry<V> next;

    Entry(String key, V value, Entry<V> next) {
      this.key = key;
      this.value = value;
      this.next = next;
    }

    public String key() {
      return key;
    }

    public V value() {
      return value;
    }

    public void setValue(V v) {
      this.value = v;
    }
  }

  @SuppressWarnings("unchecked")
  private Entry<V>[][] tables = new Entry[2][];
  private final long[] used = new long[2];
  private long rehashIdx = -1;
  private int pauseRehash;

  public int size() {
    return (int) (used[0] + used[1]);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public boolean isRehashing() {
    return rehashIdx != -1;
  }

  /** Buckets in the main table (the second while rehashing is not counted). */
  public long slots() {
    return tables[0] == null ? 0 : tables[0].length;
  }

  /** SipHash-1-2 (siphash.c) of the key's bytes. */
  public static long hash(String key) {
    long v0 = 0x736f6d6570736575L ^ K0;
    long v1 = 0x646f72616e646f6dL ^ K1;
    long v2 = 0x6c7967656e657261L ^ K0;
    long v3 = 0x7465646279746573L ^ K1;
    int len = key.length();
    int end = len - (len & 7);
    for (int i = 0; i < end; i += 8) {
      long m = 0;
      for (int j = 7; j >= 0; j--) m = (m << 8) | (key.charAt(i + j) & 0xff);
      v3 ^= m;
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      v0 ^= m;
    }
    long b = ((long) len) << 56;
    for (int j = len - 1; j >= end; j--) b |= ((long) (key.charAt(j) & 0xff)) << (8 * (j - end));
    v3 ^= b;
    v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
    v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
    v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
    v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    v0 ^= b;
    v2 ^= 0xff;
    for (int r = 0; r < 2; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return v0 ^ v1 ^ v2 ^ v3;
  }

  private void rehashStep() {
    if (pauseRehash == 0) rehash(1);
  }

  /** dictRehash: moves up to {@code n} buckets; true while more remain. */
  public boolean rehash(int n) {
    if (!isRehashing()) return false;
    int emptyVisits = n * 10;
    while (n-- > 0 && used[0] != 0) {
      while (tables[0][(int) rehashIdx] == null) {
        rehashIdx++;
        if (--emptyVisits == 0) return true;
      }
      Entry<V> e = tables[0][(int) rehashIdx];
      int mask1 = tables[1].length - 1;
      while (e != null) {
        Entry<V> next = e.next;
        int h = (int) (hash(e.key) & mask1);
        e.next = tables[1][h];
        tables[1][h] = e;
        used[0]--;
        used[1]++;
        e = next;
      }
      tables[0][(int) rehashIdx] = null;
      rehashIdx++;
    }
    if (used[0] == 0) {
      tables[0] = tables[1];
      used[0] = used[1];
      tables[1] = null;
      used[1] = 0;
      rehashIdx = -1;
      return false;
    }
    return true;
  }

  private Entry<V> find(String key) {
    if (size() == 0) return null;
    if (isRehashing()) rehashStep();
    long h = hash(key);
    for (int t = 0; t <= 1; t++) {
      Entry<V>[] table = tables[t];
      if (table == null) break;
      for (Entry<V> e = table[(int) (h & (table.length - 1))]; e != null; e = e.next) {
        if (e.key.equals(key)) return e;
      }
      if (!isRehashing()) break;
    }
    return null;
  }

  public V get(String key) {
    Entry<V> e = find(key);
    return e == null ? null : e.value;
  }

  public boolean containsKey(String key) {
    return find(key) != null;
  }

  /** The entry for {@code key}, to update its value in place, or null. */
  public Entry<V> entry(String key) {
    return find(key);
  }

  /** dictReplace: sets the value; returns the old one, or null when the key is new. */
  public V put(String key, V value) {
    Entry<V> e = find(key);
    if (e != null) {
      V old = e.value;
      e.value = value;
      return old;
    }
    add(key, value);
    return null;
  }

  /** dictAdd for a key known to be absent. */
  private void add(String key, V value) {
    expandIfNeeded();
    int t = isRehashing() ? 1 : 0;
    Entry<V>[] table = tables[t];
    int i = (int) (hash(key) & (table.length - 1));
    table[i] = new Entry<>(key, value, table[i]);
    used[t]++;
  }

  public V remove(String key) {
    if (size() == 0) return null;
    if (isRehashing()) rehashStep();
    long h = hash(key);
    for (int t = 0; t <= 1; t++) {
      Entry<V>[] table = tables[t];
      if (table == null) break;
      int i = (int) (h & (table.length - 1));
      Entry<V> prev = null;
      for (Entry<V> e = table[i]; e != null; prev = e, e = e.next) {
        if (!e.key.equals(key)) continue;
        if (prev == null) table[i] = e.next;
        else prev.next = e.next;
        used[t]--;
        return e.value;
      }
      if (!isRehashing()) break;
    }
    return null;
  }

  public void clear() {
    tables[0] = null;
    tables[1] = null;
    used[0] = used[1] = 0;
    rehashIdx = -1;
  }

  private void expandIfNeeded() {
    if (isRehashing()) return;
    if (tables[0] == null) {
      expand(INITIAL_SIZE);
      return;
    }
    if (used[0] >= tables[0].length) expand(used[0] + 1);
  }

  /** dictExpand: a table of the next power of two ≥ {@code size}; rehashing starts when one existed. */
  @SuppressWarnings("unchecked")
  public void expand(long size) {
    if (isRehashing() || used[0] > size) return;
    int newSize = nextPower(size);
    if (tables[0] != null && newSize == tables[0].length) return;
    Entry<V>[] fresh = new Entry[newSize];
    if (tables[0] == null) {
      tables[0] = fresh;
      return;
    }
    tables[1] = fresh;
    rehashIdx = 0;
  }

  private static int nextPower(long size) {
    int s = INITIAL_SIZE;
    while (s < size && s < (1 << 30)) s <<= 1;
    return s;
  }

  /** htNeedsResize + dictResize: shrink a table under 10% full to the smallest power of two that holds it. */
  public void resizeIfNeeded() {
    if (tables[0] == null || isRehashing()) return;
    long slots = tables[0].length;
    if (slots > INITIAL_SIZE && used[0] * 100 / slots < MIN_FILL_PERCENT) expand(Math.max(used[0], INITIAL_SIZE));
  }

  /** dictScan: emits the bucket(s) at {@code cursor}, returns the next cursor (0: done). */
  public long scan(long cursor, BiConsumer<String, V> fn) {
    if (size() == 0) return 0;
    pauseRehash++;
    try {
      long v = cursor;
      if (!isRehashing()) {
        long m0 = tables[0].length - 1;
        emit(tables[0][(int) (v & m0)], fn);
        v |= ~m0;
        v = Long.reverse(Long.reverse(v) + 1);
        return v;
      }
      Entry<V>[] t0 = tables[0];
      Entry<V>[] t1 = tables[1];
      if (t0.length > t1.length) {
        Entry<V>[] tmp = t0;
        t0 = t1;
        t1 = tmp;
      }
      long m0 = t0.length - 1;
      long m1 = t1.length - 1;
      emit(t0[(int) (v & m0)], fn);
      do {
        emit(t1[(int) (v & m1)], fn);
        v |= ~m1;
        v = Long.reverse(Long.reverse(v) + 1);
      } while ((v & (m0 ^ m1)) != 0);
      return v;
    } finally {
      pauseRehash--;
    }
  }

  private void emit(Entry<V> e, BiConsumer<String, V> fn) {
    while (e != null) {
      Entry<V> next = e.next;
      fn.accept(e.key, e.value);
      e = next;
    }
  }

  /** Every entry in table order (a safe iterator: no rehashing meanwhile); {@code fn} must not modify the dict. */
  public void forEach(BiConsumer<String, V> fn) {
    pauseRehash++;
    try {
      for (int t = 0; t <= 1; t++) {
        Entry<V>[] table = tables[t];
        if (table == null) continue;
        for (Entry<V> head : table) emit(head, fn);
      }
    } finally {
      pauseRehash--;
    }
  }

  public List<String> keys() {
    List<String> out = new ArrayList<>(size());
    forEach((k, v) -> out.add(k));
    return out;
  }

  /** dictGetRandomKey: a random non-empty bucket, then a random element of its chain. */
  public Entry<V> randomEntry(LongSupplier random) {
    if (size() == 0) return null;
    if (isRehashing()) rehashStep();
    Entry<V> he;
    if (isRehashing()) {
      long s0 = tables[0].length;
      long slots = s0 + tables[1].length;
      do {
        long h = rehashIdx + Long.remainderUnsigned(random.getAsLong(), slots - rehashIdx);
        he = h >= s0 ? tables[1][(int) (h - s0)] : tables[0][(int) h];
      } while (he == null);
    } else {
      long m = tables[0].length - 1;
      do {
        he = tables[0][(int) (random.getAsLong() & m)];
      } while (he == null);
    }
    int len = 0;
    for (Entry<V> e = he; e != null; e = e.next) len++;
    int pick = (int) Long.remainderUnsigned(random.getAsLong(), len);
    while (pick-- > 0) he = he.next;
    return he;
  }

  /** A copy with the same buckets and chain order (what a forked child iterates). */
  @SuppressWarnings("unchecked")
  public Dict<V> copy(java.util.function.UnaryOperator<V> copyValue) {
    Dict<V> c = new Dict<>();
    for (int t = 0; t <= 1; t++) {
      if (tables[t] == null) continue;
      c.tables[t] = new Entry[tables[t].length];
      for (int i = 0; i < tables[t].length; i++) {
        Entry<V> tail = null;
        for (Entry<V> e = tables[t][i]; e != null; e = e.next) {
          Entry<V> n = new Entry<>(e.key, copyValue.apply(e.value), null);
          if (tail == null) c.tables[t][i] = n;
          else tail.next = n;
          tail = n;
        }
      }
    }
    c.used[0] = used[0];
    c.used[1] = used[1];
    c.rehashIdx = rehashIdx;
    return c;
  }
}
