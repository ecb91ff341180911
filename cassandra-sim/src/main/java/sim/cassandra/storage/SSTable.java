package sim.cassandra.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.sstable.BigTableReader;
import sim.cassandra.sstable.BigTableWriter;
import sim.cassandra.sstable.CorruptSSTableException;
import sim.cassandra.sstable.DataInputBuffer;
import sim.cassandra.sstable.Filter;
import sim.cassandra.sstable.IndexSummary;
import sim.cassandra.sstable.SerializationHeader;
import sim.cassandra.sstable.StatsMetadata;
import sim.core.disk.SimDisk;

/**
 * An immutable SSTable on the simulated disk in Cassandra 5.0's own {@code big} format, version
 * {@code nb} ({@link BigTableWriter}): written once by a flush or a compaction, never modified, deleted when
 * compacted away. As Cassandra's {@code BigTableReader} does, it holds in memory only the bloom filter
 * (Filter.db), the index summary (Summary.db, every 128th key) and Statistics.db's header and stats; a
 * point read asks the filter, binary-searches the summary, reads that stretch of Index.db (at most 128
 * entries) from the disk to find the partition's Data.db position, and reads just that partition.
 */
public final class SSTable {
  private final SSTableDescriptor descriptor;
  private final SimDisk disk;
  private final SerializationHeader header;
  private final SSTableStats stats;
  private final Filter filter;
  /** The sampled keys (with their tokens) and where each one's entry starts in Index.db. */
  private final DecoratedKey[] sampled;
  private final long[] sampledPositions;
  private final long indexLength;
  private final long dataLength;
  private final List<String> files;

  private SSTable(SSTableDescriptor descriptor, SimDisk disk, Map<String, byte[]> parts) {
    this.descriptor = descriptor;
    this.disk = disk;
    byte[] statistics = parts.get(SSTableDescriptor.Component.STATS.fileName);
    String statsFile = descriptor.file(SSTableDescriptor.Component.STATS);
    this.header = BigTableReader.readHeader(statistics, statsFile);
    StatsMetadata meta = StatsMetadata.read(statistics, statsFile);
    this.filter = Filter.deserialize(parts.get(SSTableDescriptor.Component.FILTER.fileName), descriptor.file(SSTableDescriptor.Component.FILTER));
    byte[] summary = parts.get(SSTableDescriptor.Component.SUMMARY.fileName);
    long minToken = 0;
    long maxToken = 0;
    if (summary == null) {
      sampled = new DecoratedKey[0];
      sampledPositions = new long[0];
    } else {
      IndexSummary.Sampled s = IndexSummary.deserialize(summary, descriptor.file(SSTableDescriptor.Component.SUMMARY));
      sampled = new DecoratedKey[s.keys().length];
      for (int i = 0; i < sampled.length; i++) sampled[i] = DecoratedKey.of(Bytes.wrap(s.keys()[i]));
      sampledPositions = s.indexPositions();
      minToken = DecoratedKey.of(Bytes.wrap(s.firstKey())).token();
      maxToken = DecoratedKey.of(Bytes.wrap(s.lastKey())).token();
    }
    this.indexLength = parts.get(SSTableDescriptor.Component.PRIMARY_INDEX.fileName).length;
    this.dataLength = parts.get(SSTableDescriptor.Component.DATA.fileName).length;
    this.stats = new SSTableStats(meta.minTimestamp(), meta.maxTimestamp(), minToken, maxToken, meta.partitions(), meta.totalRows(),
        dataLength, meta.commitLogUpperBound(), meta.sstableLevel());
    List<String> names = new ArrayList<>();
    for (SSTableDescriptor.Component c : SSTableDescriptor.Component.values()) if (parts.containsKey(c.fileName)) names.add(descriptor.file(c));
    this.files = List.copyOf(names);
  }

  public SSTableDescriptor descriptor() {
    return descriptor;
  }

  public SSTableStats stats() {
    return stats;
  }

  /** The component files, as the TOC lists them. */
  public List<String> files() {
    return files;
  }

  public long onDiskBytes() {
    long n = 0;
    for (String f : files) if (disk.exists(f)) n += disk.size(f);
    return n;
  }

