package sim.redis.cluster;

/**
 * Replica migration (clusterHandleSlaveMigration): a replica of a master with more than cluster-migration-barrier
 * working replicas moves to an orphaned master — one serving slots, with no working replica, that had one (or is a
 * promoted replica: CLUSTER_NODE_MIGRATE_TO) — once the master has been orphaned for CLUSTER_SLAVE_MIGRATION_DELAY,
 * so that during a failover the natural replicas have time to announce their new master first. Of the replicas of
 * the masters with the most working replicas, only the one with the smallest node ID moves.
 */
final class ReplicaMigration {
  /** CLUSTER_SLAVE_MIGRATION_DELAY. */
  static final long MIGRATION_DELAY_MS = 5000;

  /** clusterCron's count over the other working masters, for a replica: orphans and the most working replicas. */
  static final class Census {
    int orphanedMasters;
    int maxReplicas;
    int myMastersReplicas;

    void count(ClusterState state, NodeView master) {
      int ok = state.nonFailingReplicas(master.name);
      if (ok == 0 && !master.slots.isEmpty() && master.migrateTo) orphanedMasters++;
      if (ok > maxReplicas) maxReplicas = ok;
      if (master.name.equals(state.me().slaveof)) myMastersReplicas = ok;
    }

    /** A migration can only help with an orphan and a master with at least two working replicas, ours among them. */
    boolean migrationWorthTrying(ClusterState state) {
      return orphanedMasters > 0 && maxReplicas >= 2 && myMastersReplicas == maxReplicas && state.settings.allowReplicaMigration;
    }
  }

  private final ClusterState state;

  ReplicaMigration(ClusterState state) {
    this.state = state;
  }

  /** clusterHandleSlaveMigration(max_slaves). */
  void handle(int maxReplicas) {
    if (!state.ok) return; // step 1: only in a healthy cluster
    NodeView myMaster = state.node(state.me().slaveof);
    if (myMaster == null) return;
    int okReplicas = 0; // step 2: my master keeps more than the barrier without me
    for (NodeView r : state.replicasOf(myMaster.name)) if (!r.fail && !r.pfail) okReplicas++;
    if (okReplicas <= state.settings.migrationBarrier) return;
    NodeView target = null;
    NodeView candidate = state.me();
    long now = state.host.nowMs();
    for (NodeView node : state.nodes.values()) { // step 3: the orphan, and the candidate with the smallest node ID
      int ok = node.master ? state.nonFailingReplicas(node.name) : 0;
      boolean orphaned = node.master && !node.fail && node.migrateTo && ok == 0;
      if (orphaned) {
        if (target == null && !node.slots.isEmpty()) target = node;
        if (node.orphanedTimeMs == 0) node.orphanedTimeMs = now;
      } else {
        node.orphanedTimeMs = 0;
      }
      if (ok != maxReplicas) continue;
      for (NodeView r : state.replicasOf(node.name)) if (r.name.compareTo(candidate.name) < 0) candidate = r;
    }
    if (target == null || candidate != state.me() || now - target.orphanedTimeMs <= MIGRATION_DELAY_MS) return;
    state.host.point("redis.cluster.replica-migrated", "Migrating to orphaned master " + target.name, "from", myMaster.name, "to",
        target.name, "orphanedMs", now - target.orphanedTimeMs);
    state.setMyMaster(target.name); // step 4: clusterSetMaster
  }
}
