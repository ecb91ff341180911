package sim.bench.kafka;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.client.ProducerConfig;
import sim.kafka.scenario.ClusterSpec;
import sim.kafka.scenario.KafkaScenario;

/**
 * K2: the simulated cluster (3 brokers, RF 3, 3 partitions, a producer of 1,000 keyed records, no faults, every
 * invariant checked after every event) with acks=all and min.insync.replicas=2, against the same cluster with
 * acks=1. Both acknowledge the same records, so runs per second compare wall-clock throughput; the
 * {@code records} counter gives acknowledged records per second. Goal: acks=all ≥ 0.5× acks=1.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class K2ClusterThroughputBenchmark {
  /** Acknowledged records per wall-clock second, next to runs per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Records {
    public long records;

    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
    }
  }

  private static KafkaScenario cluster(int acks, int minInsync) {
    ProducerConfig p = ProducerConfig.defaults().withAcks(acks).withWorkload(1000, 5, true);
    ClusterSpec spec = ClusterSpec.threeBrokers().withPartitions(3).withConsumer(false)
        .withBroker(KafkaConfig.defaults().withMinInsyncReplicas(minInsync)).withProducer(p);
    return KafkaScenario.of("bench.acks-" + acks, spec, "", 10, 1);
  }

  private final KafkaScenario acksAll = cluster(-1, 2);
  private final KafkaScenario acksOne = cluster(1, 1);
  private long seed;

  @Benchmark
  public RunResult acksAllRf3(Records counter) {
    return run(acksAll, counter);
  }

  @Benchmark
  public RunResult baselineAcks1Rf3(Records counter) {
    return run(acksOne, counter);
  }

  private RunResult run(KafkaScenario s, Records counter) {
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(++seed));
    if (!r.ok()) throw new IllegalStateException(r.describeFailure());
    counter.records += 1000;
    return r;
  }
}
