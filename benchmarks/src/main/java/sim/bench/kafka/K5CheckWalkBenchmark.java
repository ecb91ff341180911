package sim.bench.kafka;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.kafka.scenario.K5Walks;

/**
 * K5: Kafka's per-event check walk (the watch's observation, then kafka.hw-within-isr-leo,
 * kafka.replicas-agree-below-hw and kafka.log-start-within-hw) over one snapshot of the replicas, against a
 * copy of the walk before the snapshot ({@code K5OldWalk}: every check looking every replica up again), on the
 * same recorded cluster states: kafka.group-rebalance-eager (3 brokers, 3 + 50 partitions of which 50 are
 * {@code __consumer_offsets}) with its own plan plus a broker crash, frozen at 8 moments of seed 7. One
 * operation walks all 8 states once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class K5CheckWalkBenchmark {
  private K5Walks walks;

  @Setup(Level.Trial)
  public void record() {
    walks = K5Walks.eagerRebalance("at 6s crash b2; at 9s restart b2", 7,
        3, 5, 7, 8, 10, 14, 22, 30);
    if (walks.newWalks() != walks.oldWalks()) throw new IllegalStateException("the two walks disagree on the recorded states");
  }

  @Benchmark
  public int snapshotWalk() {
    return walks.newWalks();
  }

  @Benchmark
  public int baselineOldWalk() {
    return walks.oldWalks();
  }
}
