package sim.kafka.scenario;

import sim.kafka.broker.KafkaConfig;
import sim.kafka.client.ProducerConfig;

/** The shape of a simulated cluster: brokers, one topic's partitions and replication factor, settings, clients. */
public record ClusterSpec(int brokers, String topic, int partitions, int replicationFactor, KafkaConfig broker,
    ProducerConfig producer, boolean consumer) {

  public static ClusterSpec threeBrokers() {
    return new ClusterSpec(3, "orders", 1, 3, KafkaConfig.defaults(), ProducerConfig.defaults(), true);
  }

  public ClusterSpec withBroker(KafkaConfig c) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, c, producer, consumer);
  }

  public ClusterSpec withProducer(ProducerConfig p) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, p, consumer);
  }

  public ClusterSpec withConsumer(boolean on) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, producer, on);
  }

  public ClusterSpec withPartitions(int n) {
    return new ClusterSpec(brokers, topic, n, replicationFactor, broker, producer, consumer);
  }

  public ClusterSpec withReplication(int brokerCount, int rf) {
    return new ClusterSpec(brokerCount, topic, partitions, rf, broker, producer, consumer);
  }
}
