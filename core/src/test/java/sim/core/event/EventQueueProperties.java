package sim.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventQueueProperties {
  /** An event as the reference sees it; {@code cancelled} is the kernel's lazy timer cancel (skipped when taken out). */
  static final class E {
    final long time;
    final long seq;
    boolean cancelled;

    E(long time, long seq) {
      this.time = time;
      this.seq = seq;
    }

    @Override
    public String toString() {
      return time + "#" + seq + (cancelled ? "x" : "");
    }
  }

  /** The reference: a PriorityQueue with the (time, seq) comparator. */
  private static PriorityQueue<E> reference() {
    return new PriorityQueue<>(Comparator.<E>comparingLong(e -> e.time).thenComparingLong(e -> e.seq));
  }

  /** Interleaved adds and polls, times in any order (also before what was taken out), come out as the reference says. */
  @Property(tries = 200)
  void pollsInTimeThenInsertionOrder(@ForAll @Size(max = 300) List<@LongRange(min = -1, max = 50) Long> ops) {
    EventQueue<E> queue = new EventQueue<>(1, 1_000_000);
    PriorityQueue<E> model = reference();
    List<E> got = new ArrayList<>();
    List<E> want = new ArrayList<>();
    long seq = 0;
    for (long op : ops) {
      if (op < 0) {
        if (model.isEmpty()) continue;
        assertEquals(model.peek().time, queue.peekTime());
        got.add(queue.poll());
        want.add(model.poll());
      } else {
        E e = new E(op, seq++);
        assertEquals(e.seq, queue.add(op, e));
        model.add(e);
      }
    }
    while (!model.isEmpty()) {
      got.add(queue.poll());
      want.add(model.poll());
    }
    assertEquals(want, got);
    assertEquals(0, queue.size());
  }

  /** Poll, cancel, change the delays' scale (so the wheel reshapes), or schedule at now + delay. */
  private static final long POLL = -1;
  private static final long CANCEL = -2;
  private static final long RESCALE = -3;

  @Provide
  Arbitrary<List<Long>> kernelOps() {
    Arbitrary<Long> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(POLL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(CANCEL)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(RESCALE)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(1, 1_000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 1_000_000_000_000L)));
    return op.list().ofMaxSize(6_000);
  }

  /**
   * The kernel's use: time never goes back (events at now + delay), many at the same instant, timers far
   * ahead, timers cancelled lazily (they stay queued and are skipped when taken out), delays whose scale
   * changes over the run so the wheel reshapes. Every event comes out exactly in the reference's order.
   */
  @Property(tries = 60)
  void kernelPatternPollsExactlyAsTheReference(@ForAll("kernelOps") List<Long> ops, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    EventQueue<E> queue = new EventQueue<>(4, 1_000_000);
    PriorityQueue<E> model = reference();
    List<E> pending = new ArrayList<>();
    long now = 0;
    long scale = 1;
    long seq = 0;
    List<E> got = new ArrayList<>();
    List<E> want = new ArrayList<>();
    for (long op : ops) {
      if (op == POLL) {
        if (model.isEmpty()) continue;
        now = queue.peekTime();
        E a = queue.poll();
        E b = model.poll();
        pending.remove(b);
        if (!b.cancelled) want.add(b);
        if (!a.cancelled) got.add(a);
      } else if (op == CANCEL) {
        if (!pending.isEmpty()) pending.get(random.nextInt(pending.size())).cancelled = true;
      } else if (op == RESCALE) {
        scale = new long[] {1, 1_000, 1_000_000, 100_000_000}[random.nextInt(4)];
      } else {
        long at = now + (op > (1L << 50) / scale ? 1L << 50 : op * scale);
        E e = new E(at, seq++);
        queue.add(at, e);
        model.add(e);
        pending.add(e);
      }
    }
    while (!model.isEmpty()) {
      assertEquals(model.peek().time, queue.peekTime());
      E a = queue.poll();
      E b = model.poll();
      if (!b.cancelled) want.add(b);
      if (!a.cancelled) got.add(a);
    }
    assertEquals(want, got);
    assertTrue(queue.isEmpty());
  }

  /**
   * The hold pattern the D1 benchmark runs, with the delays' scale changing between phases: the wheel
   * reshapes, holds most events, and the order stays exactly the reference's.
   */
  @Test
  void reshapesAsTheRunChangesAndKeepsTheOrder() {
    EventQueue<E> queue = new EventQueue<>(16, 1_000_000);
    PriorityQueue<E> model = reference();
    SplittableRandom random = new SplittableRandom(7);
    long seq = 0;
    for (int i = 0; i < 1_000; i++) {
      E e = new E(random.nextLong(1_000), seq++);
      queue.add(e.time, e);
      model.add(e);
    }
    int inWheelAtEndOfFirstPhase = -1;
    for (long scale : new long[] {1_000, 1, 1_000_000_000, 50}) {
      for (int i = 0; i < 20_000; i++) {
        long now = queue.peekTime();
        E a = queue.poll();
        E b = model.poll();
        assertEquals(b, a);
        E e = new E(now + random.nextLong(scale * 1_000), seq++);
        queue.add(e.time, e);
        model.add(e);
      }
      if (inWheelAtEndOfFirstPhase < 0) inWheelAtEndOfFirstPhase = queue.inWheel();
    }
    assertTrue(queue.rebuilds() >= 3, "the wheel reshaped " + queue.rebuilds() + " times over four phases");
    assertTrue(inWheelAtEndOfFirstPhase > 900, "after a phase the wheel holds most events: " + inWheelAtEndOfFirstPhase);
    while (!model.isEmpty()) assertEquals(model.poll(), queue.poll());
  }
}
