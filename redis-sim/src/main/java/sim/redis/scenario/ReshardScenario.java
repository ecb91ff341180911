package sim.redis.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
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
import sim.redis.cluster.KeySlot;
import sim.redis.cluster.ReshardOperator;

/**
 * Three masters m1, m2, m3 (no replicas: every loss would be the resharding's, not replication's), appendonly yes /
 * appendfsync always, a client writing keys of {@link #TAGS} hash tags (all in m1's slots), and an operator that
 * moves those slots from m1 to m2 with redis-cli --cluster reshard's sequence. Safety checks:
 * <ul>
 *   <li>{@code redis.cluster-migrate-keeps-a-copy} (after every event): a key MIGRATE deletes on the source is on the
 *       target at that instant;
 *   <li>{@code redis.cluster-one-owner-per-slot-epoch} (after every event): no two masters own a slot with one configEpoch;
 *   <li>{@code redis.cluster-acked-writes-survive} (at the end): every acknowledged write is on its slot's owner.
 * </ul>
 */
final class ReshardScenario extends LessonScenario {
  static final List<NodeId> MASTERS = List.of(NodeId.of("m1"), NodeId.of("m2"), NodeId.of("m3"));
  static final NodeId CLIENT = NodeId.of("client");
  static final NodeId OPERATOR = NodeId.of("operator");
  static final int TAGS = 3;
  static final long RESHARD_AT_MS = 4000;
  /** redis-cli --cluster-timeout for MIGRATE (the default is 60000 ms; an operator shortens it). */
  static final long MIGRATE_TIMEOUT_MS = 2000;

  /** The node redis-cli --cluster add-node brings in (the add-node lesson): started alone, met, then given the slots. */
  static final NodeId JOINING = NodeId.of("m4");
  static final NodeId MEETER = NodeId.of("admin");
  static final long MEET_AT_MS = 2000;
  static final long RESHARD_TO_NEW_NODE_AT_MS = 8000;

  record Facts(Simulation sim, ClusterLedger ledger, ReshardLedger reshard, ClusterClient client, ReshardOperator operator,
      ClusterOperator meet) {}

  private final String storyName;
  private final Function<Facts, CheckResult> story;
  private final boolean addNode;

  ReshardScenario(Lesson lesson, String storyName, Function<Facts, CheckResult> story) {
    this(lesson, storyName, story, false);
  }

  /**
   * With {@code addNode}, m4 starts as a fresh cluster node, an operator sends it CLUSTER MEET m1 6379 at 2 s (what
   * redis-cli --cluster add-node does), and the slots move from m1 to m4 at 6 s instead of to m2.
   */
  ReshardScenario(Lesson lesson, String storyName, Function<Facts, CheckResult> story, boolean addNode) {
    super(lesson);
    this.storyName = storyName;
    this.story = story;
    this.addNode = addNode;
  }

  /** Every server of the lesson: the three masters, and m4 in the add-node lesson. */
  private List<NodeId> servers() {
    List<NodeId> all = new ArrayList<>(MASTERS);
    if (addNode) all.add(JOINING);
    return all;
  }

  private ClusterConfig configOf(NodeId id) {
    List<String> hosts = servers().stream().map(NodeId::name).toList();
    if (id.equals(JOINING)) return ClusterConfig.alone(id.name(), hosts);
    ClusterConfig c = clusterConfig();
    c.addresses.addAll(hosts);
    return c;
  }

  /** The first {@link #TAGS} tags t0, t1, ... whose slot is m1's (0-5460), in order: the slots that move. */
  static List<String> tags() {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < TAGS; i++) if (KeySlot.of("t" + i) <= 5460) out.add("t" + i);
    return out;
  }

  static List<Integer> movedSlots() {
    return tags().stream().map(KeySlot::of).toList();
  }

  private static ClusterConfig clusterConfig() {
    return ClusterConfig.evenly(MASTERS.stream().map(NodeId::name).toList(), new LinkedHashMap<>());
  }

  @Override
  public void setup(Simulation sim) {
    List<NodeId> servers = servers();
    for (NodeId id : servers) sim.addNode(id, () -> new ClusterNode(ClusterScenario::serverConfig, () -> configOf(id)));
    sim.addClient(CLIENT, () -> new ClusterClient(MASTERS, Durations.millis(5), tags()));
    String target = addNode ? JOINING.name() : "m2";
    long reshardAtMs = addNode ? RESHARD_TO_NEW_NODE_AT_MS : RESHARD_AT_MS;
    sim.addClient(OPERATOR, () -> new ReshardOperator("m1", target, servers.stream().map(NodeId::name).toList(), movedSlots(),
        Durations.millis(reshardAtMs), MIGRATE_TIMEOUT_MS));
    if (addNode) {
      sim.addClient(MEETER, () -> new ClusterOperator(JOINING.name(), List.of("CLUSTER", "MEET", "m1", "6379"), Durations.millis(MEET_AT_MS)));
    }
    ClusterLedger ledger = new ClusterLedger(sim, servers, CLIENT);
    ReshardLedger reshard = new ReshardLedger(sim);
    sim.addInvariant("redis.cluster-migrate-keeps-a-copy", reshard::migrateKeepsACopy);
    sim.addInvariant("redis.cluster-one-owner-per-slot-epoch", ledger::oneOwnerPerSlotEpoch);
    sim.addFinalCheck("redis.cluster-acked-writes-survive", () -> ledger.ackedWritesSurvive("redis.cluster-acked-writes-survive"));
    sim.addLessonCheck(storyName, () -> story.apply(new Facts(sim, ledger, reshard, sim.node(CLIENT, ClusterClient.class),
        sim.node(OPERATOR, ReshardOperator.class), addNode ? sim.node(MEETER, ClusterOperator.class) : null)));
    for (NodeId id : servers) {
      sim.addInspector(id.name(), "the " + id.name() + " cluster node: state, epochs, open slots", arg -> {
        ClusterNode n = sim.node(id, ClusterNode.class);
        return n == null ? "down" : n.describeState();
      });
    }
    sim.addInspector("operator", "redis-cli --cluster reshard: slots moved, the current step", arg -> {
      ReshardOperator o = sim.node(OPERATOR, ReshardOperator.class);
      return o == null ? "down" : o.describeState();
    });
  }
}
