package sim.kafka.broker;

/** A topic partition, printed as Kafka names its log directory: {@code orders-0}. */
public record TopicPartition(String topic, int partition) implements Comparable<TopicPartition> {
  @Override
  public int compareTo(TopicPartition o) {
    // The same topic is nearly always the same String (one per topic): skip comparing its characters then.
    int c = topic == o.topic ? 0 : topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  /** Kafka's own hash ({@code TopicPartition.hashCode}), so hash-ordered collections iterate as Kafka's do. */
  @Override
  public int hashCode() {
    return 31 * (31 + partition) + topic.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TopicPartition t && partition == t.partition && topic.equals(t.topic);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
