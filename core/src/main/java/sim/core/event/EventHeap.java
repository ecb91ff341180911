package sim.core.event;

import java.util.Arrays;

/**
 * The event queue's store for events the timing wheel does not hold (too far ahead, or before the wheel's
 * window): a 4-ary min-heap ordered by (time, sequence) over parallel primitive arrays. Comparing two events
 * reads longs instead of calling a comparator on two heap objects, a 4-ary heap has half the depth of a
 * binary one, and choosing the smallest child uses conditional moves instead of branches that would be
 * mispredicted half the time.
 */
final class EventHeap {
  long[] times;
  long[] seqs;
  Object[] items;
  int size;

  EventHeap(int initialCapacity) {
    times = new long[initialCapacity];
    seqs = new long[initialCapacity];
    items = new Object[initialCapacity];
  }

  void add(long time, long seq, Object item) {
    if (size == items.length) {
      int n = items.length * 2;
      times = Arrays.copyOf(times, n);
      seqs = Arrays.copyOf(seqs, n);
      items = Arrays.copyOf(items, n);
    }
    siftUp(size++, time, seq, item);
  }

  /** Removes the earliest event (the caller read it at index 0) and returns it. */
  Object poll() {
    Object top = items[0];
    int last = --size;
    long t = times[last];
    long s = seqs[last];
    Object it = items[last];
    items[last] = null;
    if (last > 0) siftDown(t, s, it);
    return top;
  }

  private void siftUp(int k, long t, long s, Object it) {
    long[] ts = times;
    long[] ss = seqs;
    Object[] is = items;
    while (k > 0) {
      int parent = (k - 1) >>> 2;
      long pt = ts[parent];
      if (t > pt || (t == pt && s > ss[parent])) break;
      ts[k] = pt;
      ss[k] = ss[parent];
      is[k] = is[parent];
      k = parent;
    }
    ts[k] = t;
    ss[k] = s;
    is[k] = it;
  }

  private void siftDown(long t, long s, Object it) {
    long[] ts = times;
    long[] ss = seqs;
    Object[] is = items;
    int n = size;
    int k = 0;
    while (true) {
      int first = (k << 2) + 1;
      if (first >= n) break;
      int best = first;
      long bt = ts[first];
      long bs = ss[first];
      int end = Math.min(first + 4, n);
      for (int c = first + 1; c < end; c++) {
        long ct = ts[c];
        long cs = ss[c];
        // Non-short-circuit operators and ternaries compile to conditional moves: which child is smallest
        // is a coin toss, and a mispredicted branch per child costs more than the extra load.
        boolean less = (ct < bt) | ((ct == bt) & (cs < bs));
        best = less ? c : best;
        bt = less ? ct : bt;
        bs = less ? cs : bs;
      }
      if (t < bt || (t == bt && s < bs)) break;
      ts[k] = bt;
      ss[k] = bs;
      is[k] = is[best];
      k = best;
    }
    ts[k] = t;
    ss[k] = s;
    is[k] = it;
  }
}
