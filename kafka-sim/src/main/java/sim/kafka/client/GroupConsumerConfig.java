package sim.kafka.client;

/**
 * A group member's settings with Kafka's names and defaults: {@code session.timeout.ms} 45000,
 * {@code heartbeat.interval.ms} 3000, {@code max.poll.interval.ms} 300000 (the rebalance timeout it sends),
 * {@code partition.assignment.strategy}, {@code auto.offset.reset} (Kafka's default is latest), an optional
 * static {@code group.instance.id}, and when it commits: after processing what it fetched (at least once) or
 * before (at most once).
 */
public record GroupConsumerConfig(String groupId, String groupInstanceId, String assignor, int sessionTimeoutMs, int heartbeatIntervalMs,
    int maxPollIntervalMs, String autoOffsetReset, CommitMode commitMode, String groupProtocol) {
  public enum CommitMode { AFTER_PROCESSING, BEFORE_PROCESSING }

  /** {@code group.protocol}: classic (JoinGroup/SyncGroup, the default) or consumer (KIP-848's ConsumerGroupHeartbeat). */
  public static final String CLASSIC = "classic";
  public static final String CONSUMER = "consumer";

  public GroupConsumerConfig(String groupId, String groupInstanceId, String assignor, int sessionTimeoutMs, int heartbeatIntervalMs,
      int maxPollIntervalMs, String autoOffsetReset, CommitMode commitMode) {
    this(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode, CLASSIC);
  }

  /**
   * {@code group.protocol=consumer}: the assignor is the server's ({@code group.remote.assignor}, null for the
   * coordinator's default), session and heartbeat are the broker's group.consumer.* settings.
   */
  public GroupConsumerConfig withGroupProtocol(String protocol, String remoteAssignor) {
    return new GroupConsumerConfig(groupId, groupInstanceId, remoteAssignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset,
        commitMode, protocol);
  }

  public boolean consumerProtocol() {
    return CONSUMER.equals(groupProtocol);
  }

  public static GroupConsumerConfig defaults(String groupId) {
    return new GroupConsumerConfig(groupId, null, "range", 45_000, 3000, 300_000, "latest", CommitMode.AFTER_PROCESSING);
  }

  public GroupConsumerConfig withAssignor(String name) {
    return new GroupConsumerConfig(groupId, groupInstanceId, name, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode, groupProtocol);
  }

  public GroupConsumerConfig withSessionTimeoutMs(int ms) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, ms, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode, groupProtocol);
  }

  public GroupConsumerConfig withMaxPollIntervalMs(int ms) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, ms, autoOffsetReset, commitMode, groupProtocol);
  }

  public GroupConsumerConfig withAutoOffsetReset(String reset) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, reset, commitMode, groupProtocol);
  }

  public GroupConsumerConfig withCommitMode(CommitMode mode) {
    return new GroupConsumerConfig(groupId, groupInstanceId, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, mode, groupProtocol);
  }

  public GroupConsumerConfig withGroupInstanceId(String id) {
    return new GroupConsumerConfig(groupId, id, assignor, sessionTimeoutMs, heartbeatIntervalMs, maxPollIntervalMs, autoOffsetReset, commitMode, groupProtocol);
  }

  public boolean cooperative() {
    return "cooperative-sticky".equals(assignor);
  }
}
