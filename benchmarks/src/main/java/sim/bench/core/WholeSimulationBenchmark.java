package sim.bench.core;

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
import sim.example.register.RegisterScenarios;

/**
 * The whole kernel at work: the register example (messages, timers, disk writes and fsyncs, trace hashing,
 * invariants after every event) with its crash plan, reported as simulated events per wall-clock second
 * ({@code events} counter), with its own fault plan and with a random fault swarm added. An absolute figure:
 * the goal is at least one million simulated events per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WholeSimulationBenchmark {
  /** Simulated events per second of wall-clock time, next to the runs per second JMH reports. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Events {
    public long events;

    @Setup(Level.Iteration)
    public void reset() {
      events = 0;
    }
  }

  private final RegisterScenarios.Register scenario = new RegisterScenarios.Register(true);
  private long seed;

  @Benchmark
  public RunResult registerExample(Events counter) {
    RunResult r = ScenarioRunner.run(scenario, RunOptions.seed(++seed));
    counter.events += r.events();
    return r;
  }

  @Benchmark
  public RunResult registerExampleUnderSwarm(Events counter) {
    RunResult r = ScenarioRunner.run(scenario, RunOptions.seed(++seed).withSwarm(true));
    counter.events += r.events();
    return r;
  }
}
