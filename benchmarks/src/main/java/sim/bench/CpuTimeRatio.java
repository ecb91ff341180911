package sim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import sim.bench.cassandra.C1ReplicaWritePathBenchmark;
import sim.bench.cassandra.C2FlushBenchmark;
import sim.bench.kafka.K3ConsumerFetchPathBenchmark;
import sim.bench.kafka.K4CleanerThroughputBenchmark;
import sim.bench.zk.Z1CommitThroughputBenchmark;

/**
 * A benchmark's ratio per CPU-second instead of per wall-clock second, ours and the baseline interleaved, for a
 * machine so loaded that JMH's wall-clock figures are noise (other processes steal wall time, not CPU time).
 * Each round prints two clocks: the measuring thread's CPU time ({@code ThreadMXBean}) and the whole process's
 * ({@code OperatingSystemMXBean.getProcessCpuTime}: garbage collection, the JIT and any threads the side starts,
 * such as RocksDB's flush and compaction or ZooKeeper's server threads, are counted too). Which one is
 * meaningful depends on the case: Z1's baseline does its work on other threads, so only the process figure
 * says anything there; K4 prepares a fresh log before each operation outside the measurement, so only the
 * thread figure does. Run: {@code java -cp benchmarks/target/benchmarks.jar sim.bench.CpuTimeRatio C1|C2|K3|K4|Z1 [rounds]}.
 */
public final class CpuTimeRatio {
  private static final ThreadMXBean THREAD = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  static long sink;

  private CpuTimeRatio() {}

  /** One side of a case: an operation and, for cases that need it, a step before each one that is not measured. */
  interface Side {
    long op() throws Exception;

    default void prepare() {}
  }

  /** {@code perOpPrepare}: call prepare before every op and time each op alone; {@code processClock}: slices end by process CPU. */
  record Case(Side ours, Side base, long sliceNanos, boolean perOpPrepare, boolean processClock) {}

  /** Operations per CPU-second by the thread's and by the process's clock over one slice. */
  record Rate(double perThreadSecond, double perProcessSecond) {}

  static Rate rate(Case c, Side s, long nanos) throws Exception {
    return c.perOpPrepare() ? preparedRate(s, nanos) : loopRate(s, nanos, c.processClock());
  }

  private static Rate loopRate(Side s, long nanos, boolean processClock) throws Exception {
    long t0 = THREAD.getCurrentThreadCpuTime(), p0 = OS.getProcessCpuTime(), n = 0;
    while ((processClock ? OS.getProcessCpuTime() - p0 : THREAD.getCurrentThreadCpuTime() - t0) < nanos) {
      for (int i = 0; i < 16; i++) sink += s.op();
      n += 16;
    }
    long t = THREAD.getCurrentThreadCpuTime() - t0, p = OS.getProcessCpuTime() - p0;
    return new Rate(n * 1e9 / t, n * 1e9 / p);
  }

  private static Rate preparedRate(Side s, long nanos) throws Exception {
    long t = 0, n = 0;
    while (t < nanos) {
      s.prepare();
      long t0 = THREAD.getCurrentThreadCpuTime();
      sink += s.op();
      t += THREAD.getCurrentThreadCpuTime() - t0;
      n++;
    }
    return new Rate(n * 1e9 / t, Double.NaN);
  }

  static Case of(String which) throws Exception {
    switch (which) {
      case "C1" -> {
        var b = new C1ReplicaWritePathBenchmark();
        b.setup();
        return new Case(b::replicaWrite, b::baselineRocksDbPutWithWal, 1_000_000_000L, false, false);
      }
      case "C2" -> {
        var b = new C2FlushBenchmark();
        b.setup();
        return new Case(b::flushToSSTable, b::baselineSequentialWrite, 2_000_000_000L, false, false);
      }
      case "K3" -> {
        var b = new K3ConsumerFetchPathBenchmark();
        b.setUp();
        return new Case(b::consumerFetchPath, b::baselineKafkaClientsMemoryRecords, 1_000_000_000L, false, false);
      }
      case "K4" -> {
        var b = new K4CleanerThroughputBenchmark();
        b.batches();
        Side ours = new Side() {
          public long op() { return b.clean(); }
          public void prepare() { b.dirtyLog(); }
        };
        Side base = new Side() {
          public long op() { return b.baselineCopySegmentBytes(); }
          public void prepare() { b.dirtyLog(); }
        };
        return new Case(ours, base, 1_000_000_000L, true, false);
      }
      case "Z1" -> {
        System.setProperty("zookeeper.forceSync", "no");
        var sim = new Z1CommitThroughputBenchmark.Simulated();
        sim.setUp();
        var real = new Z1CommitThroughputBenchmark.Real();
        real.setUp();
        var b = new Z1CommitThroughputBenchmark();
        return new Case(() -> b.simulatedEnsembleSetData(sim), () -> b.baselineRealZooKeeperSetData(real), 2_000_000_000L, false, true);
      }
      default -> throw new IllegalArgumentException("one of C1 C2 K3 K4 Z1, not " + which);
    }
  }

  public static void main(String[] a) throws Exception {
    String which = a[0];
    int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 5;
    Case c = of(which);
    for (int w = 0; w < 3; w++) {
      rate(c, c.ours(), c.sliceNanos() / 2);
      rate(c, c.base(), c.sliceNanos() / 2);
    }
    double ot = 0, bt = 0, op = 0, bp = 0;
    for (int r = 0; r < rounds; r++) {
      Rate o = rate(c, c.ours(), c.sliceNanos()), b = rate(c, c.base(), c.sliceNanos());
      ot += o.perThreadSecond();
      bt += b.perThreadSecond();
      op += o.perProcessSecond();
      bp += b.perProcessSecond();
      System.out.printf(Locale.ROOT, "round %d: per thread CPU-s ours %.1f, baseline %.1f, ratio %.4f | per process CPU-s ours %.1f, baseline %.1f, ratio %.4f%n",
          r, o.perThreadSecond(), b.perThreadSecond(), o.perThreadSecond() / b.perThreadSecond(),
          o.perProcessSecond(), b.perProcessSecond(), o.perProcessSecond() / b.perProcessSecond());
    }
    System.out.printf(Locale.ROOT, "%s mean over %d rounds: per thread CPU-s ours %.1f, baseline %.1f, ratio %.4fx | per process CPU-s ours %.1f, baseline %.1f, ratio %.4fx%n",
        which, rounds, ot / rounds, bt / rounds, ot / bt, op / rounds, bp / rounds, op / bp);
    System.exit(0); // Z1's ZooKeeper threads and RocksDB's would keep the JVM up
  }
}
