package sim.cassandra.ring;

import java.nio.charset.StandardCharsets;

/**
 * Cassandra's default partitioner: a partition key's token is the first 64 bits of its MurmurHash3
 * x64_128 (seed 0). {@code Long.MIN_VALUE} is reserved as the ring's minimum token, so a key that hashes to
 * it is given {@code Long.MAX_VALUE} instead ({@code Murmur3Partitioner.normalize}).
 */
public final class Murmur3Partitioner {
  public static final long MINIMUM_TOKEN = Long.MIN_VALUE;
  public static final long MAXIMUM_TOKEN = Long.MAX_VALUE;

  private Murmur3Partitioner() {}

  /**
   * The token of a serialized partition key (for a composite key, its CompositeType bytes). The empty key
   * is the ring's minimum token, as in Cassandra (CQL refuses empty partition keys anyway).
   */
  public static long token(byte[] partitionKey) {
    if (partitionKey.length == 0) return MINIMUM_TOKEN;
    return normalize(MurmurHash3.hash3x64x128(partitionKey, 0, partitionKey.length, 0)[0]);
  }

  /** The token of a text (UTF-8) partition key, as {@code token(k)} of a {@code text} column. */
  public static long token(String textKey) {
    return token(textKey.getBytes(StandardCharsets.UTF_8));
  }

  static long normalize(long v) {
    return v == Long.MIN_VALUE ? Long.MAX_VALUE : v;
  }
}
