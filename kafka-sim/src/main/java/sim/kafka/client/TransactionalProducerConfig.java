package sim.kafka.client;

/**
 * A {@link TransactionalProducer}'s settings (the application's); {@code transaction.timeout.ms} defaults to 60000, {@code request.timeout.ms} to 30000
 * and {@code retry.backoff.ms} to 100 in kafka-clients. The workload: how many transactions of how many records,
 * every {@code abortEvery}-th aborted, {@code workMs} of the application's own work between the last acknowledged
 * send and the commit (the transaction stays open meanwhile), {@code gapMs} between transactions, the first
 * {@code initTransactions()} after {@code startDelayMs}. Fenced, the application either starts over with a new
 * {@code initTransactions()} ({@code restartWhenFenced}) or closes this producer for good, as Kafka requires of
 * a {@code ProducerFencedException}.
 */
public record TransactionalProducerConfig(String transactionalId, String topic, int partitions, int transactionTimeoutMs, int transactions,
  int recordsPerTransaction, int abortEvery, long workMs, long gapMs, long requestTimeoutMs, long retryBackoffMs,
  long startDelayMs, boolean restartWhenFenced, long deliveryTimeoutMs) {
  /** {@code delivery.timeout.ms} at kafka-clients' default, 120000. */
  public TransactionalProducerConfig(String transactionalId, String topic, int partitions, int transactionTimeoutMs, int transactions,
    int recordsPerTransaction, int abortEvery, long workMs, long gapMs, long requestTimeoutMs, long retryBackoffMs,
    long startDelayMs, boolean restartWhenFenced) {
  this(transactionalId, topic, partitions, transactionTimeoutMs, transactions, recordsPerTransaction, abortEvery, workMs, gapMs,
      requestTimeoutMs, retryBackoffMs, startDelayMs, restartWhenFenced, 120_000);
  }

  public TransactionalProducerConfig withDeliveryTimeout(long ms) {
  return new TransactionalProducerConfig(transactionalId, topic, partitions, transactionTimeoutMs, transactions, recordsPerTransaction, abortEvery, workMs, gapMs,
      requestTimeoutMs, retryBackoffMs, startDelayMs, restartWhenFenced, ms);
  }

  public static TransactionalProducerConfig defaults(String transactionalId, String topic, int partitions) {
  return new TransactionalProducerConfig(transactionalId, topic, partitions, 60_000, 40, 4, 3, 150, 150, 30_000, 100, 1000, true);
  }

  public TransactionalProducerConfig withTransactions(int n) {
  return new TransactionalProducerConfig(transactionalId, topic, partitions, transactionTimeoutMs, n, recordsPerTransaction, abortEvery, workMs, gapMs,
      requestTimeoutMs, retryBackoffMs, startDelayMs, restartWhenFenced, deliveryTimeoutMs);
  }

  public TransactionalProducerConfig withStart(long delayMs, boolean restart) {
  return new TransactionalProducerConfig(transactionalId, topic, partitions, transactionTimeoutMs, transactions, recordsPerTransaction, abortEvery, workMs, gapMs,
      requestTimeoutMs, retryBackoffMs, delayMs, restart, deliveryTimeoutMs);
  }
}
