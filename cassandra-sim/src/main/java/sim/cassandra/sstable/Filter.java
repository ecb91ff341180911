package sim.cassandra.sstable;

import sim.cassandra.ring.MurmurHash3;

/**
 * Filter.db read back ({@code BloomFilterSerializer.deserialize}): the hash count, the word count, the bit
 * set as {@link FilterWriter} lays it out. {@link #mightContain} asks the same bits a write set; a "no" is
 * certain, so the read path skips the SSTable without touching Summary, Index or Data.
 */
public final class Filter {
  private final byte[] bits;
  private final int hashCount;
  private final long capacity;

  private Filter(byte[] bits, int hashCount) {
    this.bits = bits;
    this.hashCount = hashCount;
    this.capacity = (long) bits.length * 8;
  }

  public static Filter deserialize(byte[] data, String file) {
    DataInputBuffer in = new DataInputBuffer(data, file);
    int hashes = in.readInt();
    int words = in.readInt();
    if (hashes < 1 || hashes > 64 || words < 0 || (long) words * 8 != in.remaining()) throw in.corrupt("bloom filter of " + hashes + " hashes, " + words + " words");
    return new Filter(in.readBytes(words * 8), hashes);
  }

  public boolean mightContain(byte[] key, int length) {
    if (capacity == 0) return false;
    long[] h = MurmurHash3.hash3x64x128(key, 0, length, 0);
    long base = h[1];
    for (int i = 0; i < hashCount; i++) {
      long index = Math.abs(base % capacity);
      if ((bits[(int) (index >> 3)] & (1 << (index & 7))) == 0) return false;
      base += h[0];
    }
    return true;
  }
}
