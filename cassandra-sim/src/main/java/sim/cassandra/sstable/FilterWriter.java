package sim.cassandra.sstable;

import java.util.List;
import sim.cassandra.ring.MurmurHash3;

/**
 * Filter.db as Cassandra 5.0 writes it ({@code FilterFactory.getFilter}, {@code BloomFilter},
 * {@code OffHeapBitSet}, {@code BloomFilterSerializer}): for {@code bloom_filter_fp_chance} 0.01,
 * {@code BloomCalculations} picks 10 buckets per key and 5 hashes; the bit set has {@code keys·10 + 20}
 * bits rounded up to 64-bit words; a key sets bit {@code |(h2 + i·h1) mod capacity|} for each hash i, where
 * h1, h2 are the halves of its MurmurHash3 x64_128; bit n is bit {@code n & 7} of byte {@code n >> 3}. On
 * disk: the hash count, the word count, the bytes.
 */
final class FilterWriter {
  static final int BUCKETS_PER_KEY = 10;
  static final int HASH_COUNT = 5;
  static final long BITSET_EXCESS = 20;

  private FilterWriter() {}

  /** The filter for fp chance 0.01 (the only chance the writer is asked for). */
  static byte[] write(List<byte[]> keys) {
    long numBits = keys.size() * (long) BUCKETS_PER_KEY + BITSET_EXCESS;
    long words = ((numBits - 1) >>> 6) + 1;
    byte[] bits = new byte[(int) (words * 8)];
    long capacity = words * 64;
    for (byte[] key : keys) {
      long[] h = MurmurHash3.hash3x64x128(key, 0, key.length, 0);
      long base = h[1];
      for (int i = 0; i < HASH_COUNT; i++) {
        long index = Math.abs(base % capacity);
        bits[(int) (index >> 3)] |= (byte) (1 << (index & 7));
        base += h[0];
      }
    }
    DataOutputBuffer out = new DataOutputBuffer(bits.length + 8);
    out.writeInt(HASH_COUNT);
    out.writeInt((int) words);
    out.write(bits);
    return out.toByteArray();
  }
}
