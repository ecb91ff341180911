package sim.kafka.client;

/**
 * A group member's settings with Kafka's names and defaults: {@code session.timeout.ms} 45000,
 * {@code heartbeat.interval.ms} 3000, {@code max.poll.interval.ms} 300000 (the rebalance timeout it sends),
 * {@code partition.assignment.strategy}, {@code auto.offset.reset} (Kafka's default is latest), an optional
 * static {@code group.instance.id}, and when it commits: after processing what it fetched (at least once) or
 * before (at most once).
 */
public record GroupConsumerConfig(String groupId, String groupInstanceId, String assignor, int sessionTimeoutMs, int heartbeatIntervalMs,
    int maxPollIntervalMs, String autoOffsetReset, CommitMode commitMode) {
  public enum CommitMode { AFTER_PROCESSING, BEFORE_PROCESSING }

  public static GroupConsumerConfig defaults(String groupId) {
    return new GroupConsumerConfig(groupId, null, "range", 45_000, 3000, 300_000, "latest", CommitMode.AFTER_PROCESSING);
  }

  public GroupConsumerConfig withAssignor(String name) {
    return new GroupConsumerConfig(groupId, groupInstanceId, name, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode);
  }

  public GroupConsumerConfig withSessionTimeoutMs(int ms) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, ms, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode);
  }

  public GroupConsumerConfig withMaxPollIntervalMs(int ms) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, ms, autoOffsetReset, commitMode);
  }

  public GroupConsumerConfig withAutoOffsetReset(String reset) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, reset, commitMode);
  }

  public GroupConsumerConfig withCommitMode(CommitMode mode) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, mode);
  }

  public GroupConsumerConfig withGroupInstanceId(String id) {
    return new GroupConsumerConfig(groupId, id, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode);
  }

  public boolean cooperative() {
    return assignor.equals("cooperative-sticky");
  }
}
