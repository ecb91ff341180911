package sim.kafka.record;

/**
 * Kafka's partitioner for keyed records: {@code toPositive(murmur2(keyBytes)) % numPartitions}
 * ({@code BuiltInPartitioner.partitionForKey}), with murmur2 as in {@code org.apache.kafka.common.utils.Utils}.
 */
public final class Murmur2Partitioner {
  private Murmur2Partitioner() {}

  public static int partitionForKey(byte[] key, int numPartitions) {
    if (numPartitions <= 0) throw new IllegalArgumentException("numPartitions must be positive, got " + numPartitions);
    return toPositive(murmur2(key)) % numPartitions;
  }

  public static int toPositive(int number) {
    return number & 0x7fffffff;
  }

  /** MurmurHash2, 32 bit, seed 0x9747b28c, little-endian 4-byte blocks. */
  public static int murmur2(byte[] data) {
    int length = data.length;
    final int m = 0x5bd1e995;
    final int r = 24;
    int h = 0x9747b28c ^ length;
    int length4 = length / 4;
    for (int i = 0; i < length4; i++) {
      int i4 = i * 4;
      int k = (data[i4] & 0xff) + ((data[i4 + 1] & 0xff) << 8) + ((data[i4 + 2] & 0xff) << 16) + ((data[i4 + 3] & 0xff) << 24);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h *= m;
      h ^= k;
    }
    int tail = length & ~3;
    switch (length % 4) {
      case 3:
        h ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        h ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        h ^= data[tail] & 0xff;
        h *= m;
      // fall through
      default:
        break;
    }
    h ^= h >>> 13;
    h *= m;
    h ^= h >>> 15;
    return h;
  }
}
