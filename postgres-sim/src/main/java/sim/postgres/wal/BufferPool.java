package sim.postgres.wal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * shared_buffers: which heap pages are resident, which are dirty, and clock-sweep eviction with usage
 * counts capped at 5 (BM_MAX_USAGE_COUNT). Evicting a dirty page writes it out first, which flushes WAL up
 * to the page's LSN (WAL before data). Page contents live in the relation (heap or index, by OID); this
 * tracks residency and dirt.
 */
public final class BufferPool {
  static final int MAX_USAGE = 5;

  static final class Buffer {
    final int rel;
    final int block;
    boolean dirty;
    int usage;

    Buffer(int rel, int block) {
      this.rel = rel;
      this.block = block;
    }
  }

  interface PageWriter {
    void write(int relOid, int block);
  }

  private final int capacity;
  private final PageWriter writer;
  private final List<Buffer> ring = new ArrayList<>();
  private final Map<Long, Buffer> byKey = new HashMap<>();
  private int hand;
  private Buffer lastTouched;
  long hits;
  long misses;
  long evictions;
  long dirtyWrites;

  BufferPool(int capacity, PageWriter writer) {
    this.capacity = capacity;
    this.writer = writer;
  }

  private static long key(int rel, int block) {
    return ((long) rel << 32) | (block & 0xffffffffL);
  }

  /** ReadBuffer + (for a change) MarkBufferDirty. */
  void touch(int rel, int block, boolean dirty) {
    Buffer last = lastTouched;
    if (last != null && last.rel == rel && last.block == block) { // still resident: eviction clears it
      hits++;
      last.usage = Math.min(MAX_USAGE, last.usage + 1);
      last.dirty |= dirty;
      return;
    }
    Buffer b = byKey.get(key(rel, block));
    if (b == null) {
      misses++;
      if (ring.size() >= capacity) evict();
      b = new Buffer(rel, block);
      ring.add(b);
      byKey.put(key(rel, block), b);
    } else {
      hits++;
    }
    b.usage = Math.min(MAX_USAGE, b.usage + 1);
    b.dirty |= dirty;
    lastTouched = b;
  }

  /** StrategyGetBuffer's clock sweep: decrement usage counts until one reaches zero, then reuse it. */
  private void evict() {
    while (true) {
      if (hand >= ring.size()) hand = 0;
      Buffer b = ring.get(hand);
      if (b.usage == 0) {
        if (b.dirty) {
          writer.write(b.rel, b.block);
          dirtyWrites++;
        }
        ring.remove(hand);
        byKey.remove(key(b.rel, b.block));
        if (b == lastTouched) lastTouched = null;
        evictions++;
        return;
      }
      b.usage--;
      hand++;
    }
  }

  /** Writes every dirty buffer (checkpoint). */
  void flushAll() {
    for (Buffer b : ring) {
      if (!b.dirty) continue;
      writer.write(b.rel, b.block);
      b.dirty = false;
      dirtyWrites++;
    }
  }

  /** Forgets a dropped relation's buffers. */
  void drop(int rel) {
    lastTouched = null;
    ring.removeIf(b -> b.rel == rel);
    byKey.values().removeIf(b -> b.rel == rel);
    hand = 0;
  }

  int dirtyCount() {
    return (int) ring.stream().filter(b -> b.dirty).count();
  }

  int size() {
    return ring.size();
  }

  String describe() {
    return "shared_buffers " + ring.size() + "/" + capacity + " used, " + dirtyCount() + " dirty, hits " + hits
        + ", misses " + misses + ", evictions " + evictions + ", page writes " + dirtyWrites;
  }
}
