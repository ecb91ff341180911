package sim.cassandra.ring;

/**
 * MurmurHash3 x64_128 exactly as Cassandra's {@code org.apache.cassandra.utils.MurmurHash.hash3_x64_128}
 * computes it. It differs from the reference (and from Guava's) in one place: the tail bytes are read as
 * signed Java bytes and sign-extended before they are shifted in, so keys whose last {@code length % 16}
 * bytes include one ≥ 0x80 (any non-ASCII UTF-8 tail) hash differently. Cassandra kept the quirk because
 * changing it would move every partition of every existing cluster.
 */
public final class MurmurHash3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private MurmurHash3() {}

  /** The 128-bit hash of {@code key[offset, offset + length)} with {@code seed}, as two longs. */
  public static long[] hash3x64x128(byte[] key, int offset, int length, long seed) {
    int nblocks = length >> 4;
    long h1 = seed;
    long h2 = seed;
    for (int i = 0; i < nblocks; i++) {
      long k1 = block(key, offset, i * 2);
      long k2 = block(key, offset, i * 2 + 1);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    int tail = offset + nblocks * 16;
    int rest = length & 15;
    long k1 = 0;
    long k2 = 0;
    // Signed bytes, sign-extended by the (long) cast: Cassandra's behaviour, not the reference's.
    for (int i = rest - 1; i >= 8; i--) k2 ^= ((long) key[tail + i]) << ((i - 8) * 8);
    if (rest > 8) h2 ^= mixK2(k2);
    for (int i = Math.min(rest, 8) - 1; i >= 0; i--) k1 ^= ((long) key[tail + i]) << (i * 8);
    if (rest > 0) h1 ^= mixK1(k1);
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    h2 += h1;
    return new long[] {h1, h2};
  }

  private static long mixK1(long k1) {
    k1 *= C1;
    k1 = Long.rotateLeft(k1, 31);
    return k1 * C2;
  }

  private static long mixK2(long k2) {
    k2 *= C2;
    k2 = Long.rotateLeft(k2, 33);
    return k2 * C1;
  }

  /** Eight bytes little-endian, unsigned (only the tail is read signed). */
  private static long block(byte[] key, int offset, int index) {
    int at = offset + (index << 3);
    long v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | (key[at + i] & 0xffL);
    return v;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
