package sim.es.cluster.coordination;

import java.util.List;

/**
 * Discovery and cluster-coordination settings, with Elasticsearch's names and defaults:
 * {@code cluster.initial_master_nodes}, {@code cluster.election.initial_timeout} 100ms,
 * {@code back_off_time} 100ms, {@code max_timeout} 10s, {@code duration} 500ms,
 * {@code cluster.fault_detection.leader_check.interval} 1s, {@code .timeout} 10s, {@code .retry_count} 3 (the
 * same for {@code follower_check}), {@code cluster.publish.timeout} 30s, {@code discovery.find_peers_interval} 1s,
 * {@code cluster.auto_shrink_voting_configuration} true.
 */
public record CoordinationSettings(List<String> initialMasterNodes, long electionInitialTimeoutMs, long electionBackOffTimeMs,
    long electionMaxTimeoutMs, long electionDurationMs, long leaderCheckIntervalMs, long leaderCheckTimeoutMs, int leaderCheckRetryCount,
    long followerCheckIntervalMs, long followerCheckTimeoutMs, int followerCheckRetryCount, long publishTimeoutMs, long findPeersIntervalMs,
    boolean autoShrinkVotingConfiguration) {

  public CoordinationSettings {
    initialMasterNodes = List.copyOf(initialMasterNodes);
  }

  public static CoordinationSettings defaults(List<String> initialMasterNodes) {
    return new CoordinationSettings(initialMasterNodes, 100, 100, 10_000, 500, 1_000, 10_000, 3, 1_000, 10_000, 3, 30_000, 1_000, true);
  }

  /** {@code cluster.auto_shrink_voting_configuration}. */
  public CoordinationSettings withAutoShrinkVotingConfiguration(boolean autoShrink) {
    return new CoordinationSettings(initialMasterNodes, electionInitialTimeoutMs, electionBackOffTimeMs, electionMaxTimeoutMs, electionDurationMs,
        leaderCheckIntervalMs, leaderCheckTimeoutMs, leaderCheckRetryCount, followerCheckIntervalMs, followerCheckTimeoutMs, followerCheckRetryCount,
        publishTimeoutMs, findPeersIntervalMs, autoShrink);
  }

  /**
   * ElectionSchedulerFactory: attempt {@code n} (from 0) waits a uniformly random {@code (0, min(initial_timeout
   * + n * back_off_time, max_timeout)]} milliseconds after the grace period.
   */
  public long electionDelayMs(long attempt, long randomLong, long gracePeriodMs) {
    long maxDelay = Math.min(electionMaxTimeoutMs, electionInitialTimeoutMs + attempt * electionBackOffTimeMs);
    long positive = randomLong == Long.MIN_VALUE ? 0 : Math.abs(randomLong);
    return positive % maxDelay + 1 + gracePeriodMs;
  }
}
