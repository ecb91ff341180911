package sim.redis.sentinel;

/** Sentinel rules {@code --break} can switch off, to show why they exist. */
public final class SentinelBreaks {
  private SentinelBreaks() {}

  /** sentinelVoteLeader grants every request of the current epoch, forgetting it already voted in it. */
  public static final String VOTE_TWICE_PER_EPOCH = "redis.sentinel-vote-twice-per-epoch";

  /**
   * sentinelSendSlaveOf sends SLAVEOF alone, without CONFIG REWRITE: a server promoted (or re-pointed) by a
   * failover restarts with the replicaof of its original redis.conf.
   */
  public static final String SLAVEOF_WITHOUT_CONFIG_REWRITE = "redis.sentinel-slaveof-without-config-rewrite";
}
