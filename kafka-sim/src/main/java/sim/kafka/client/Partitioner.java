package sim.kafka.client;

import sim.core.SimRandom;
import sim.kafka.record.Murmur2Partitioner;

/**
 * Kafka's built-in partitioner (KIP-794): a keyed record goes to {@code toPositive(murmur2(key)) % n}; records
 * without a key stick to one partition until {@code batch.size} bytes went there, then switch to another at
 * random. (The adaptive variant weighing partitions by queue size is left out.)
 */
final class Partitioner {
  private final int numPartitions;
  private final int batchSizeBytes;
  private final SimRandom random;
  private int sticky = -1;
  private int stickyBytes;

  Partitioner(int numPartitions, int batchSizeBytes, SimRandom random) {
    this.numPartitions = numPartitions;
    this.batchSizeBytes = batchSizeBytes;
    this.random = random;
  }

  int partition(byte[] key, int recordBytes) {
    if (key != null) return Murmur2Partitioner.partitionForKey(key, numPartitions);
    if (sticky < 0 || stickyBytes >= batchSizeBytes) {
      if (sticky < 0 || numPartitions == 1) {
        sticky = random.nextInt(numPartitions);
      } else {
        int next = random.nextInt(numPartitions - 1);
        sticky = next >= sticky ? next + 1 : next;
      }
      stickyBytes = 0;
    }
    stickyBytes += recordBytes;
    return sticky;
  }
}
