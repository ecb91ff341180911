package sim.bench.core;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import sim.core.event.EventQueue;

/**
 * D1: the kernel's event dispatch loop against a bare {@link PriorityQueue} loop. Both hold {@code pending}
 * events; each operation takes the earliest, runs it, and schedules a successor at a random later time
 * (the classic "hold" model of discrete-event simulation), with ties broken by insertion order. Both
 * allocate one object per scheduled event, as the kernel does for each message or timer. The baseline
 * orders with a plain hand-written comparator over the record's fields.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventDispatchBenchmark {
  private static final int OPS = 10_000;

  /** The baseline's event: when, its tie-break, and what it does. */
  record Event(long time, long seq, Runnable action) {}

  /** The kernel's event: only what it does; time and tie-break live in the queue's primitive arrays. */
  record Payload(Runnable action) {}

  @Param({"1000"})
  int pending;

  private EventQueue<Payload> kernel;
  private PriorityQueue<Event> baseline;
  private long baselineSeq;
  private long kernelNow;
  private long baselineNow;
  private long[] deltas;
  private int cursor;
  private long counter;
  private final Runnable action = () -> counter++;

  @Setup(Level.Iteration)
  public void fill() {
    SplittableRandom random = new SplittableRandom(42);
    deltas = new long[1 << 16];
    for (int i = 0; i < deltas.length; i++) deltas[i] = 1 + random.nextLong(1_000_000);
    kernel = new EventQueue<>(2 * pending, 1 << 24);
    // The comparator anyone would write by hand (not a chained comparingLong(...).thenComparingLong(...)).
    baseline = new PriorityQueue<>(2 * pending, (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    for (int i = 0; i < pending; i++) {
      long t = deltas[i];
      kernel.add(t, new Payload(action));
      baseline.add(new Event(t, baselineSeq++, action));
    }
  }

  private long nextDelta() {
    cursor = (cursor + 1) & (deltas.length - 1);
    return deltas[cursor];
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void kernelEventQueue(Blackhole bh) {
    for (int i = 0; i < OPS; i++) {
      kernelNow = kernel.peekTime();
      Payload p = kernel.poll();
      p.action().run();
      kernel.add(kernelNow + nextDelta(), new Payload(p.action()));
    }
    bh.consume(counter);
  }

  @Benchmark
  @OperationsPerInvocation(OPS)
  public void baselinePriorityQueue(Blackhole bh) {
    for (int i = 0; i < OPS; i++) {
      Event e = baseline.poll();
      baselineNow = e.time();
      e.action().run();
      baseline.add(new Event(baselineNow + nextDelta(), baselineSeq++, e.action()));
    }
    bh.consume(counter);
  }
}
