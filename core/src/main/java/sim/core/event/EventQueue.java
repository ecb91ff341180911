package sim.core.event;

import java.util.Arrays;
import sim.core.Check;

/**
 * The kernel's pending events, ordered by (time, insertion sequence): ties at the same instant run in the
 * order they were scheduled, which makes runs deterministic.
 *
 * <p>A timing wheel (a calendar queue, Brown 1988) for the near future in front of a 4-ary heap
 * ({@link EventHeap}) for everything else. The wheel has a power-of-two number of buckets, each
 * {@code 2^shift} ns wide, covering the window {@code [base, base + buckets << shift)} where {@code base} is
 * the start of the bucket the clock is in; an event inside the window goes to its bucket, a list kept in
 * (time, sequence) order (a new event almost always lands at the tail: same-instant bursts and mostly
 * increasing times append in O(1)). A bitmap of non-empty buckets finds the next one without walking empty
 * buckets. Anything outside the window (far timers, or an event before {@code base}) goes to the heap, and
 * the earliest event is the smaller of the wheel's first and the heap's top, compared by (time, sequence):
 * the order is exact whatever the wheel's geometry, which only decides how fast it is.
 *
 * <p>The geometry follows the run: every {@value #WINDOW} events taken out, the mean time between them
 * sets the bucket width (about one event per bucket) and the number pending sets the bucket count (the
 * window holds about twice the pending events' spread in the "hold" pattern: take the earliest, schedule a
 * successor a random while later). A geometry that is off by less than a factor of four is kept, so noise
 * does not rebuild the wheel; a rebuild moves the wheel's events into the heap and takes back those inside
 * the new window, in order.
 *
 * <p>Measured against {@link java.util.PriorityQueue} by the D1 benchmark.
 */
public final class EventQueue<T> {
  /** Events taken out between two looks at the wheel's geometry. */
  static final int WINDOW = 1024;
  private static final int MIN_BUCKETS = 64;
  private static final int MAX_BUCKETS = 1 << 16;
  private static final int MAX_SHIFT = 40;
  private static final int NONE = -1;
  private static final int UNKNOWN = -2;
  private static final int FROM_HEAP = -1;

  private final EventHeap heap;
  private final int capacityLimit;
  private int size;
  private long nextSeq;

  // The wheel: bucket b holds a list of nodes head[b] → … → tail[b], by (time, seq).
  private int shift = 16;
  private int mask;
  private int[] head;
  private int[] tail;
  private long[] occupied;
  private long base;
  private long span;
  private int wheelSize;

  // The wheel's nodes, pooled in parallel arrays; free nodes are chained through next.
  private long[] nodeTime;
  private long[] nodeSeq;
  private Object[] nodeItem;
  private int[] next;
  private int freeNode = NONE;
  private int poolTop;

  // The earliest event, once found: FROM_HEAP, a bucket, or UNKNOWN.
  private int minAt = UNKNOWN;
  private long minTime;

  // The geometry's measuring window.
  private int windowPolls;
  private long windowStartNanos;
  private int rebuilds;

  public EventQueue(int initialCapacity, int capacityLimit) {
    Check.argument(initialCapacity > 0 && capacityLimit >= initialCapacity, "bad event queue capacity");
    this.capacityLimit = capacityLimit;
    this.heap = new EventHeap(Math.max(16, initialCapacity / 4));
    int pool = Math.max(16, initialCapacity);
    nodeTime = new long[pool];
    nodeSeq = new long[pool];
    nodeItem = new Object[pool];
    next = new int[pool];
    resizeWheel(Math.max(MIN_BUCKETS, Math.min(MAX_BUCKETS, Integer.highestOneBit(initialCapacity))));
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
    if (size >= capacityLimit) {
      throw new IllegalStateException("event queue is full (" + size + " pending events): a model is scheduling without bound");
    }
    long seq = nextSeq++;
    size++;
    // The new event has the largest sequence so far: it is the earliest only if strictly earlier.
    if (minAt != UNKNOWN && time < minTime) minAt = UNKNOWN;
    if (time >= base && Long.compareUnsigned(time - base, span) < 0) {
      wheelInsert(time, seq, item);
    } else {
      heap.add(time, seq, item);
    }
    return seq;
  }

