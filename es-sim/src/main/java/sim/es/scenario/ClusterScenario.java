package sim.es.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.es.cluster.node.ClusterConfig;
import sim.es.cluster.node.EsNode;

/**
 * A cluster of master-eligible data nodes ({@code es1}…) holding one index, and a client writing to it: the
 * failover, partition, allocation and scoring lessons. Every run checks the cluster's safety rules
 * ({@link ClusterChecks}); each lesson adds the checks of its own story.
 */
final class ClusterScenario extends LessonScenario {
  /** A lesson's own setup beyond the cluster: extra lesson checks, scheduled actions. */
  interface Story extends BiConsumer<Simulation, ClusterScenario.Run> {}

  /** What a lesson's story can reach. */
  record Run(List<NodeId> nodes, ClusterClient[] client, ClusterChecks checks, ClusterConfig config) {}

  private final ClusterConfig config;
  private final long clientTickNanos;
  private final int waitForActiveShards;
  private final List<String> searchTexts;
  private final Story story;

  ClusterScenario(Lesson lesson, ClusterConfig config, long clientTickNanos, int waitForActiveShards, List<String> searchTexts, Story story) {
    super(lesson);
    this.config = config;
    this.clientTickNanos = clientTickNanos;
    this.waitForActiveShards = waitForActiveShards;
    this.searchTexts = searchTexts;
    this.story = story;
  }

  @Override
  public void setup(Simulation sim) {
    List<NodeId> nodes = new ArrayList<>();
    for (String n : config.nodes()) {
      NodeId id = NodeId.of(n);
      nodes.add(id);
      sim.addNode(id, () -> new EsNode(n, config));
    }
    ClusterClient[] client = new ClusterClient[1];
    boolean writes = clientTickNanos > 0;
    long tick = writes ? clientTickNanos : 1_000_000_000L;
    sim.addClient(NodeId.of("client"), () -> client[0] = new ClusterClient(nodes, tick, config.requestTimeoutMs() + 10_000, waitForActiveShards,
        searchTexts, writes));
    ClusterChecks checks = new ClusterChecks(sim, nodes, client);
    checks.install();
    sim.addInspector("cluster", "every node's coordinator (mode, term, applied version), the master's state and the cluster health", arg -> checks.describeCluster());
    sim.addInspector("shards", "the routing table with primary terms and in-sync sets, and every copy's checkpoints", arg -> checks.describeShards());
    story.accept(sim, new Run(nodes, client, checks, config));
  }
}
