package sim.kafka.group;

import java.util.List;

/**
 * The group coordinator's consumer-protocol settings with Kafka's names and defaults:
 * {@code group.consumer.heartbeat.interval.ms} 5000, {@code group.consumer.session.timeout.ms} 45000,
 * {@code group.consumer.assignors} uniform,range (the first is the default). {@code assignBeforeRevocation} is the rule
 * break {@value #ASSIGN_BEFORE_REVOCATION}: partitions go to their new owner while the old one still holds them.
 */
public record ConsumerGroupConfig(int heartbeatIntervalMs, int sessionTimeoutMs, List<String> assignors, boolean assignBeforeRevocation) {
  public static final String ASSIGN_BEFORE_REVOCATION = "kafka.consumer-assign-before-revocation";

  public ConsumerGroupConfig {
    assignors = List.copyOf(assignors);
  }

  public static ConsumerGroupConfig defaults() {
    return new ConsumerGroupConfig(5000, 45_000, List.of("uniform", "range"), false);
  }

  public ConsumerGroupConfig withAssignBeforeRevocation(boolean broken) {
    return new ConsumerGroupConfig(heartbeatIntervalMs, sessionTimeoutMs, assignors, broken);
  }
}
