package sim.cassandra.sstable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The partition-count estimator of Statistics.db's COMPACTION component: stream-lib 2.5.2's
 * {@code HyperLogLogPlus(13, 25)} as Cassandra 5.0 ships it, fed each partition key's 64-bit MurmurHash2.
 * It starts sparse (a sorted list of 25-bit indexes with their run lengths, delta-encoded when serialized)
 * and turns into 2^13 five-bit registers past 6,144 entries. Every step (the temporary list merged at 1,536
 * entries, its sort order, how equal indexes collapse) follows that release, so the bytes come out as
 * Cassandra's do; compaction uses the estimate to size the output's bloom filter.
 */
public final class HyperLogLogPlus {
  public static final int P = 13;
  public static final int SP = 25;
  private static final int M = 1 << P;
  private static final int SPARSE_SET_THRESHOLD = (int) (M * 0.75);
  private static final int SORT_THRESHOLD = SPARSE_SET_THRESHOLD / 4;
  private static final int REGISTER_WORDS = M / 6 % 32 == 0 ? M / 6 : M / 6 + 1;

  private boolean sparse = true;
  private int[] tmpSet = new int[SORT_THRESHOLD + 1];
  private int tmpIndex;
  private int[] sparseSet;
  private int[] registers;

  /** {@code MetadataCollector.addKey}: the key's MurmurHash2 64 with seed 0. */
  public void addKey(byte[] key) {
    offerHashed(hash2_64(key, 0, key.length, 0));
  }

  public void offerHashed(long hash) {
    if (!sparse) {
      int idx = (int) (hash >>> (64 - P));
      int zeros = Long.numberOfLeadingZeros((hash << P) | (long) (1 << (P - 1))) + 1;
      updateIfGreater(idx, zeros);
      return;
    }
    tmpSet[tmpIndex++] = encodeHash(hash);
    if (tmpIndex > SORT_THRESHOLD) {
      mergeTempList();
      if (sparseSet != null && sparseSet.length > SPARSE_SET_THRESHOLD) convertToNormal();
    }
  }

  private static int encodeHash(long hash) {
    int idx = (int) (hash >>> (64 - SP));
    int swap = idx << (32 - SP + P);
    if (swap == 0) {
      int zeros = Long.numberOfLeadingZeros((hash << P) | (long) (1 << (P - 1))) + 1;
      return ((idx << 6) | (zeros ^ 63)) << 1 | 1;
    }
    return idx << 1;
  }

  private static int sparseIndex(int k) {
    return (k & 1) == 1 ? k >>> 7 : k >>> 1;
  }

  private static int runLength(int k) {
    if ((k & 1) == 1) return ((k >>> 1) & 63) ^ 63;
    return Integer.numberOfLeadingZeros(k << (P + 31 - SP)) + 1;
  }

  private void mergeTempList() {
    int[] merged = sparseSet;
    if (tmpIndex > 0) {
      int[] sorted = sortEncoded(tmpSet, tmpIndex);
      merged = merge(sparseSet, sorted);
      tmpSet = new int[SORT_THRESHOLD + 1];
      tmpIndex = 0;
    }
    sparseSet = merged == null ? new int[0] : merged;
  }

