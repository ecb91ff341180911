package sim.es.search;

import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The {@code cardinality} aggregation's HyperLogLog++ as Elasticsearch runs it, with its default
 * {@code precision_threshold} 3000 (precision p = 14): values are hashed (murmur3 x64 128, the low half,
 * for strings; a 64-bit mix for numbers) and, while fewer than m/4 = 4096 distinct hashes have been seen,
 * counted exactly in a set (linear counting), so small cardinalities are exact. Past that it switches to
 * 2^14 HLL registers. Simplification: above the threshold this model returns the raw HLL estimate (with
 * linear counting for empty registers) without Elasticsearch's empirical bias-correction tables.
 */
final class Cardinality {
  static final int PRECISION = 14;
  private static final int M = 1 << PRECISION;
  private final TreeSet<Long> hashes = new TreeSet<>();
  private byte[] registers;

  void add(long hash) {
    if (registers == null) {
      hashes.add(hash);
      if (hashes.size() >= M / 4) {
        registers = new byte[M];
        for (long h : hashes) addToRegisters(h);
        hashes.clear();
      }
    } else {
      addToRegisters(hash);
    }
  }

  void merge(Cardinality other) {
    if (other.registers == null) {
      for (long h : other.hashes) add(h);
      return;
    }
    if (registers == null) {
      registers = new byte[M];
      for (long h : hashes) addToRegisters(h);
      hashes.clear();
    }
    for (int i = 0; i < M; i++) registers[i] = (byte) Math.max(registers[i], other.registers[i]);
  }

  private void addToRegisters(long hash) {
    int index = (int) (hash >>> (64 - PRECISION));
    long w = hash << PRECISION | (1L << (PRECISION - 1));
    int rank = Long.numberOfLeadingZeros(w) + 1;
    registers[index] = (byte) Math.max(registers[index], rank);
  }

  long value() {
    if (registers == null) return hashes.size();
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += 1.0 / (1L << r);
      if (r == 0) zeros++;
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double e = alpha * M * (double) M / sum;
    if (e <= 5.0 * M / 2 && zeros > 0) e = M * Math.log((double) M / zeros);
    return Math.round(e);
  }

  static long hash(String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    return murmur3x64_128_h1(b);
  }

  /** BitMixer.mix64 (the murmur3 finaliser): how Elasticsearch hashes a numeric value for HLL. */
  static long hash(double value) {
    long z = value == Math.rint(value) && Math.abs(value) < 1e18 ? (long) value : Double.doubleToLongBits(value);
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** The first 64 bits (h1) of MurmurHash3 x64 128 with seed 0. */
  static long murmur3x64_128_h1(byte[] key) {
    final long c1 = 0x87c37b91114253d5L;
    final long c2 = 0x4cf5ad432745937fL;
    long h1 = 0;
    long h2 = 0;
    int len = key.length;
    int nblocks = len / 16;
    for (int i = 0; i < nblocks; i++) {
      long k1 = getLong(key, i * 16);
      long k2 = getLong(key, i * 16 + 8);
      k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
      k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = nblocks * 16;
    for (int i = (len & 15) - 1; i >= 8; i--) k2 ^= (long) (key[tail + i] & 0xff) << ((i - 8) * 8);
    if ((len & 15) > 8) {
      k2 *= c2; k2 = Long.rotateLeft(k2, 33); k2 *= c1; h2 ^= k2;
    }
    for (int i = Math.min(7, (len & 15) - 1); i >= 0; i--) k1 ^= (long) (key[tail + i] & 0xff) << (i * 8);
    if ((len & 15) > 0) {
      k1 *= c1; k1 = Long.rotateLeft(k1, 31); k1 *= c2; h1 ^= k1;
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix64(h1);
    h2 = fmix64(h2);
    h1 += h2;
    return h1;
  }

  private static long getLong(byte[] b, int i) {
    long v = 0;
    for (int k = 7; k >= 0; k--) v = v << 8 | (b[i + k] & 0xff);
    return v;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
