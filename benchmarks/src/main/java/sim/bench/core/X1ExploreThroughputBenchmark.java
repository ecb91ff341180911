package sim.bench.core;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * X1: what a user waits for {@code ./sim explore S --seeds N} on one core, JVM start included, against the
 * simulator as it was when exploration throughput was first measured (commit 2fe7250, built by
 * {@code benchmarks/scripts/x1-baseline.sh} into {@code target/x1-baseline/sim.jar}). Each operation starts
 * one JVM pinned to one core ({@code taskset -c}) that explores {@code seeds} seeds and exits; ours runs with
 * the JVM options {@code ./sim} uses for explore, the baseline with the default ones its launcher used. Both
 * run the same scenario name, seeds 1..N, in the same JMH run (JMH runs one method's iterations, then the other's).
 * The models behind a name have changed since (bugs exploration found were fixed), so seeds/min is the
 * figure the goal names, not the work per seed. This is the edge: it starts processes, it is not a model.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class X1ExploreThroughputBenchmark {
  @Param({"kafka.failover-leader-crash", "zk.leader-crash"})
  public String scenario;

  @Param({"200"})
  public int seeds;

  private List<String> ours;
  private List<String> baseline;

  @Setup
  public void jars() {
    String core = System.getProperty("x1.core", "0");
    File jar = existing(System.getProperty("x1.jar", "cli/target/sim.jar"), "mvn -pl cli -am package -DskipTests");
    File old = existing(System.getProperty("x1.baseline", "target/x1-baseline/sim.jar"), "benchmarks/scripts/x1-baseline.sh");
    ours = command(core, jar, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), List.of("--no-progress"));
    baseline = command(core, old, List.of(), List.of()); // it had no progress bar, nor the option

  }

  private static File existing(String path, String buildWith) {
    File f = new File(path);
    if (!f.isFile()) throw new IllegalStateException("X1 needs " + f.getAbsolutePath() + " (build it with " + buildWith + ")");
    return f;
  }

  private List<String> command(String core, File jar, List<String> jvmOptions, List<String> more) {
    List<String> c = new ArrayList<>(List.of("taskset", "-c", core, System.getProperty("java.home") + "/bin/java"));
    c.addAll(jvmOptions);
    c.addAll(List.of("-jar", jar.getAbsolutePath(), "explore", scenario, "--seeds", Integer.toString(seeds)));
    c.addAll(more);
    return c;
  }

  private static int explore(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int exit = p.waitFor();
    if (exit > 1) throw new IllegalStateException("exit " + exit + " from " + String.join(" ", command)); // 1 = a seed broke: the seeds ran
    return exit;
  }

  @Benchmark
  public int exploreOnOneCore() throws IOException, InterruptedException {
    return explore(ours);
  }

  @Benchmark
  public int baselineIssueTimeExplore() throws IOException, InterruptedException {
    return explore(baseline);
  }
}
