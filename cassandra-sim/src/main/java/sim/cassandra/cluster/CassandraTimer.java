package sim.cassandra.cluster;

import sim.core.Timer;

/** The timers a Cassandra node sets on itself. */
public sealed interface CassandraTimer extends Timer {
  /** commitlog_sync periodic: the background sync every commitlog_sync_period. */
  record PeriodicSync() implements CassandraTimer {}

  /** commitlog_sync group: the end of a group window. */
  record GroupWindow() implements CassandraTimer {}

  /** The fsync of the commit log segments returned; {@code epoch} names which writes it covers. */
  record CommitLogSynced(long epoch) implements CassandraTimer {}

  record SchemaSynced(long requestId) implements CassandraTimer {}

  record GossipTick() implements CassandraTimer {}

  record RequestTimeout(long requestId) implements CassandraTimer {}

  /** A read's speculative_retry threshold has passed since it started: ask one replica more if it still waits. */
  record SpeculateRead(long requestId) implements CassandraTimer {}

  /** Every read_request_timeout: each table's speculation threshold from its coordinator read latency. */
  record SpeculationThresholdUpdate() implements CassandraTimer {}

  record HintDispatch() implements CassandraTimer {}

  record FlushCheck() implements CassandraTimer {}

  /** {@code ring_delay} after announcing BOOT or LEAVING: pending ranges have reached every node; start streaming. */
  record RingDelayElapsed() implements CassandraTimer {}

  /** Streams of a range movement not completed yet are asked for again. */
  record StreamRetry() implements CassandraTimer {}

  /** {@code ring_delay} after announcing LEFT: the decommissioned node stops gossip and messaging. */
  record DecommissionStop() implements CassandraTimer {}

  /** A Paxos round lost to a newer ballot: try again with a higher one after a short random backoff. */
  record PaxosRetry(long id, long atLeast) implements CassandraTimer {}
}