  public long peekTime() {
    Check.state(size > 0, "peek on an empty event queue");
    if (minAt == UNKNOWN) findMin();
    return minTime;
  }

  /** Removes and returns the earliest event; read its time with {@link #peekTime()} first. */
  @SuppressWarnings("unchecked")
  public T poll() {
    Check.state(size > 0, "poll on an empty event queue");
    if (minAt == UNKNOWN) findMin();
    long t = minTime;
    Object item;
    if (minAt == FROM_HEAP) {
      item = heap.poll();
    } else {
      item = wheelRemoveFirst(minAt);
    }
    minAt = UNKNOWN;
    size--;
    long aligned = t & -(1L << shift);
    if (aligned > base) base = aligned;
    if (++windowPolls == WINDOW) retune(t);
    return (T) item;
  }

  /** What {@link #forEach} hands over: one pending event and when it is due. */
  public interface Visitor<T> {
    void visit(long time, long seq, T item);
  }

  /** Visits every pending event, in no particular order; for tools that list what is pending. */
  @SuppressWarnings("unchecked")
  public void forEach(Visitor<? super T> visitor) {
    for (int i = 0; i < heap.size; i++) visitor.visit(heap.times[i], heap.seqs[i], (T) heap.items[i]);
    for (int b = 0; b <= mask; b++) {
      for (int n = head[b]; n != NONE; n = next[n]) visitor.visit(nodeTime[n], nodeSeq[n], (T) nodeItem[n]);
    }
  }

  /** How often the wheel was reshaped (tests: the reshaping path is exercised). */
  int rebuilds() {
    return rebuilds;
  }

  /** How many pending events sit in the wheel rather than the heap (tests). */
  int inWheel() {
    return wheelSize;
  }

  // ---- the earliest event ----

  private void findMin() {
    int b = wheelSize > 0 ? firstOccupied() : NONE;
    if (b == NONE) {
      minAt = FROM_HEAP;
      minTime = heap.times[0];
      return;
    }
    int n = head[b];
    long wt = nodeTime[n];
    if (heap.size > 0) {
      long ht = heap.times[0];
      if (ht < wt || (ht == wt && heap.seqs[0] < nodeSeq[n])) {
        minAt = FROM_HEAP;
        minTime = ht;
        return;
      }
    }
    minAt = b;
    minTime = wt;
  }

  /** The first non-empty bucket from the clock's on, wrapping: the wheel holds one window, so it is the earliest. */
  private int firstOccupied() {
    int from = (int) (base >> shift) & mask;
    long[] bits = occupied;
    int word = from >>> 6;
    long w = bits[word] & (-1L << (from & 63));
    int words = bits.length;
    for (int i = 0; i <= words; i++) {
      if (w != 0) return (word << 6) + Long.numberOfTrailingZeros(w);
      word = word + 1 == words ? 0 : word + 1;
      w = bits[word];
    }
    throw new IllegalStateException("event queue: wheel count says non-empty, bitmap says empty");
  }

  // ---- the wheel ----

  private void wheelInsert(long time, long seq, Object item) {
    int n = newNode(time, seq, item);
    int b = (int) (time >> shift) & mask;
    int last = tail[b];
    wheelSize++;
    if (last == NONE) {
      head[b] = n;
      tail[b] = n;
      occupied[b >>> 6] |= 1L << b;
      return;
    }
    long lt = nodeTime[last];
    if (lt < time || (lt == time && nodeSeq[last] < seq)) {
      next[last] = n;
      tail[b] = n;
      return;
    }
    // Earlier than the bucket's last event: walk from the head to the first event after it.
    int prev = NONE;
    int cur = head[b];
    while (cur != NONE) {
      long ct = nodeTime[cur];
      if (ct > time || (ct == time && nodeSeq[cur] > seq)) break;
      prev = cur;
      cur = next[cur];
    }
    next[n] = cur;
    if (prev == NONE) head[b] = n;
    else next[prev] = n;
  }

