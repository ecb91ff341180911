package sim.cassandra.sstable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;
import sim.cassandra.db.Cell;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.storage.CommitLogPosition;

/**
 * Writes an SSTable in Cassandra 5.0's {@code big} format, version {@code nb} (what 5.0 writes under its
 * default {@code storage_compatibility_mode: CASSANDRA_4}): Data.db uncompressed, with CRC.db (a CRC32 per
 * 64 KiB chunk) and Digest.crc32 (the whole file's CRC32) guarding it; Index.db (each partition's key and
 * Data.db position); Summary.db (every 128th Index.db entry); Filter.db (the keys' bloom filter);
 * Statistics.db; TOC.txt. Partitions go in token order.
 */
public final class BigTableWriter {
  public static final String VERSION = "nb";
  public static final String FORMAT = "big";
  static final int CRC_CHUNK_BYTES = 64 * 1024;

  private BigTableWriter() {}

  /** The file name of component {@code component} of SSTable generation {@code generation}. */
  public static String fileName(int generation, String component) {
    return VERSION + "-" + generation + "-" + FORMAT + "-" + component;
  }

  /**
   * The components' file names (for {@code generation}) and bytes of an SSTable holding {@code partitions},
   * for table {@code t}; {@code nowInSec} decides which cells count as tombstones in the statistics.
   */
  public static Map<String, byte[]> write(TableMetadata t, Collection<Partition> partitions, int generation, long nowInSec) {
    return write(t, partitions, generation, nowInSec, CommitLogPosition.NONE, CommitLogPosition.NONE, 0);
  }

  /**
   * As {@link #write(TableMetadata, Collection, int, long)}, recording in Statistics.db the commit log span
   * the SSTable holds ({@code lower} to {@code upper}) and its LCS {@code level}: what a flush or a
   * compaction writes.
   */
  public static Map<String, byte[]> write(TableMetadata t, Collection<Partition> partitions, int generation, long nowInSec,
      CommitLogPosition lower, CommitLogPosition upper, int level) {
    List<Partition> sorted = new ArrayList<>(partitions);
    sorted.removeIf(Partition::isEmpty);
    sorted.sort((a, b) -> a.key().compareTo(b.key()));
    Scan scan = scan(t, sorted);
    SerializationHeader header = SerializationHeader.forTable(t, scan.names, scan.stats.get());
    MetadataCollector collector = new MetadataCollector(t.clusteringComparator(), nowInSec).commitLogIntervals(lower, upper).sstableLevel(level);
    UnfilteredSerializer serializer = new UnfilteredSerializer(header, collector);
    DataOutputBuffer data = new DataOutputBuffer(4096);
    DataOutputBuffer index = new DataOutputBuffer(1024);
    DecoratedKey last = null;
    IndexSummary summary = new IndexSummary();
    for (Partition p : sorted) {
      if (last != null && last.compareTo(p.key()) >= 0) throw new IllegalArgumentException("Last written key " + last + " >= current key " + p.key());
      last = p.key();
      summary.maybeAddEntry(p.key().key().unsafeArray(), index.position());
      index.writeWithShortLength(p.key().key().unsafeArray());
      index.writeUnsignedVInt(data.position());
      index.writeUnsignedVInt32(0); // no promoted index: partitions under column_index_size (64 KiB)
      serializer.writePartition(p, data);
    }
    byte[] dataBytes = data.toByteArray();
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put(fileName(generation, "Data.db"), dataBytes);
    out.put(fileName(generation, "Index.db"), index.toByteArray());
    List<byte[]> keys = new ArrayList<>();
    for (Partition p : sorted) keys.add(p.key().key().unsafeArray());
    out.put(fileName(generation, "Filter.db"), FilterWriter.write(keys));
    if (!sorted.isEmpty()) {
      out.put(fileName(generation, "Summary.db"), summary.serialize(sorted.get(0).key().key().unsafeArray(), last.key().unsafeArray()));
    }
    out.put(fileName(generation, "Statistics.db"), collector.statistics(header, MetadataCollector.DEFAULT_BLOOM_FILTER_FP_CHANCE));
    out.put(fileName(generation, "CRC.db"), chunkCrcs(dataBytes));
    out.put(fileName(generation, "Digest.crc32"), Long.toString(crc(dataBytes, 0, dataBytes.length)).getBytes(StandardCharsets.UTF_8));
    out.put(fileName(generation, "TOC.txt"), ((sorted.isEmpty() ? "" : "Summary.db\n") + "Data.db\nIndex.db\nFilter.db\nStatistics.db\nCRC.db\nDigest.crc32\nTOC.txt\n").getBytes(StandardCharsets.UTF_8));
    return out;
  }

  /** The columns present and the encoding statistics, gathered in one pass over what is written. */
  private static final class Scan {
    final TreeSet<String> names = new TreeSet<>();
    final EncodingStats.Collector stats = new EncodingStats.Collector();
    /** The table's non-key columns not seen yet; once none is left, rows need no more name lookups. */
    final TreeSet<String> unseen = new TreeSet<>();
  }

  /**
   * The header's inputs in one walk: the columns the partitions use (the header lists only those; a name
   * the table does not know is left out of it anyway, so the lookups stop once every table column has been
   * seen) and {@code EncodingStats.Collector} over everything written, the base every delta in Data.db is
   * taken from.
   */
  private static Scan scan(TableMetadata t, List<Partition> partitions) {
    Scan s = new Scan();
    for (var c : t.columns()) if (!c.isPrimaryKey()) s.unseen.add(c.name());
    for (Partition p : partitions) {
      s.stats.update(p.deletion());
      for (DeletionTime d : p.rangeTombstones().values()) s.stats.update(d);
      if (p.staticRow() != null) scanRow(p.staticRow(), s);
      for (Row r : p.rows().values()) scanRow(r, s);
    }
    return s;
  }

  private static void scanRow(Row r, Scan s) {
    if (!s.unseen.isEmpty()) {
      for (String n : r.cells().keySet()) if (s.names.add(n)) s.unseen.remove(n);
      for (String n : r.complex().keySet()) if (s.names.add(n)) s.unseen.remove(n);
    }
    collect(r, s.stats);
  }

  private static void collect(Row r, EncodingStats.Collector c) {
    c.update(r.liveness());
    c.update(r.deletion());
    for (Cell cell : r.cells().values()) c.update(cell);
    for (ComplexColumn cc : r.complex().values()) {
      c.update(cc.deletion());
      for (Cell cell : cc.cells().values()) c.update(cell);
    }
  }

  private static byte[] chunkCrcs(byte[] data) {
    DataOutputBuffer out = new DataOutputBuffer(16);
    out.writeInt(CRC_CHUNK_BYTES);
    for (int off = 0; off < data.length; off += CRC_CHUNK_BYTES) out.writeInt((int) crc(data, off, Math.min(CRC_CHUNK_BYTES, data.length - off)));
    return out.toByteArray();
  }

  private static long crc(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return crc.getValue();
  }
}
