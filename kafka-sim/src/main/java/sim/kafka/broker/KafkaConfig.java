package sim.kafka.broker;

import sim.kafka.log.LogConfig;

/**
 * Broker and topic settings with Kafka's names and current defaults (times in milliseconds):
 * {@code replica.lag.time.max.ms} 30000, {@code min.insync.replicas} 1, {@code unclean.leader.election.enable}
 * false, {@code replica.fetch.wait.max.ms} 500, {@code replica.fetch.backoff.ms} 1000,
 * {@code replica.socket.timeout.ms} 30000, {@code broker.heartbeat.interval.ms} 2000,
 * {@code broker.session.timeout.ms} 9000, {@code replica.fetch.max.bytes} 1 MiB,
 * {@code transaction.partition.verification.enable} true (KIP-890 part 1, on by default since Kafka 3.6).
 */
public record KafkaConfig(long replicaLagTimeMaxMs, int minInsyncReplicas, boolean uncleanLeaderElectionEnable,
    long replicaFetchWaitMaxMs, long replicaFetchBackoffMs, long replicaSocketTimeoutMs, long brokerHeartbeatIntervalMs,
    long brokerSessionTimeoutMs, int replicaFetchMaxBytes, LogConfig log, boolean transactionPartitionVerificationEnable) {

  public KafkaConfig(long replicaLagTimeMaxMs, int minInsyncReplicas, boolean uncleanLeaderElectionEnable,
      long replicaFetchWaitMaxMs, long replicaFetchBackoffMs, long replicaSocketTimeoutMs, long brokerHeartbeatIntervalMs,
      long brokerSessionTimeoutMs, int replicaFetchMaxBytes, LogConfig log) {
    this(replicaLagTimeMaxMs, minInsyncReplicas, uncleanLeaderElectionEnable, replicaFetchWaitMaxMs, replicaFetchBackoffMs,
        replicaSocketTimeoutMs, brokerHeartbeatIntervalMs, brokerSessionTimeoutMs, replicaFetchMaxBytes, log, true);
  }

  /** {@code transaction.partition.verification.enable}: false is the write path before Kafka 3.6. */
  public KafkaConfig withTransactionPartitionVerification(boolean enable) {
    return new KafkaConfig(replicaLagTimeMaxMs, minInsyncReplicas, uncleanLeaderElectionEnable, replicaFetchWaitMaxMs,
        replicaFetchBackoffMs, replicaSocketTimeoutMs, brokerHeartbeatIntervalMs, brokerSessionTimeoutMs, replicaFetchMaxBytes, log, enable);
  }

  public static KafkaConfig defaults() {
    return new KafkaConfig(30_000, 1, false, 500, 1000, 30_000, 2000, 9000, 1 << 20, LogConfig.simulation());
  }

  public KafkaConfig withMinInsyncReplicas(int n) {
    return new KafkaConfig(replicaLagTimeMaxMs, n, uncleanLeaderElectionEnable, replicaFetchWaitMaxMs, replicaFetchBackoffMs,
        replicaSocketTimeoutMs, brokerHeartbeatIntervalMs, brokerSessionTimeoutMs, replicaFetchMaxBytes, log, transactionPartitionVerificationEnable);
  }

  public KafkaConfig withUncleanLeaderElection(boolean enable) {
    return new KafkaConfig(replicaLagTimeMaxMs, minInsyncReplicas, enable, replicaFetchWaitMaxMs, replicaFetchBackoffMs,
        replicaSocketTimeoutMs, brokerHeartbeatIntervalMs, brokerSessionTimeoutMs, replicaFetchMaxBytes, log, transactionPartitionVerificationEnable);
  }

  public KafkaConfig withLog(LogConfig newLog) {
    return new KafkaConfig(replicaLagTimeMaxMs, minInsyncReplicas, uncleanLeaderElectionEnable, replicaFetchWaitMaxMs,
        replicaFetchBackoffMs, replicaSocketTimeoutMs, brokerHeartbeatIntervalMs, brokerSessionTimeoutMs, replicaFetchMaxBytes, newLog, transactionPartitionVerificationEnable);
  }
}
