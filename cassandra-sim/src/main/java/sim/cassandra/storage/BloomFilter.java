package sim.cassandra.storage;

import java.nio.ByteBuffer;
import sim.cassandra.db.Bytes;
import sim.cassandra.ring.MurmurHash3;

/**
 * The SSTable's partition-key filter ({@code -Filter.db}): {@code k} bit positions per key from the two
 * halves of the key's MurmurHash3 x64_128 ({@code h1 + i·h2}, Cassandra's {@code BloomFilter.indexes}),
 * sized for {@code bloom_filter_fp_chance} (0.01 by default, 0.1 under LeveledCompactionStrategy). A "no"
 * is certain, so the read path skips the SSTable without touching its index or data.
 */
public final class BloomFilter {
  private final long[] bits;
  private final int hashes;
  private final long bitCount;

  private BloomFilter(long[] bits, int hashes) {
    this.bits = bits;
    this.hashes = hashes;
    this.bitCount = (long) bits.length * 64;
  }

  public static BloomFilter create(int keys, double fpChance) {
    int n = Math.max(1, keys);
    double bitsPerKey = -Math.log(fpChance) / (Math.log(2) * Math.log(2));
    long m = Math.max(64, (long) Math.ceil(n * bitsPerKey));
    int k = Math.max(1, (int) Math.round(bitsPerKey * Math.log(2)));
    return new BloomFilter(new long[(int) ((m + 63) / 64)], k);
  }

  public void add(Bytes key) {
    long[] h = MurmurHash3.hash3x64x128(key.unsafeArray(), 0, key.length(), 0);
    for (int i = 0; i < hashes; i++) {
      long bit = Math.floorMod(h[0] + (long) i * h[1], bitCount);
      bits[(int) (bit >>> 6)] |= 1L << (bit & 63);
    }
  }

  public boolean mightContain(Bytes key) {
    long[] h = MurmurHash3.hash3x64x128(key.unsafeArray(), 0, key.length(), 0);
    for (int i = 0; i < hashes; i++) {
      long bit = Math.floorMod(h[0] + (long) i * h[1], bitCount);
      if ((bits[(int) (bit >>> 6)] & (1L << (bit & 63))) == 0) return false;
    }
    return true;
  }

  public byte[] serialize() {
    ByteBuffer b = ByteBuffer.allocate(8 + bits.length * 8);
    b.putInt(hashes).putInt(bits.length);
    for (long w : bits) b.putLong(w);
    return b.array();
  }

  public static BloomFilter deserialize(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    int k = b.getInt();
    long[] words = new long[b.getInt()];
    for (int i = 0; i < words.length; i++) words[i] = b.getLong();
    return new BloomFilter(words, k);
  }
}
