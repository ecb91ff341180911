package sim.redis.cluster;

/** The cluster-* options of redis.conf the model uses, with Redis 7.0's defaults, and the --break rules. */
public final class ClusterSettings {
  /** cluster-node-timeout. */
  public long clusterNodeTimeoutMs = 15_000;
  /** cluster-require-full-coverage. */
  public boolean requireFullCoverage = true;
  /** cluster-migration-barrier: a replica migrates only if its master keeps more than this many working replicas. */
  public int migrationBarrier = 1;
  /** cluster-allow-replica-migration. */
  public boolean allowReplicaMigration = true;
  /** --break redis.cluster-manual-failover-skips-offset-wait: the replica starts as soon as it hears the paused offset. */
  boolean mfSkipsOffsetWait;
  /** --break redis.cluster-vote-twice-per-epoch: a master forgets lastVoteEpoch and voted_time. */
  boolean voteTwicePerEpoch;
  /** --break redis.cluster-promote-keeps-config-epoch: a promoted replica keeps its old master's configEpoch. */
  boolean promoteKeepsConfigEpoch;

  /** CLUSTER_FAIL_REPORT_VALIDITY_MULT: a failure report counts for node-timeout * 2. */
  static final int FAIL_REPORT_VALIDITY_MULT = 2;
  /** CLUSTER_FAIL_UNDO_TIME_MULT: a reachable FAILed master with its slots still unserved is cleared after this. */
  static final int FAIL_UNDO_TIME_MULT = 2;

  long failReportValidityMs() {
    return clusterNodeTimeoutMs * FAIL_REPORT_VALIDITY_MULT;
  }
}