  public boolean mightContain(DecoratedKey key) {
    return filter.mightContain(key.key().unsafeArray(), key.key().length());
  }

  public boolean contains(DecoratedKey key) {
    return mightContain(key) && dataRange(key) != null;
  }

  /** Every partition key, in token order, read from Index.db (a range scan's view). */
  public List<DecoratedKey> keys() {
    List<DecoratedKey> out = new ArrayList<>();
    if (indexLength == 0) return out;
    String file = descriptor.file(SSTableDescriptor.Component.PRIMARY_INDEX);
    DataInputBuffer in = new DataInputBuffer(disk.read(file, 0, (int) indexLength), file);
    while (in.hasRemaining()) {
      out.add(DecoratedKey.of(Bytes.wrap(in.readWithShortLength())));
      in.readUnsignedVInt();
      in.skip(in.readUnsignedVInt32()); // promoted index
    }
    return out;
  }

  /**
   * The partition keys with tokens in {@code (fromExclusive, toInclusive]}, in token order: what a range
   * read sees of this SSTable. As {@code BigTableReader} positions a scanner for a token range, the stats'
   * token bounds skip an SSTable the range misses without any read, the summary gives the last sampled
   * key at or before the range's start, and Index.db is read from there one summary interval at a time,
   * stopping at the first key past the range's end, so a narrow range reads a few intervals, not the whole
   * index.
   */
  public List<DecoratedKey> keys(long fromExclusive, long toInclusive) {
    List<DecoratedKey> out = new ArrayList<>();
    if (indexLength == 0 || fromExclusive >= toInclusive) return out;
    if (toInclusive < stats.minToken() || fromExclusive >= stats.maxToken()) return out;
    String file = descriptor.file(SSTableDescriptor.Component.PRIMARY_INDEX);
    for (int i = Math.max(0, lastSampleAtOrBefore(fromExclusive)); i < sampled.length; i++) {
      long start = sampledPositions[i];
      long end = i + 1 < sampled.length ? sampledPositions[i + 1] : indexLength;
      DataInputBuffer in = new DataInputBuffer(disk.read(file, start, (int) (end - start)), file + "@" + start);
      while (in.hasRemaining()) {
        DecoratedKey key = DecoratedKey.of(Bytes.wrap(in.readWithShortLength()));
        in.readUnsignedVInt();
        in.skip(in.readUnsignedVInt32()); // promoted index
        if (key.token() > toInclusive) return out;
        if (key.token() > fromExclusive) out.add(key);
      }
    }
    return out;
  }

