package sim.redis.scenario;

import java.util.List;
import java.util.function.Function;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.node.RedisNode;
import sim.redis.sentinel.SentinelClient;
import sim.redis.sentinel.SentinelConfig;
import sim.redis.sentinel.SentinelNode;

/**
 * A master ("redis") with two replicas, every server with appendonly yes / appendfsync always (so a restart
 * loses nothing it acknowledged and every loss is replication's), three sentinels ({@code sentinel monitor
 * mymaster redis 6379 2}, down-after-milliseconds 5000, failover-timeout 60000 — the values of Redis's own
 * example sentinel.conf), and a Sentinel-aware client. Safety checks:
 * <ul>
 *   <li>{@code redis.sentinel-one-leader-per-epoch} (after every event): no two sentinels elected in one epoch;
 *   <li>{@code redis.sentinel-acked-writes-survive}: every acknowledged write is on the master the sentinels
 *       agree on at the end, unless asynchronous replication or a split brain explains exactly that write.
 * </ul>
 */
final class SentinelScenario extends LessonScenario {
  static final NodeId MASTER = NodeId.of("redis");
  static final List<NodeId> SERVERS = List.of(MASTER, NodeId.of("replica1"), NodeId.of("replica2"));
  static final List<NodeId> SENTINELS = List.of(NodeId.of("s1"), NodeId.of("s2"), NodeId.of("s3"));
  static final NodeId CLIENT = NodeId.of("client");

  /** What a lesson is judged by. */
  record Facts(Simulation sim, SentinelLedger ledger, SentinelClient client) {}

  private final int minReplicasToWrite;
  private final String storyName;
  private final Function<Facts, CheckResult> story;

  SentinelScenario(Lesson lesson, int minReplicasToWrite, String storyName, Function<Facts, CheckResult> story) {
    super(lesson);
    this.minReplicasToWrite = minReplicasToWrite;
    this.storyName = storyName;
    this.story = story;
  }

  static Lesson lesson(String name, String summary, String explanation, String faultPlan, long seconds) {
    return new Lesson(name, summary, explanation, faultPlan, Durations.seconds(seconds), Durations.seconds(12));
  }

  private RedisConfig serverConfig(NodeId id) {
    RedisConfig c = new RedisConfig();
    c.appendonly = true;
    c.appendfsync = AppendFsync.ALWAYS;
    c.savePoints = List.of();
    c.configfile = "redis.conf"; // Sentinel rewrites it (CONFIG REWRITE) with each role it gives the server
    c.minReplicasToWrite = minReplicasToWrite;
    c.minReplicasMaxLag = 10;
    if (!id.equals(MASTER)) c.replicaofHost = MASTER.name();
    return c;
  }

  private static SentinelConfig sentinelConfig(NodeId self) {
    SentinelConfig c = SentinelConfig.monitor("mymaster", MASTER.name(), 6379, 2);
    c.downAfterMs = 5000;
    c.failoverTimeoutMs = 60_000;
    for (NodeId s : SENTINELS) if (!s.equals(self)) c.sentinels.add(s.name());
    for (NodeId r : SERVERS) if (!r.equals(MASTER)) c.knownReplicas.add(r.name()); // as a rewritten sentinel.conf lists them
    return c;
  }

  @Override
  public void setup(Simulation sim) {
    for (NodeId id : SERVERS) sim.addNode(id, () -> new RedisNode(() -> serverConfig(id)));
    for (NodeId id : SENTINELS) sim.addNode(id, () -> new SentinelNode(() -> sentinelConfig(id)));
    sim.addClient(CLIENT, () -> new SentinelClient(SENTINELS, "mymaster", Durations.millis(10)));
    SentinelLedger ledger = new SentinelLedger(sim, SERVERS, SENTINELS, CLIENT);
    sim.addInvariant("redis.sentinel-one-leader-per-epoch", ledger::oneLeaderPerEpoch);
    sim.addFinalCheck("redis.sentinel-acked-writes-survive", () -> ledger.ackedWritesSurvive("redis.sentinel-acked-writes-survive"));
    sim.addLessonCheck(storyName, () -> story.apply(new Facts(sim, ledger, sim.node(CLIENT, SentinelClient.class))));
    for (NodeId id : SENTINELS) {
      sim.addInspector(id.name(), "sentinel " + id.name() + ": epoch, vote, the master it names", arg -> {
        SentinelNode n = sim.node(id, SentinelNode.class);
        return n == null ? "down" : n.describeState();
      });
    }
    for (NodeId id : SERVERS) {
      sim.addInspector(id.name(), "the " + id.name() + " server's replication", arg -> {
        RedisNode n = sim.node(id, RedisNode.class);
        return n == null || n.server() == null ? "down" : n.describeState() + " " + n.server().info(List.of("replication")).replace("\r\n", " ");
      });
    }
  }
}
