package sim.cassandra.sstable;

import java.util.Arrays;

/**
 * Cassandra's {@code EstimatedHistogram}: bucket offsets 1, 2, 3… each about 1.2 times the last, a value
 * counted in the first bucket at or above it, one overflow bucket at the end. Statistics.db keeps one of
 * partition sizes (155 buckets) and one of cells per partition (118).
 */
public final class EstimatedHistogram {
  private final long[] offsets;
  private final long[] buckets;

  public EstimatedHistogram(int bucketCount) {
    offsets = newOffsets(bucketCount);
    buckets = new long[offsets.length + 1];
  }

  private EstimatedHistogram(long[] offsets, long[] buckets) {
    this.offsets = offsets;
    this.buckets = buckets;
  }

  public static EstimatedHistogram partitionSizes() {
    return new EstimatedHistogram(155);
  }

  public static EstimatedHistogram cellsPerPartition() {
    return new EstimatedHistogram(118);
  }

  static long[] newOffsets(int size) {
    long[] result = new long[size];
    long last = 1;
    result[0] = last;
    for (int i = 1; i < size; i++) {
      long next = Math.round(last * 1.2);
      if (next == last) next++;
      result[i] = next;
      last = next;
    }
    return result;
  }

  public void add(long n) {
    int index = Arrays.binarySearch(offsets, n);
    if (index < 0) index = -index - 1;
    buckets[index]++;
  }

  public long count() {
    long c = 0;
    for (long b : buckets) c += b;
    return c;
  }

  public void serialize(DataOutputBuffer out) {
    out.writeInt(buckets.length);
    for (int i = 0; i < buckets.length; i++) {
      out.writeLong(offsets[i == 0 ? 0 : i - 1]);
      out.writeLong(buckets[i]);
    }
  }

  public static EstimatedHistogram deserialize(DataInputBuffer in) {
    int size = in.readInt();
    if (size < 1 || size > 1 << 16) throw in.corrupt("histogram of " + size + " buckets");
    long[] offsets = new long[size - 1];
    long[] buckets = new long[size];
    for (int i = 0; i < size; i++) {
      long off = in.readLong();
      if (i > 0) offsets[i - 1] = off;
      buckets[i] = in.readLong();
    }
    return new EstimatedHistogram(offsets, buckets);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EstimatedHistogram h && Arrays.equals(offsets, h.offsets) && Arrays.equals(buckets, h.buckets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(buckets);
  }
}