  /** The last sampled key whose token is at most {@code token}; -1 if every sampled key's token is above it. */
  private int lastSampleAtOrBefore(long token) {
    int lo = 0;
    int hi = sampled.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (sampled[mid].token() <= token) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Reads one partition (null if absent): the summary, then Index.db, then Data.db at the position it gives. */
  public Partition read(DecoratedKey key, PartitionCodec.Schema schema) {
    long[] range = dataRange(key);
    if (range == null) return null;
    String file = descriptor.file(SSTableDescriptor.Component.DATA);
    byte[] bytes = disk.read(file, range[0], (int) (range[1] - range[0]));
    return BigTableReader.readPartition(bytes, file + "@" + range[0], header, schema);
  }

  /** Every partition of Data.db, in order, read sequentially: what a compaction scans. */
  public List<Partition> scan(PartitionCodec.Schema schema) {
    String file = descriptor.file(SSTableDescriptor.Component.DATA);
    return BigTableReader.read(disk.read(file, 0, (int) dataLength), file, header, schema);
  }

  /**
   * {@code BigTableReader.getPosition}: the summary entry at or before the key, then a scan of that
   * stretch of Index.db; the partition ends where the next entry's starts (or at the end of Data.db).
   * Null if the key is not in this SSTable.
   */
  private long[] dataRange(DecoratedKey key) {
    int i = floorSample(key);
    if (i < 0) return null;
    String file = descriptor.file(SSTableDescriptor.Component.PRIMARY_INDEX);
    long start = sampledPositions[i];
    long end = i + 1 < sampled.length ? sampledPositions[i + 1] : indexLength;
    DataInputBuffer in = new DataInputBuffer(disk.read(file, start, (int) (end - start)), file + "@" + start);
    byte[] target = key.key().unsafeArray();
    int targetLength = key.key().length();
    while (in.hasRemaining()) {
      int length = in.readUnsignedShort();
      boolean match = length == targetLength && in.regionEquals(target, length);
      in.skip(length);
      long position = in.readUnsignedVInt();
      in.skip(in.readUnsignedVInt32());
      if (!match) continue;
      long next = in.hasRemaining() ? nextPosition(in) : i + 1 < sampled.length ? firstPositionAt(file, sampledPositions[i + 1]) : dataLength;
      if (next < position || next > dataLength) throw in.corrupt("partition " + key + " at " + position + " ends at " + next);
      return new long[] {position, next};
    }
    return null;
  }

  private static long nextPosition(DataInputBuffer in) {
    in.skip(in.readUnsignedShort());
    return in.readUnsignedVInt();
  }

  /** The Data.db position of the Index.db entry starting at {@code at}. */
  private long firstPositionAt(String file, long at) {
    int keyLength = new DataInputBuffer(disk.read(file, at, 2), file + "@" + at).readUnsignedShort();
    int n = (int) Math.min(indexLength - at, 2L + keyLength + 9);
    return nextPosition(new DataInputBuffer(disk.read(file, at, n), file + "@" + at));
  }

  /** The last sampled key at or before {@code key}; -1 if the key sorts before the first or after the last. */
  private int floorSample(DecoratedKey key) {
    if (sampled.length == 0 || key.token() < stats.minToken() || key.token() > stats.maxToken()) return -1;
    int lo = 0;
    int hi = sampled.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (sampled[mid].compareTo(key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  // ---- writing ----

  /**
   * Writes partitions as a new SSTable in the {@code nb} format — Data, Index, Summary, Filter,
   * Statistics (with the commit log span {@code lower}..{@code upper} and the LCS level), CRC, Digest,
   * then TOC last, so a crash mid-write leaves no TOC and the files are removed at start-up, as
   * Cassandra's transaction log does for an unfinished flush.
   */
  public static SSTable write(SimDisk disk, SSTableDescriptor d, TableMetadata table, Collection<Partition> partitions,
      CommitLogPosition lower, CommitLogPosition upper, int level, long nowInSec) {
    Map<String, byte[]> files = BigTableWriter.write(table, partitions, d.generation(), nowInSec, lower, upper, level);
    Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      disk.write(d.directory() + e.getKey(), 0, e.getValue());
      parts.put(componentOf(e.getKey()), e.getValue());
    }
    return new SSTable(d, disk, parts);
  }

  private static String componentOf(String fileName) {
    return fileName.substring(fileName.indexOf('-', fileName.indexOf('-', 3) + 1) + 1);
  }

  // ---- opening ----

  /**
   * Opens an SSTable whose TOC lists its components, all present; null otherwise (an unfinished write: the
   * TOC is written last, so a TOC that reached the disk whole means every component before it did).
   * Digest.crc32 is not checked here; like Cassandra, a damaged Data.db is found when a read decodes it.
   */
  public static SSTable openIfComplete(SimDisk disk, SSTableDescriptor d) {
    String toc = new String(disk.readAll(d.file(SSTableDescriptor.Component.TOC)), StandardCharsets.UTF_8);
    Map<String, byte[]> parts = new java.util.LinkedHashMap<>();
    for (String line : toc.split("\n")) {
      if (line.isEmpty() || line.equals(SSTableDescriptor.Component.TOC.fileName)) continue;
      String f = d.directory() + BigTableWriter.fileName(d.generation(), line);
      if (!disk.exists(f)) return null;
      parts.put(line, disk.readAll(f));
    }
    parts.put(SSTableDescriptor.Component.TOC.fileName, new byte[0]);
    for (SSTableDescriptor.Component c : SSTableDescriptor.Component.values()) {
      if (c != SSTableDescriptor.Component.SUMMARY && !parts.containsKey(c.fileName)) return null;
    }
    try {
      return new SSTable(d, disk, parts);
    } catch (CorruptSSTableException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return descriptor + " (" + stats.partitions() + " partitions, " + stats.dataSizeBytes() + "B, L" + stats.level() + ")";
  }
}
