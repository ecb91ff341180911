package sim.kafka.txn;

import java.util.Set;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;

/**
 * What the coordinator knows of one transactional id (Kafka's {@code TransactionMetadata}): its producer id and
 * current epoch, the state, and the partitions the open transaction wrote to (the ones that need a marker).
 */
public final class TransactionMetadata {
  final String transactionalId;
  final long producerId;
  short producerEpoch;
  final int txnTimeoutMs;
  TransactionState state = TransactionState.EMPTY;
  final Set<TopicPartition> topicPartitions = new TreeSet<>();
  long txnStartTimestamp = -1;

  TransactionMetadata(String transactionalId, long producerId, short producerEpoch, int txnTimeoutMs) {
    this.transactionalId = transactionalId;
    this.producerId = producerId;
    this.producerEpoch = producerEpoch;
    this.txnTimeoutMs = txnTimeoutMs;
  }

  public long producerId() {
    return producerId;
  }

  public short producerEpoch() {
    return producerEpoch;
  }

  public TransactionState state() {
    return state;
  }

  public Set<TopicPartition> topicPartitions() {
    return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(topicPartitions)); // Set.copyOf iterates in a per-JVM order
  }

  @Override
  public String toString() {
    return transactionalId + " pid " + producerId + "/" + producerEpoch + " " + state + " " + topicPartitions;
  }
}
