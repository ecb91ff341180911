package sim.cassandra.sstable;

/**
 * Summary.db ({@code IndexSummaryBuilder} at full sampling, {@code IndexSummary.IndexSummarySerializer}):
 * every {@code min_index_interval}-th (128th) Index.db entry's key and position, so a read binary-searches
 * the summary and scans at most 128 index entries. The header is big-endian (interval, entry count, bytes
 * of offsets and entries, sampling level, entries at full sampling); the offsets and entries are in the
 * machine's native order, little-endian on the platforms Cassandra runs on; then the first and last keys.
 */
public final class IndexSummary {
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

  /** Summary.db read back: the sampled keys and their Index.db positions, and the SSTable's first and last keys. */
  public record Sampled(byte[][] keys, long[] indexPositions, byte[] firstKey, byte[] lastKey) {}

  public static Sampled deserialize(byte[] data, String file) {
    DataInputBuffer in = new DataInputBuffer(data, file);
    int interval = in.readInt();
    int count = in.readInt();
    long bytes = in.readLong();
    in.readInt(); // sampling level
    in.readInt(); // entries at full sampling
    if (interval != MIN_INDEX_INTERVAL || count < 0 || bytes < 4L * count || bytes > in.remaining()) throw in.corrupt("summary of " + count + " entries in " + bytes + " bytes");
    int base = in.position();
    int[] offsets = new int[count];
    for (int i = 0; i < count; i++) offsets[i] = Integer.reverseBytes(in.readInt());
    byte[][] keys = new byte[count][];
    long[] positions = new long[count];
    int end = base + (int) bytes;
    for (int i = 0; i < count; i++) {
      int start = base + offsets[i];
      int next = i + 1 < count ? base + offsets[i + 1] : end;
      if (start < base + 4 * count || next - start < 8 || next > end) throw in.corrupt("summary entry " + i + " at " + offsets[i]);
      in.seek(start);
      keys[i] = in.readBytes(next - start - 8);
      positions[i] = Long.reverseBytes(in.readLong());
    }
    in.seek(end);
    return new Sampled(keys, positions, in.readWithLength(), in.readWithLength());
  }

  private static void writeIntLE(DataOutputBuffer out, int v) {
    out.writeInt(Integer.reverseBytes(v));
  }

  private static void writeLongLE(DataOutputBuffer out, long v) {
    out.writeLong(Long.reverseBytes(v));
  }
}
