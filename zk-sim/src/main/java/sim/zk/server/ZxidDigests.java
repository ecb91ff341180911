package sim.zk.server;

/**
 * For the same-zxid-same-tree check: the first server to apply each zxid and its tree's digest then, for the
 * newest {@code capacity} zxids (first in, first out). Every server applies every committed txn, so this is
 * on the hottest path of a run; it keeps primitives in a ring and an open-addressed index (linear probing,
 * backward-shift deletion) instead of boxing two objects per entry.
 */
final class ZxidDigests {
  private static final long EMPTY = Long.MIN_VALUE; // no zxid is negative
  private final long[] ringZxid;
  private final long[] ringSid;
  private final long[] ringDigest;
  private int oldest;
  private int size;
  /** zxid → ring position + 1 (0 = free slot), keyed by {@link #keys}. */
  private final long[] keys;
  private final int[] positions;
  private final int mask;

  ZxidDigests(int capacity) {
    ringZxid = new long[capacity];
    ringSid = new long[capacity];
    ringDigest = new long[capacity];
    int tableSize = Integer.highestOneBit(capacity * 2 - 1) << 1; // at most half full
    keys = new long[tableSize];
    java.util.Arrays.fill(keys, EMPTY);
    positions = new int[tableSize];
    mask = tableSize - 1;
  }

  /**
   * Records {@code sid}'s {@code digest} at {@code zxid} unless a server already did; returns the ring
   * position of the first record for {@code zxid} if there was one, else -1 (and the oldest may be evicted).
   */
  int putIfAbsent(long zxid, long sid, long digest) {
    int slot = slotOf(zxid);
    if (keys[slot] == zxid) return positions[slot] - 1;
    if (size == ringZxid.length) evictOldest();
    slot = slotOf(zxid); // eviction may have shifted the probe sequence
    int pos = (oldest + size) % ringZxid.length;
    ringZxid[pos] = zxid;
    ringSid[pos] = sid;
    ringDigest[pos] = digest;
    size++;
    keys[slot] = zxid;
    positions[slot] = pos + 1;
    return -1;
  }

  long sidAt(int pos) {
    return ringSid[pos];
  }

  long digestAt(int pos) {
    return ringDigest[pos];
  }

  /** The slot holding {@code zxid}, or the free slot where it would go. */
  private int slotOf(long zxid) {
    int i = (int) mix(zxid) & mask;
    while (keys[i] != EMPTY && keys[i] != zxid) i = (i + 1) & mask;
    return i;
  }

  private void evictOldest() {
    int i = slotOf(ringZxid[oldest]);
    oldest = (oldest + 1) % ringZxid.length;
    size--;
    // backward-shift deletion: move later entries of the probe run into the hole so lookups still find them
    int hole = i;
    keys[hole] = EMPTY;
    for (int j = (hole + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
      int home = (int) mix(keys[j]) & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        keys[hole] = keys[j];
        positions[hole] = positions[j];
        keys[j] = EMPTY;
        hole = j;
      }
    }
  }

  private static long mix(long z) {
    z *= 0x9E3779B97F4A7C15L;
    return z ^ (z >>> 29);
  }
}
