package sim.bench.cassandra;

/**
 * The name the README's C1 and C2 figures were first measured with; the measurement is now
 * {@link sim.bench.CpuTimeRatio}, which also covers K3, K4 and Z1 and prints the process's clock too.
 */
public final class CpuTimeRatio {
  private CpuTimeRatio() {}

  public static void main(String[] a) throws Exception {
    sim.bench.CpuTimeRatio.main(a);
  }
}
