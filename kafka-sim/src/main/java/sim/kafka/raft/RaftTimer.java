package sim.kafka.raft;

import sim.core.Timer;

/** The timers of a quorum member. Each carries the epoch-state generation it was set in, so a stale one is ignored. */
sealed interface RaftTimer extends Timer {
  long generation();

  /** An unattached or resigned voter, a prospective or a candidate ran out of time: (re)start an election. */
  record ElectionTimeout(long generation) implements RaftTimer {}

  /** A candidate that lost waited its backoff: become prospective again. */
  record BackoffExpired(long generation) implements RaftTimer {}

  /** A follower has not fetched from its leader successfully for controller.quorum.fetch.timeout.ms. */
  record FetchTimeout(long generation) implements RaftTimer {}

  /** A fetch got no answer within the request timeout: send it again. */
  record FetchRetry(long generation, long fetchId) implements RaftTimer {}

  /** The leader's periodic duties: answer parked fetches, resend BeginQuorumEpoch, check the quorum. */
  record LeaderTick(long generation) implements RaftTimer {}

  /** The quorum-state file's fsync returned: the election state it holds is durable and may be told. */
  record QuorumStatePersisted(long generation, long version) implements RaftTimer {}

  /** KafkaRaftClient's snapshot cleaner is due (every 60 s, whatever the state: the generation is not checked). */
  record SnapshotClean(long generation) implements RaftTimer {}

  /** The metadata log's fsync returned: the log up to {@code upToOffset} is durable ({@code generation}: truncations before it). */
  record LogFlushed(long generation, long upToOffset) implements RaftTimer {}
}
