package sim.core.event;

import java.util.Arrays;
import sim.core.Check;

/**
 * The kernel's pending events, ordered by (time, insertion sequence): ties at the same instant run in the
 * order they were scheduled, which makes runs deterministic.
 *
 * <p>A 4-ary min-heap over parallel primitive arrays: comparing two events reads two longs from adjacent
 * memory instead of calling a comparator on two heap objects, and a 4-ary heap halves the depth.
 */
public final class EventQueue<T> {
  private static final int ARITY = 4;

  private long[] times;
  private long[] seqs;
  private Object[] items;
  private int size;
  private long nextSeq;
  private final int capacityLimit;

  public EventQueue(int initialCapacity, int capacityLimit) {
    Check.argument(initialCapacity > 0 && capacityLimit >= initialCapacity, "bad event queue capacity");
    this.times = new long[initialCapacity];
    this.seqs = new long[initialCapacity];
    this.items = new Object[initialCapacity];
    this.capacityLimit = capacityLimit;
  }

  public EventQueue() {
    this(1024, 50_000_000);
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Adds an event at {@code time}; returns its sequence number (its tie-break). */
  public long add(long time, T item) {
    if (size == times.length) grow();
    long seq = nextSeq++;
    siftUp(size++, time, seq, item);
    return seq;
  }

  public long peekTime() {
    Check.state(size > 0, "peek on an empty event queue");
    return times[0];
  }

  public long peekSeq() {
    Check.state(size > 0, "peek on an empty event queue");
    return seqs[0];
  }

  @SuppressWarnings("unchecked")
  public T peek() {
    Check.state(size > 0, "peek on an empty event queue");
    return (T) items[0];
  }

  /** Removes and returns the earliest event; read its time with {@link #peekTime()} first. */
  @SuppressWarnings("unchecked")
  public T poll() {
    Check.state(size > 0, "poll on an empty event queue");
    T top = (T) items[0];
    int last = --size;
    long t = times[last];
    long s = seqs[last];
    Object it = items[last];
    items[last] = null;
    if (last > 0) siftDown(0, t, s, it);
    return top;
  }

  public void clear() {
    Arrays.fill(items, 0, size, null);
    size = 0;
  }

  private void grow() {
    Check.state(times.length < capacityLimit,
        "event queue is full (%d pending events): a model is scheduling without bound", times.length);
    int n = (int) Math.min((long) capacityLimit, times.length * 2L);
    times = Arrays.copyOf(times, n);
    seqs = Arrays.copyOf(seqs, n);
    items = Arrays.copyOf(items, n);
  }

  private static boolean less(long t1, long s1, long t2, long s2) {
    return t1 < t2 || (t1 == t2 && s1 < s2);
  }

  private void siftUp(int k, long t, long s, Object it) {
    long[] ts = times;
    long[] ss = seqs;
    Object[] is = items;
    while (k > 0) {
      int parent = (k - 1) >>> 2;
      long pt = ts[parent];
      long ps = ss[parent];
      if (!less(t, s, pt, ps)) break;
      ts[k] = pt;
      ss[k] = ps;
      is[k] = is[parent];
      k = parent;
    }
    ts[k] = t;
    ss[k] = s;
    is[k] = it;
  }

  private void siftDown(int k, long t, long s, Object it) {
    long[] ts = times;
    long[] ss = seqs;
    Object[] is = items;
    int n = size;
    while (true) {
      int first = (k << 2) + 1;
      if (first >= n) break;
      int best = first;
      long bt = ts[first];
      long bs = ss[first];
      int end = Math.min(first + ARITY, n);
      for (int c = first + 1; c < end; c++) {
        long ct = ts[c];
        long cs = ss[c];
        if (less(ct, cs, bt, bs)) {
          best = c;
          bt = ct;
          bs = cs;
        }
      }
      if (!less(bt, bs, t, s)) break;
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
