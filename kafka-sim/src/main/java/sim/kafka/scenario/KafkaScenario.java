package sim.kafka.scenario;

import java.util.List;
import java.util.function.BiConsumer;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * A Kafka lesson: a cluster spec, a fault plan, optional extra setup (operator actions), and its story: the
 * lesson checks that say the story happened (under the scenario's own faults they must; under random ones a
 * story that did not happen is "not demonstrated").
 */
public final class KafkaScenario extends LessonScenario {
  /** Long enough for a follower cut off by a partition to time out its fetch (replica.socket.timeout.ms) and catch up. */
  private static final long LIVENESS_SECONDS = 40;

  /** One part of the story, judged at the end from what the cluster and its narration show. */
  public record StoryCheck(String name, java.util.function.Function<KafkaCluster, CheckResult> check) {}

  private final ClusterSpec spec;
  private final BiConsumer<Simulation, KafkaCluster> extra;
  private final List<StoryCheck> story;
  private int controllers = 1;
  private sim.kafka.raft.RaftConfig quorum = sim.kafka.raft.RaftConfig.defaults(List.of());

  KafkaScenario(String name, String summary, String explanation, ClusterSpec spec, String faultPlan, long durationSeconds,
      BiConsumer<Simulation, KafkaCluster> extra, StoryCheck... story) {
    this(new Lesson(name, summary, explanation, faultPlan, Durations.seconds(durationSeconds),
        Durations.seconds(LIVENESS_SECONDS)), spec, extra, List.of(story));
  }

  /** With a liveness phase of its own length (groups need time to notice members and rebalance after the heal). */
  KafkaScenario(String name, String summary, String explanation, ClusterSpec spec, String faultPlan, long durationSeconds,
      long livenessSeconds, BiConsumer<Simulation, KafkaCluster> extra, StoryCheck... story) {
    this(new Lesson(name, summary, explanation, faultPlan, Durations.seconds(durationSeconds), Durations.seconds(livenessSeconds)),
        spec, extra, List.of(story));
  }

  private KafkaScenario(Lesson lesson, ClusterSpec spec, BiConsumer<Simulation, KafkaCluster> extra, List<StoryCheck> story) {
    super(lesson);
    this.spec = spec;
    this.extra = extra;
    this.story = story;
  }

  /** A scenario without a story: a cluster shape and faults, for benchmarks and experiments. */
  public static KafkaScenario of(String name, ClusterSpec spec, String faultPlan, long durationSeconds, long livenessSeconds) {
    return new KafkaScenario(new Lesson(name, "custom cluster", "A cluster built from " + spec, faultPlan,
        Durations.seconds(durationSeconds), Durations.seconds(livenessSeconds)), spec, null, List.of());
  }

  @Override
  public void setup(Simulation sim) {
    KafkaCluster cluster = KafkaCluster.install(sim, spec, controllers, quorum);
    if (extra != null) extra.accept(sim, cluster);
    for (StoryCheck s : story) sim.addLessonCheck(s.name(), () -> s.check().apply(cluster));
  }

  /** Runs the cluster on a KRaft quorum of {@code n} controllers (controller.quorum.voters) instead of one controller. */
  KafkaScenario withControllers(int n) {
    controllers = n;
    return this;
  }

  /** The KRaft quorum's settings (snapshot and retention thresholds a scenario lowers, with Kafka's names). */
  KafkaScenario withQuorum(sim.kafka.raft.RaftConfig q) {
    quorum = q;
    return this;
  }

  public int controllers() {
    return controllers;
  }

  public ClusterSpec spec() {
    return spec;
  }

  public List<StoryCheck> story() {
    return story;
  }
}
