package sim.redis.keyspace;

/**
 * How an element picks its HyperLogLog register (hyperloglog.c, 7.0): MurmurHash64A with Redis's seed, the low
 * {@code P} bits the register, the run of zeros above them (plus one) the value the register may rise to.
 */
final class HllHash {
  private HllHash() {}

  static long murmurHash64A(String key, int seed) {
    final long m = 0xc6a4a7935bd1e995L;
    final int r = 47;
    int length = key.length();
    long h = (seed & 0xffffffffL) ^ (length * m);
    int end = length - (length & 7);
    for (int i = 0; i < end; i += 8) {
      long k = 0;
      for (int j = 7; j >= 0; j--) k = (k << 8) | (key.charAt(i + j) & 0xff);
      k *= m;
      k ^= k >>> r;
      k *= m;
      h ^= k;
      h *= m;
    }
    int left = length & 7;
    if (left > 0) {
      for (int j = left - 1; j >= 0; j--) h ^= ((long) (key.charAt(end + j) & 0xff)) << (8 * j);
      h *= m;
    }
    h ^= h >>> r;
    h *= m;
    h ^= h >>> r;
    return h;
  }

  /** hllPatLen: {register index, run length of "000...1"}. */
  static int[] patLen(String ele) {
    long hash = murmurHash64A(ele, 0xadc83b19);
    int index = (int) (hash & (Hll.REGISTERS - 1));
    hash >>>= Hll.P;
    hash |= 1L << Hll.Q;
    long bit = 1;
    int count = 1;
    while ((hash & bit) == 0) {
      count++;
      bit <<= 1;
    }
    return new int[] {index, count};
  }
}
