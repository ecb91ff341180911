package sim.bench.cassandra;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * C1 and C2 per CPU-second of the measuring thread, ours and the baseline interleaved, for a machine so loaded
 * that JMH wall-clock figures are noise (it steals wall time, not CPU time). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar sim.bench.cassandra.CpuTimeRatio C1|C2}.
 */
public final class CpuTimeRatio {
  static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
  static long sink;

  private CpuTimeRatio() {}

  static double rate(LongSupplier op, long cpuNanos) {
    long start = T.getCurrentThreadCpuTime(), n = 0;
    while (T.getCurrentThreadCpuTime() - start < cpuNanos) { for (int i = 0; i < 16; i++) sink += op.getAsLong(); n += 16; }
    return n * 1e9 / (T.getCurrentThreadCpuTime() - start);
  }

  public static void main(String[] a) throws Exception {
    String which = a[0];
    LongSupplier ours, base;
    if (which.equals("C2")) {
      var b = new C2FlushBenchmark();
      b.setup();
      ours = b::flushToSSTable;
      base = b::baselineSequentialWrite;
    } else {
      var b = new C1ReplicaWritePathBenchmark();
      b.setup();
      ours = b::replicaWrite;
      base = () -> { try { return b.baselineRocksDbPutWithWal(); } catch (Exception e) { throw new RuntimeException(e); } };
    }
    long slice = which.equals("C2") ? 2_000_000_000L : 1_000_000_000L;
    for (int w = 0; w < 3; w++) { rate(ours, slice / 2); rate(base, slice / 2); }
    double so = 0, sb = 0;
    int rounds = 5;
    for (int r = 0; r < rounds; r++) {
      double o = rate(ours, slice), bb = rate(base, slice);
      so += o; sb += bb;
      System.out.printf("round %d: ours %.2f ops/cpu-s, baseline %.2f ops/cpu-s, ratio %.4f%n", r, o, bb, o / bb);
    }
    System.out.printf("%s mean: ours %.2f, baseline %.2f, ratio %.4fx%n", which, so / rounds, sb / rounds, so / sb);
  }
}
