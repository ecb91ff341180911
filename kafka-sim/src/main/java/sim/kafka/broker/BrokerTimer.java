package sim.kafka.broker;

import sim.core.Timer;

/** A broker's timers. {@code generation} ties a follower timer to one leadership, so stale ones do nothing. */
sealed interface BrokerTimer extends Timer {
  record Heartbeat() implements BrokerTimer {}

  /** A KRaft broker still starting heartbeats again 10 ms after each answer (BrokerLifecycleManager); only the latest counts. */
  record HeartbeatSoon(long seq) implements BrokerTimer {}

  /** The leader's ISR expiration check, every {@code replica.lag.time.max.ms / 2} as in Kafka. */
  record IsrExpiration() implements BrokerTimer {}

  record FetchTimeout(TopicPartition tp, int generation, long correlationId) implements BrokerTimer {}

  record FetchBackoff(TopicPartition tp, int generation) implements BrokerTimer {}

  record ProduceTimeout(TopicPartition tp, long id) implements BrokerTimer {}

  record ParkedFetchExpired(TopicPartition tp, long id) implements BrokerTimer {}

  record AlterPartitionTimeout(TopicPartition tp, int attempt) implements BrokerTimer {}

  record ControlledShutdownRetry() implements BrokerTimer {}

  /** The durability door returned: the log of {@code tp} is on disk up to {@code upToOffset}. */
  record LogFlushed(TopicPartition tp, long upToOffset) implements BrokerTimer {}

  /** Controlled shutdown's final flush of every log returned: the process may stop. */
  record ShutdownFlushed() implements BrokerTimer {}

  /** The log cleaner wakes up every {@code log.cleaner.backoff.ms} (15000) to look for a log to clean. */
  record CleanerTick() implements BrokerTimer {}

  /** Retention looks at every log every {@code log.retention.check.interval.ms} (300000). */
  record RetentionTick() implements BrokerTimer {}

  /** {@code log-start-offset-checkpoint} is written every {@code log.flush.start.offset.checkpoint.interval.ms}. */
  record LogStartCheckpointTick() implements BrokerTimer {}
}