  private static int[] sortEncoded(int[] set, int n) {
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) boxed[i] = set[i];
    Arrays.sort(boxed, (l, r) -> {
      if (l.equals(r)) return 0;
      int c = Integer.compare(sparseIndex(l), sparseIndex(r));
      return c != 0 ? c : Integer.compare(l << (P + 31 - SP), r << (P + 31 - SP));
    });
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = boxed[i];
    return out;
  }

  private static int[] merge(int[] set, int[] tmp) {
    List<Integer> out = new ArrayList<>();
    int setLength = set == null ? 0 : set.length;
    int seti = 0;
    int tmpi = 0;
    while (seti < setLength || tmpi < tmp.length) {
      if (seti >= setLength) {
        int tmpVal = tmp[tmpi++];
        out.add(tmpVal);
        tmpi = consumeDuplicates(tmp, sparseIndex(tmpVal), tmpi);
      } else if (tmpi >= tmp.length) {
        out.add(set[seti++]);
      } else {
        int setVal = set[seti];
        int tmpVal = tmp[tmpi];
        if (sparseIndex(setVal) == sparseIndex(tmpVal)) {
          out.add(Math.min(setVal, tmpVal));
          tmpi = consumeDuplicates(tmp, sparseIndex(tmpVal), tmpi + 1);
          seti++;
        } else if (setVal < tmpVal) {
          out.add(setVal);
          seti++;
        } else {
          out.add(tmpVal);
          tmpi = consumeDuplicates(tmp, sparseIndex(tmpVal), tmpi + 1);
        }
      }
    }
    int[] r = new int[out.size()];
    for (int i = 0; i < r.length; i++) r[i] = out.get(i);
    return r;
  }

  private static int consumeDuplicates(int[] tmp, int idx, int tmpi) {
    while (tmpi < tmp.length && sparseIndex(tmp[tmpi]) == idx) tmpi++;
    return tmpi;
  }

  private void convertToNormal() {
    mergeTempList();
    registers = new int[REGISTER_WORDS];
    for (int k : sparseSet) updateIfGreater(sparseIndex(k) >>> (SP - P), runLength(k));
    sparse = false;
    tmpSet = null;
    sparseSet = null;
  }

  /** RegisterSet.updateIfGreater: six 5-bit registers a word (and the release's overflow past 31 kept). */
  private void updateIfGreater(int position, int value) {
    int bucket = position / 6;
    int shift = 5 * (position - bucket * 6);
    int mask = 31 << shift;
    long cur = registers[bucket] & mask;
    long next = value << shift;
    if (cur < next) registers[bucket] = (int) ((registers[bucket] & ~mask) | next);
  }

  /** {@code getBytes}: version −2, p and sp, then the sparse list (delta-encoded) or the registers. */
  public byte[] getBytes() {
    DataOutputBuffer out = new DataOutputBuffer(64);
    out.writeInt(-2);
    writeVarInt(P, out);
    writeVarInt(SP, out);
    if (sparse) {
      writeVarInt(1, out);
      mergeTempList();
      writeVarInt(sparseSet.length, out);
      int prev = 0;
      for (int k : sparseSet) {
        writeVarInt(k - prev, out);
        prev = k;
      }
    } else {
      writeVarInt(0, out);
      writeVarInt(registers.length * 4, out);
      for (int w : registers) out.writeInt(w);
    }
    return out.toByteArray();
  }

  /** stream-lib's {@code Varint.writeUnsignedVarInt}: seven bits a byte, low first. */
  private static void writeVarInt(int v, DataOutputBuffer out) {
    while ((v & 0xFFFFFF80) != 0) {
      out.writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.writeByte(v & 0x7F);
  }

  /** Cassandra's {@code MurmurHash.hash2_64}. */
  public static long hash2_64(byte[] key, int offset, int length, long seed) {
    long m64 = 0xc6a4a7935bd1e995L;
    int r64 = 47;
    long h64 = (seed & 0xffffffffL) ^ (m64 * length);
    int lenLongs = length >> 3;
    for (int i = 0; i < lenLongs; ++i) {
      int at = offset + (i << 3);
      long k64 = 0;
      for (int b = 7; b >= 0; b--) k64 = (k64 << 8) | (key[at + b] & 0xffL);
      k64 *= m64;
      k64 ^= k64 >>> r64;
      k64 *= m64;
      h64 ^= k64;
      h64 *= m64;
    }
    int rem = length & 0x7;
    if (rem > 0) {
      int base = offset + length - rem;
      for (int b = rem - 1; b >= 0; b--) h64 ^= (long) key[base + b] << (8 * b);
      h64 *= m64;
    }
    h64 ^= h64 >>> r64;
    h64 *= m64;
    h64 ^= h64 >>> r64;
    return h64;
  }
}
