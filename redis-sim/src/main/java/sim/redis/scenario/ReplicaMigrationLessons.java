package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import sim.core.NodeId;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.cluster.ClusterNode;

/** Replica migration: a spare replica moves to a master left without one (cluster-migration-barrier 1). */
final class ReplicaMigrationLessons {
  private ReplicaMigrationLessons() {}

  static final List<NodeId> SERVERS = List.of(NodeId.of("m1"), NodeId.of("m2"), NodeId.of("m3"), NodeId.of("r1"), NodeId.of("r2"),
      NodeId.of("r3"), NodeId.of("r4"));

  static List<Scenario> scenarios() {
    return List.of(replicaMigration());
  }

  static Scenario replicaMigration() {
    return new ClusterScenario(ClusterScenario.lesson("redis.cluster-replica-migration",
        "replica migration: when a master loses its only replica, a spare replica of the master with the most replicas "
            + "moves to it (cluster-migration-barrier 1), so no master stays a single point of failure",
        "m1, m2, m3 own the slots; r1 replicates m1, r2 m2, and m3 has two replicas, r3 and r4. At 3 s r1 crashes. 15 s "
            + "later the nodes hold it PFAIL, the masters' reports make it FAIL, and m1 is orphaned: a master serving slots, "
            + "with no working replica, that had one (CLUSTER_NODE_MIGRATE_TO). Every replica's clusterCron counts the "
            + "orphans and the most working replicas any master has (2, m3's). r3 and r4 replicate such a master, and m3 "
            + "keeps more than cluster-migration-barrier (1) working replicas without one of them, so one may go: the one "
            + "with the smallest node ID among the replicas of the masters with the most replicas, r3. It waits until m1 has "
            + "been orphaned for CLUSTER_SLAVE_MIGRATION_DELAY (5 s), so that during a failover the natural replicas can "
            + "announce their new master first, then runs clusterSetMaster(m1): it replicates m1 (a full resync) and its "
            + "PINGs tell everyone. m3 keeps r4; m1 can survive a crash again.",
        "at 3s crash r1", 40), "redis.cluster-replica-migrated", f -> {
          String moved = f.ledger().migrations.stream().filter(m -> m.endsWith("-> m1")).findFirst().orElse(null);
          boolean failed = f.ledger().failed.contains("r1");
          ClusterNode r3 = f.sim().isUp(NodeId.of("r3")) ? f.sim().node(NodeId.of("r3"), ClusterNode.class) : null;
          ClusterNode r4 = f.sim().isUp(NodeId.of("r4")) ? f.sim().node(NodeId.of("r4"), ClusterNode.class) : null;
          boolean follows = r3 != null && "m1".equals(r3.replicaOf()) && r3.redis().server().replicationState().linkUp();
          boolean kept = r4 != null && "m3".equals(r4.replicaOf());
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.cluster-acked-writes-survive");
          boolean ok = failed && "r3: m3 -> m1".equals(moved) && follows && kept && f.ledger().migrations.size() == 1;
          return CheckResult.of("redis.cluster-replica-migrated", ok, "r1 marked FAIL: " + failed + "; migrations " + f.ledger().migrations
              + "; r3 " + (follows ? "replicates m1, its link up" : "does not replicate m1") + "; r4 " + (kept ? "still replicates m3" : "left m3")
              + "; " + loss.detail());
        }, SERVERS, ClusterScenario.ordered(Map.of("r1", "m1", "r2", "m2", "r3", "m3", "r4", "m3")), null);
  }
}
