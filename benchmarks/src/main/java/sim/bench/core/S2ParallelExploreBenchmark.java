package sim.bench.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.explore.Explorer;
import sim.core.explore.SeedOutcome;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

/**
 * S2: seeds explored per second on two threads against one, the same scenario under a random fault swarm.
 * This is what {@code ./sim explore --jobs 2} does: each thread has its own scenario objects (its own
 * registry) and takes the next seed from a shared counter; each simulation is single-threaded. The goal
 * (≥ 1.8×) needs two otherwise idle cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class S2ParallelExploreBenchmark {
  /** The seeds, handed out once each across threads. */
  @State(Scope.Benchmark)
  public static class Seeds {
    final AtomicLong next = new AtomicLong(1);
  }

  /** One worker's own scenario object, as each of explore's threads has. */
  @State(Scope.Thread)
  public static class Worker {
    @Param({"kafka.failover-leader-crash"})
    public String scenario;

    Explorer.Request request;

    @Setup
    public void load() {
      Scenario s = ScenarioRegistry.load().find(scenario).orElseThrow();
      request = new Explorer.Request(s, RunOptions.seed(1).withSwarm(true), 1, 1, null);
    }
  }

  @Benchmark
  @Threads(1)
  public SeedOutcome baselineOneJob(Seeds seeds, Worker w) {
    return Explorer.runSeed(w.request, seeds.next.getAndIncrement());
  }

  @Benchmark
  @Threads(2)
  public SeedOutcome twoJobs(Seeds seeds, Worker w) {
    return Explorer.runSeed(w.request, seeds.next.getAndIncrement());
  }
}
