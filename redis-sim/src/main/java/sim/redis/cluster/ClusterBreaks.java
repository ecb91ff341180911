package sim.redis.cluster;

/** Cluster rules {@code --break} can switch off, to show why they exist. */
public final class ClusterBreaks {
  private ClusterBreaks() {}

  /** clusterSendFailoverAuthIfNeeded forgets lastVoteEpoch and the per-master voted_time: every request is granted. */
  public static final String VOTE_TWICE_PER_EPOCH = "redis.cluster-vote-twice-per-epoch";

  /** clusterFailoverReplaceYourMaster keeps the old master's configEpoch instead of the election's epoch. */
  public static final String PROMOTE_KEEPS_CONFIG_EPOCH = "redis.cluster-promote-keeps-config-epoch";

  /** clusterHandleManualFailover starts the election on the paused master's offset without waiting to have processed it. */
  public static final String MF_SKIPS_OFFSET_WAIT = "redis.cluster-manual-failover-skips-offset-wait";

  /** migrateCommand deletes the keys when it sends the RESTOREs, not after the target's +OK for each. */
  public static final String MIGRATE_DELETES_BEFORE_RESTORE = "redis.cluster-migrate-deletes-before-restore";
}
