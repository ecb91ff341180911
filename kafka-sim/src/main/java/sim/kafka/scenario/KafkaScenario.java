package sim.kafka.scenario;

import java.util.function.BiConsumer;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.scenario.Scenario;

/** A Kafka lesson: a cluster spec, a fault plan, optional extra setup (operator actions), and its story. */
public final class KafkaScenario implements Scenario {
  private final String name;
  private final String summary;
  private final String explanation;
  private final ClusterSpec spec;
  private final String faultPlan;
  private final long durationNanos;
  private long livenessNanos;
  private final BiConsumer<Simulation, KafkaCluster> extra;

  KafkaScenario(String name, String summary, String explanation, ClusterSpec spec, String faultPlan, long durationSeconds,
      BiConsumer<Simulation, KafkaCluster> extra) {
    this.name = name;
    this.summary = summary;
    this.explanation = explanation;
    this.spec = spec;
    this.faultPlan = faultPlan;
    this.durationNanos = Durations.seconds(durationSeconds);
    this.livenessNanos = Durations.seconds(40);
    this.extra = extra;
  }

  /** A scenario without a story: a cluster shape and faults, for benchmarks and experiments. */
  public static KafkaScenario of(String name, ClusterSpec spec, String faultPlan, long durationSeconds, long livenessSeconds) {
    KafkaScenario s = new KafkaScenario(name, "custom cluster", "A cluster built from " + spec, spec, faultPlan, durationSeconds, null);
    s.livenessNanos = Durations.seconds(livenessSeconds);
    return s;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String summary() {
    return summary;
  }

  @Override
  public String explanation() {
    return explanation;
  }

  @Override
  public void setup(Simulation sim) {
    KafkaCluster cluster = KafkaCluster.install(sim, spec);
    if (extra != null) extra.accept(sim, cluster);
  }

  @Override
  public String faultPlan() {
    return faultPlan;
  }

  @Override
  public long durationNanos() {
    return durationNanos;
  }

  /** Long enough for a follower cut off by a partition to time out its fetch (replica.socket.timeout.ms) and catch up. */
  @Override
  public long livenessNanos() {
    return livenessNanos;
  }

  public ClusterSpec spec() {
    return spec;
  }
}
