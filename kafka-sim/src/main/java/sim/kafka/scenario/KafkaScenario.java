package sim.kafka.scenario;

import java.util.function.BiConsumer;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** A Kafka lesson: a cluster spec, a fault plan, optional extra setup (operator actions), and its story. */
public final class KafkaScenario extends LessonScenario {
  /** Long enough for a follower cut off by a partition to time out its fetch (replica.socket.timeout.ms) and catch up. */
  private static final long LIVENESS_SECONDS = 40;

  private final ClusterSpec spec;
  private final BiConsumer<Simulation, KafkaCluster> extra;

  KafkaScenario(String name, String summary, String explanation, ClusterSpec spec, String faultPlan, long durationSeconds,
      BiConsumer<Simulation, KafkaCluster> extra) {
    this(new Lesson(name, summary, explanation, faultPlan, Durations.seconds(durationSeconds),
        Durations.seconds(LIVENESS_SECONDS)), spec, extra);
  }

  private KafkaScenario(Lesson lesson, ClusterSpec spec, BiConsumer<Simulation, KafkaCluster> extra) {
    super(lesson);
    this.spec = spec;
    this.extra = extra;
  }

  /** A scenario without a story: a cluster shape and faults, for benchmarks and experiments. */
  public static KafkaScenario of(String name, ClusterSpec spec, String faultPlan, long durationSeconds, long livenessSeconds) {
    return new KafkaScenario(new Lesson(name, "custom cluster", "A cluster built from " + spec, faultPlan,
        Durations.seconds(durationSeconds), Durations.seconds(livenessSeconds)), spec, null);
  }

  @Override
  public void setup(Simulation sim) {
    KafkaCluster cluster = KafkaCluster.install(sim, spec);
    if (extra != null) extra.accept(sim, cluster);
  }

  public ClusterSpec spec() {
    return spec;
  }
}
