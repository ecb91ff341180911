package sim.cassandra.sstable;

import sim.cassandra.storage.CommitLogPosition;

/**
 * What the read path, compaction and start-up take from Statistics.db's STATS component
 * ({@code StatsMetadata}, version {@code nb}), read back from the bytes {@link MetadataCollector} writes:
 * the partition count (the partition-size histogram's total), the timestamp range, the commit log upper
 * bound (replay skips what the SSTable holds), the LCS level and the row count.
 */
public record StatsMetadata(long partitions, long minTimestamp, long maxTimestamp, long minLocalDeletionTime,
    long maxLocalDeletionTime, CommitLogPosition commitLogUpperBound, int sstableLevel, long totalRows) {
  private static final int STATS_COMPONENT = 2;

  /** Parses the STATS component of Statistics.db ({@code statistics}, named {@code file} in errors). */
  public static StatsMetadata read(byte[] statistics, String file) {
    DataInputBuffer in = new DataInputBuffer(statistics, file);
    in.seek(componentOffset(in, STATS_COMPONENT));
    long partitions = histogramCount(in);
    histogramCount(in); // cells per partition
    CommitLogPosition upper = new CommitLogPosition(in.readLong(), in.readInt());
    long minTs = in.readLong();
    long maxTs = in.readLong();
    long minLdt = in.readInt();
    long maxLdt = in.readInt();
    in.readInt(); // min TTL
    in.readInt(); // max TTL
    in.readDouble(); // compression ratio
    TombstoneHistogram.deserialize(in);
    int level = in.readInt();
    in.readLong(); // repairedAt
    skipClusteringValues(in);
    skipClusteringValues(in);
    in.readBoolean(); // hasLegacyCounterShards
    in.readLong(); // totalColumnsSet
    long rows = in.readLong();
    return new StatsMetadata(partitions, minTs, maxTs, minLdt, maxLdt, upper, level, rows);
  }

  /** The offset of component {@code type} in Statistics.db's table of contents. */
  static int componentOffset(DataInputBuffer in, int type) {
    int count = in.readInt();
    if (count < 0 || count > 16) throw in.corrupt("bad component count " + count);
    in.readInt(); // checksum of the count
    int offset = -1;
    for (int i = 0; i < count; i++) {
      int t = in.readInt();
      int position = in.readInt();
      if (t == type) offset = position;
    }
    if (offset < 0) throw in.corrupt("no component " + type);
    return offset;
  }

  private static long histogramCount(DataInputBuffer in) {
    int size = in.readInt();
    if (size < 1 || size > 1 << 16) throw in.corrupt("histogram of " + size + " buckets");
    long total = 0;
    for (int i = 0; i < size; i++) {
      in.readLong(); // bucket offset
      total += in.readLong();
    }
    return total;
  }

  private static void skipClusteringValues(DataInputBuffer in) {
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) throw in.corrupt("clustering of " + n + " values");
    for (int i = 0; i < n; i++) in.readWithShortLength();
  }
}
