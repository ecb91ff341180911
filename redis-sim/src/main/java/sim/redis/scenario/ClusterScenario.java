package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.redis.cluster.ClusterClient;
import sim.redis.cluster.ClusterConfig;
import sim.redis.cluster.ClusterNode;
import sim.redis.cluster.ClusterOperator;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;

/**
 * Three masters m1, m2, m3 (slots 0-5460, 5461-10922, 10923-16383, configEpochs 1..3) and a replica of each
 * (r1, r2, r3), every server with appendonly yes / appendfsync always (a restart loses nothing it acknowledged,
 * so every loss is replication's), cluster-node-timeout 15000 (the default), and a cluster client. Safety checks:
 * <ul>
 *   <li>{@code redis.cluster-one-vote-per-epoch} (after every event): no master grants two votes in one epoch;
 *   <li>{@code redis.cluster-one-owner-per-slot-epoch} (after every event): no two masters own a slot with one configEpoch;
 *   <li>{@code redis.cluster-acked-writes-survive}: every acknowledged write is on its slot's owner at the end, unless
 *       asynchronous replication or the minority window explains exactly that write.
 * </ul>
 */
final class ClusterScenario extends LessonScenario {
  static final List<NodeId> MASTERS = List.of(NodeId.of("m1"), NodeId.of("m2"), NodeId.of("m3"));
  static final List<NodeId> REPLICAS = List.of(NodeId.of("r1"), NodeId.of("r2"), NodeId.of("r3"));
  static final NodeId CLIENT = NodeId.of("client");

  static final NodeId OPERATOR = NodeId.of("operator");

  /** What a lesson is judged by ({@code operator} is null when the lesson has none). */
  record Facts(Simulation sim, ClusterLedger ledger, ClusterClient client, ClusterOperator operator) {}

  private final String storyName;
  private final Function<Facts, CheckResult> story;
  private final List<NodeId> servers;
  private final Map<String, String> replicas;
  private final Supplier<ClusterOperator> operator;

  ClusterScenario(Lesson lesson, String storyName, Function<Facts, CheckResult> story) {
    this(lesson, storyName, story, servers(), REPLICA_OF, null);
  }

  /**
   * A cluster of m1..m3 and the replicas {@code replicas} (replica → master, in name order), and an operator that
   * sends one command; a scenario with an operator also checks redis.cluster-manual-failover-loses-nothing.
   */
  ClusterScenario(Lesson lesson, String storyName, Function<Facts, CheckResult> story, List<NodeId> servers,
      Map<String, String> replicas, Supplier<ClusterOperator> operator) {
    super(lesson);
    this.storyName = storyName;
    this.story = story;
    this.servers = List.copyOf(servers);
    this.replicas = replicas;
    this.operator = operator;
  }

  /** r1, r2, r3 replicating m1, m2, m3. */
  static final Map<String, String> REPLICA_OF = ordered(Map.of("r1", "m1", "r2", "m2", "r3", "m3"));

  static Map<String, String> ordered(Map<String, String> m) {
    return m.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  static Lesson lesson(String name, String summary, String explanation, String faultPlan, long seconds) {
    return new Lesson(name, summary, explanation, faultPlan, Durations.seconds(seconds), Durations.seconds(20));
  }

  static List<NodeId> servers() {
    List<NodeId> all = new java.util.ArrayList<>(MASTERS);
    all.addAll(REPLICAS);
    return all;
  }

  /** Every cluster lesson's server: AOF on with appendfsync always, no RDB save points. */
  static RedisConfig serverConfig() {
    RedisConfig c = new RedisConfig();
    c.appendonly = true;
    c.appendfsync = AppendFsync.ALWAYS;
    c.savePoints = List.of();
    return c;
  }

  private ClusterConfig clusterConfig() {
    return ClusterConfig.evenly(MASTERS.stream().map(NodeId::name).toList(), replicas);
  }

  @Override
  public void setup(Simulation sim) {
    for (NodeId id : servers) sim.addNode(id, () -> new ClusterNode(ClusterScenario::serverConfig, this::clusterConfig));
    sim.addClient(CLIENT, () -> new ClusterClient(servers, Durations.millis(20)));
    if (operator != null) sim.addClient(OPERATOR, operator);
    ClusterLedger ledger = new ClusterLedger(sim, servers, CLIENT);
    sim.addInvariant("redis.cluster-one-vote-per-epoch", ledger::oneVotePerEpoch);
    sim.addInvariant("redis.cluster-one-owner-per-slot-epoch", ledger::oneOwnerPerSlotEpoch);
    sim.addFinalCheck("redis.cluster-acked-writes-survive", () -> ledger.ackedWritesSurvive("redis.cluster-acked-writes-survive"));
    if (operator != null) {
      sim.addFinalCheck("redis.cluster-manual-failover-loses-nothing",
          () -> ledger.manualFailoverLosesNothing("redis.cluster-manual-failover-loses-nothing"));
    }
    sim.addLessonCheck(storyName, () -> story.apply(new Facts(sim, ledger, sim.node(CLIENT, ClusterClient.class),
        operator == null ? null : sim.node(OPERATOR, ClusterOperator.class))));
    for (NodeId id : servers) {
      sim.addInspector(id.name(), "the " + id.name() + " cluster node: state, epochs, every node's flags and slots", arg -> {
        ClusterNode n = sim.node(id, ClusterNode.class);
        return n == null ? "down" : n.describeState();
      });
    }
  }
}
