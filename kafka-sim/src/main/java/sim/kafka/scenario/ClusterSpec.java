package sim.kafka.scenario;

import sim.kafka.broker.KafkaConfig;
import sim.kafka.client.GroupConsumerConfig;
import sim.kafka.client.ProducerConfig;

/**
 * The shape of a simulated cluster: brokers, one topic's partitions and replication factor, settings, clients;
 * optionally a consumer group ({@link GroupSpec}) and with it the {@code __consumer_offsets} topic.
 */
public record ClusterSpec(int brokers, String topic, int partitions, int replicationFactor, KafkaConfig broker,
    ProducerConfig producer, boolean consumer, GroupSpec group, TxnSpec txn) {

  /**
   * Transactions: the transactional producer ({@code producer}: its transactional id, topic and partitions, replicated
   * on every broker up to 3), a read_committed and a read_uncommitted consumer of that topic, and
   * {@code __transaction_state} with {@code stateLogPartitions} partitions (Kafka's default is 50); optionally a second
   * producer process ({@code second}, null for none), e.g. a new instance of the same transactional id.
   */
  public record TxnSpec(sim.kafka.client.TransactionalProducerConfig producer, int stateLogPartitions,
      sim.kafka.client.TransactionalProducerConfig second, sim.kafka.client.ConsumeTransformProduce.Config transformer) {
    public TxnSpec(sim.kafka.client.TransactionalProducerConfig producer, int stateLogPartitions) {
      this(producer, stateLogPartitions, null, null);
    }

    public TxnSpec(sim.kafka.client.TransactionalProducerConfig producer, int stateLogPartitions,
        sim.kafka.client.TransactionalProducerConfig second) {
      this(producer, stateLogPartitions, second, null);
    }

    /**
     * Consume-transform-produce: the transactional producer is the {@code transformer} application's, reading the
     * data topic and writing {@code producer.topic()}; the offsets topic gets {@link #CTP_OFFSETS_PARTITIONS} partitions.
     */
    public static TxnSpec consumeTransformProduce(sim.kafka.client.TransactionalProducerConfig producer, int stateLogPartitions,
        sim.kafka.client.ConsumeTransformProduce.Config transformer) {
      return new TxnSpec(producer, stateLogPartitions, null, transformer);
    }
  }

  /** {@code offsets.topic.num.partitions} of a consume-transform-produce cluster without a group of consumers (Kafka: 50). */
  public static final int CTP_OFFSETS_PARTITIONS = 3;

  /** How many {@code __consumer_offsets} partitions the cluster has (none without a group or a transformer). */
  public int offsetsPartitions() {
    if (group != null) return group.offsetsTopicPartitions();
    return txn != null && txn.transformer() != null ? CTP_OFFSETS_PARTITIONS : 0;
  }

  public ClusterSpec(int brokers, String topic, int partitions, int replicationFactor, KafkaConfig broker, ProducerConfig producer,
      boolean consumer, GroupSpec group) {
    this(brokers, topic, partitions, replicationFactor, broker, producer, consumer, group, null);
  }

  /**
   * A consumer group: {@code members} group consumers c1..cN with {@code config}, and the offsets topic with
   * {@code offsetsTopicPartitions} partitions (Kafka's default is 50) replicated on every broker (up to 3).
   */
  public record GroupSpec(int members, GroupConsumerConfig config, int offsetsTopicPartitions) {}

  public ClusterSpec(int brokers, String topic, int partitions, int replicationFactor, KafkaConfig broker, ProducerConfig producer, boolean consumer) {
    this(brokers, topic, partitions, replicationFactor, broker, producer, consumer, null);
  }

  public static ClusterSpec threeBrokers() {
    return new ClusterSpec(3, "orders", 1, 3, KafkaConfig.defaults(), ProducerConfig.defaults(), true);
  }

  public ClusterSpec withGroup(GroupSpec g) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, producer, consumer, g, txn);
  }

  public ClusterSpec withTxn(TxnSpec t) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, producer, consumer, group, t);
  }

  public ClusterSpec withBroker(KafkaConfig c) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, c, producer, consumer, group, txn);
  }

  public ClusterSpec withProducer(ProducerConfig p) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, p, consumer, group, txn);
  }

  public ClusterSpec withConsumer(boolean on) {
    return new ClusterSpec(brokers, topic, partitions, replicationFactor, broker, producer, on, group, txn);
  }

  public ClusterSpec withPartitions(int n) {
    return new ClusterSpec(brokers, topic, n, replicationFactor, broker, producer, consumer, group, txn);
  }

  public ClusterSpec withReplication(int brokerCount, int rf) {
    return new ClusterSpec(brokerCount, topic, partitions, rf, broker, producer, consumer, group, txn);
  }
}
