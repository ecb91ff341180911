package sim.es.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.es.cluster.node.ClusterConfig;
import sim.es.engine.EsConfig;

/** The cluster lessons: failover, a partitioned master, stale copies, disk watermarks, scoring across shards. */
final class ClusterLessons {
  static final List<String> THREE = List.of("es1", "es2", "es3");
  static final EsConfig ENGINE = EsConfig.defaults().withFlushThresholdSizeBytes(16 * 1024);

  private ClusterLessons() {}

  static List<Scenario> scenarios() {
    return List.of(failoverPrimary());
  }

  static Scenario failoverPrimary() {
    ClusterConfig config = ClusterConfig.of(THREE, 3, 1, ENGINE);
    return new ClusterScenario(new Lesson("es.failover-primary",
        "How Elasticsearch handles failures: the node holding a primary dies, the master promotes an in-sync replica with a new primary term, nothing acknowledged is lost",
        "Three master-eligible data nodes hold an index of 3 primaries with 1 replica each, one primary per node. A client writes a document every 50ms through any node. At 8s es2, which holds shard 1's primary, crashes: the master hears the connection reset (node-left), fails the copies on it and promotes shard 1's replica — only a copy in the in-sync set may become primary — with the next primary term; the new primary fills its seq_no gaps, resyncs what it has above the global checkpoint, and writes go on. At 16s the node restarts, rejoins with its copy on disk, and recovers it as a replica from the new primary, by operations if its retention lease still covers them. \\\\shards shows primary terms, in-sync sets and checkpoints; \\\\cluster the master, term and version.",
        "at 8s crash es2; at 16s restart es2", Durations.seconds(30), Durations.seconds(20)), config, Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          sim.addLessonCheck("es.replica-promoted", () -> {
            long promoted = run.checks().allocationChanges.stream().filter(c -> c.contains("promoted to primary")).count();
            return CheckResult.of("es.replica-promoted", promoted > 0, promoted + " replicas promoted to primary");
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> CheckResult.of("es.cluster-green-at-end", run.checks().health().equals("green"),
              "cluster health " + run.checks().health()));
        });
  }
}
