package sim.cassandra.sstable;

/**
 * Summary.db ({@code IndexSummaryBuilder} at full sampling, {@code IndexSummary.IndexSummarySerializer}):
 * every {@code min_index_interval}-th (128th) Index.db entry's key and position, so a read binary-searches
 * the summary and scans at most 128 index entries. The header is big-endian (interval, entry count, bytes
 * of offsets and entries, sampling level, entries at full sampling); the offsets and entries are in the
 * machine's native order, little-endian on the platforms Cassandra runs on; then the first and last keys.
 */
final class IndexSummary {
  static final int MIN_INDEX_INTERVAL = 128;
  static final int BASE_SAMPLING_LEVEL = 128;

  private final java.util.List<Integer> offsets = new java.util.ArrayList<>();
  private final DataOutputBuffer entries = new DataOutputBuffer(256);
  private int count;
  private long keysWritten;

  void maybeAddEntry(byte[] key, long indexPosition) {
    if (keysWritten % MIN_INDEX_INTERVAL == 0) {
      offsets.add(entries.position());
      entries.write(key);
      writeLongLE(entries, indexPosition);
      count++;
    }
    keysWritten++;
  }

  byte[] serialize(byte[] firstKey, byte[] lastKey) {
    DataOutputBuffer out = new DataOutputBuffer(64 + 4 * count + entries.position());
    out.writeInt(MIN_INDEX_INTERVAL);
    out.writeInt(count);
    out.writeLong(4L * count + entries.position());
    out.writeInt(BASE_SAMPLING_LEVEL);
    out.writeInt((int) Math.ceil(keysWritten / (double) MIN_INDEX_INTERVAL));
    int base = 4 * count; // on disk, offsets count from the start of the offsets, not of the entries
    for (int offset : offsets) writeIntLE(out, offset + base);
    out.write(entries.array(), 0, entries.position());
    out.writeWithLength(firstKey);
    out.writeWithLength(lastKey);
    return out.toByteArray();
  }

  private static void writeIntLE(DataOutputBuffer out, int v) {
    out.writeInt(Integer.reverseBytes(v));
  }

  private static void writeLongLE(DataOutputBuffer out, long v) {
    out.writeLong(Long.reverseBytes(v));
  }
}