  private Object wheelRemoveFirst(int b) {
    int n = head[b];
    int after = next[n];
    head[b] = after;
    if (after == NONE) {
      tail[b] = NONE;
      occupied[b >>> 6] &= ~(1L << b);
    }
    Object item = nodeItem[n];
    nodeItem[n] = null;
    next[n] = freeNode;
    freeNode = n;
    wheelSize--;
    return item;
  }

  private int newNode(long time, long seq, Object item) {
    int n = freeNode;
    if (n != NONE) {
      freeNode = next[n];
    } else {
      if (poolTop == next.length) growPool();
      n = poolTop++;
    }
    nodeTime[n] = time;
    nodeSeq[n] = seq;
    nodeItem[n] = item;
    next[n] = NONE;
    return n;
  }

  private void growPool() {
    int len = next.length * 2;
    nodeTime = Arrays.copyOf(nodeTime, len);
    nodeSeq = Arrays.copyOf(nodeSeq, len);
    nodeItem = Arrays.copyOf(nodeItem, len);
    next = Arrays.copyOf(next, len);
  }

  // ---- the wheel's geometry ----

  private void retune(long nowNanos) {
    long gap = (nowNanos - windowStartNanos) / WINDOW;
    windowPolls = 0;
    windowStartNanos = nowNanos;
    if (gap <= 0) return; // a burst at one instant (or time went back in a test): nothing to learn
    // The smallest power of two ≥ the gap, at most 2^40 ns (18 minutes) so that the window's span fits a long.
    int wantShift = Math.min(MAX_SHIFT, 64 - Long.numberOfLeadingZeros(gap - 1));
    int wantBuckets = Math.max(MIN_BUCKETS, Math.min(MAX_BUCKETS, Integer.highestOneBit(Math.max(1, size)) << 2));
    int buckets = mask + 1;
    boolean widthOk = Math.abs(wantShift - shift) < 2;
    boolean countOk = buckets >= wantBuckets / 4 && buckets <= wantBuckets * 4;
    if (widthOk && countOk) return;
    rebuild(wantShift, countOk ? buckets : wantBuckets, nowNanos);
  }

  /** Moves the wheel's events into the heap, reshapes the wheel, and takes back those inside its new window. */
  private void rebuild(int newShift, int buckets, long nowNanos) {
    rebuilds++;
    for (int b = 0; b <= mask; b++) {
      for (int n = head[b]; n != NONE; n = next[n]) heap.add(nodeTime[n], nodeSeq[n], nodeItem[n]);
    }
    Arrays.fill(nodeItem, 0, poolTop, null);
    poolTop = 0;
    freeNode = NONE;
    wheelSize = 0;
    shift = newShift;
    resizeWheel(buckets);
    // Every event is in the heap now, so any base is right; the clock's bucket wastes none of the window.
    base = nowNanos & -(1L << shift);
    while (heap.size > 0) {
      long t = heap.times[0];
      if (t < base || Long.compareUnsigned(t - base, span) >= 0) break;
      long s = heap.seqs[0];
      wheelInsert(t, s, heap.poll());
    }
    minAt = UNKNOWN;
  }

  private void resizeWheel(int buckets) {
    mask = buckets - 1;
    head = new int[buckets];
    tail = new int[buckets];
    Arrays.fill(head, NONE);
    Arrays.fill(tail, NONE);
    occupied = new long[Math.max(1, buckets >>> 6)];
    span = (long) buckets << shift;
  }
}
