package sim.kafka.client;

/**
 * The producer settings that shape delivery, with Kafka's names and defaults (kafka-clients 3.x):
 * {@code acks} all (-1), {@code enable.idempotence} true, {@code delivery.timeout.ms} 120000,
 * {@code request.timeout.ms} 30000, {@code retry.backoff.ms} 100,
 * {@code max.in.flight.requests.per.connection} 5, {@code batch.size} 16384. Plus the workload: how many
 * records, how often, keyed or not.
 */
public record ProducerConfig(short acks, boolean enableIdempotence, long deliveryTimeoutMs, long requestTimeoutMs,
    long retryBackoffMs, int maxInFlightRequestsPerConnection, int batchSizeBytes, int records, long sendIntervalMs,
    boolean keyed, int tombstoneEvery, int keysRetiredEvery) {

  public static ProducerConfig defaults() {
    return new ProducerConfig((short) -1, true, 120_000, 30_000, 100, 5, 16_384, 200, 50, true, 0, 0);
  }

  public ProducerConfig withAcks(int newAcks) {
    return new ProducerConfig((short) newAcks, enableIdempotence && newAcks == -1, deliveryTimeoutMs, requestTimeoutMs,
        retryBackoffMs, maxInFlightRequestsPerConnection, batchSizeBytes, records, sendIntervalMs, keyed, tombstoneEvery, keysRetiredEvery);
  }

  public ProducerConfig withIdempotence(boolean on) {
    return new ProducerConfig(acks, on, deliveryTimeoutMs, requestTimeoutMs, retryBackoffMs, maxInFlightRequestsPerConnection,
        batchSizeBytes, records, sendIntervalMs, keyed, tombstoneEvery, keysRetiredEvery);
  }

  public ProducerConfig withRequestTimeoutMs(long ms) {
    return new ProducerConfig(acks, enableIdempotence, deliveryTimeoutMs, ms, retryBackoffMs, maxInFlightRequestsPerConnection,
        batchSizeBytes, records, sendIntervalMs, keyed, tombstoneEvery, keysRetiredEvery);
  }

  public ProducerConfig withWorkload(int newRecords, long newSendIntervalMs, boolean newKeyed) {
    return new ProducerConfig(acks, enableIdempotence, deliveryTimeoutMs, requestTimeoutMs, retryBackoffMs,
        maxInFlightRequestsPerConnection, batchSizeBytes, newRecords, newSendIntervalMs, newKeyed, tombstoneEvery, keysRetiredEvery);
  }

  /** Every k-th record is a tombstone (a null value) for its key: what deletes a key from a compacted topic. 0: none. */
  public ProducerConfig withTombstoneEvery(int k) {
    return new ProducerConfig(acks, enableIdempotence, deliveryTimeoutMs, requestTimeoutMs, retryBackoffMs,
        maxInFlightRequestsPerConnection, batchSizeBytes, records, sendIntervalMs, keyed, k, keysRetiredEvery);
  }

  /**
   * After every {@code n} records the producer moves on to 16 new keys and never writes the old ones again:
   * a key whose last record was a tombstone stays deleted, so the cleaner can finally drop that tombstone. 0: the
   * same 16 keys forever.
   */
  public ProducerConfig withKeysRetiredEvery(int n) {
    return new ProducerConfig(acks, enableIdempotence, deliveryTimeoutMs, requestTimeoutMs, retryBackoffMs,
        maxInFlightRequestsPerConnection, batchSizeBytes, records, sendIntervalMs, keyed, tombstoneEvery, n);
  }

  public String acksName() {
    return acks == -1 ? "all" : Short.toString(acks);
  }
}
