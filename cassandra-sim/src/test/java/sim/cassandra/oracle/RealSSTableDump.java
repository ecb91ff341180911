package sim.cassandra.oracle;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.cassandra.db.ClusteringPrefix;
import org.apache.cassandra.db.DeletionTime;
import org.apache.cassandra.db.LivenessInfo;
import org.apache.cassandra.db.rows.Cell;
import org.apache.cassandra.db.rows.ColumnData;
import org.apache.cassandra.db.rows.ComplexColumnData;
import org.apache.cassandra.db.rows.RangeTombstoneBoundMarker;
import org.apache.cassandra.db.rows.RangeTombstoneBoundaryMarker;
import org.apache.cassandra.db.rows.RangeTombstoneMarker;
import org.apache.cassandra.db.rows.Row;
import org.apache.cassandra.db.rows.Unfiltered;
import org.apache.cassandra.db.rows.UnfilteredRowIterator;
import org.apache.cassandra.io.sstable.Descriptor;
import org.apache.cassandra.io.sstable.ISSTableScanner;
import org.apache.cassandra.io.sstable.format.SSTableReader;
import org.apache.cassandra.io.util.File;
import org.apache.cassandra.schema.TableMetadata;
import org.apache.cassandra.schema.TableMetadataRef;
import org.apache.cassandra.tools.Util;
import org.apache.cassandra.utils.ByteBufferUtil;

/**
 * Reads SSTables with Cassandra 5.0's own reader, as {@code sstabledump} does (schema from the SSTable's
 * serialization header, {@code SSTableReader.openNoValidation}, a full scan), and prints every partition,
 * row, cell and range tombstone marker in {@link SSTableDumpFormat}'s lines. Runs in a child JVM with the
 * flags of {@code jvm17-server.options}; arguments are Data.db paths.
 */
public final class RealSSTableDump {
  private RealSSTableDump() {}

  /** Points Cassandra at a scratch directory with a minimal cassandra.yaml and initialises it as its offline tools do. */
  static void initOffline(String prefix) throws Exception {
    java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory(prefix);
    java.nio.file.Path yaml = scratch.resolve("cassandra.yaml");
    java.nio.file.Files.writeString(yaml, String.join("\n", "cluster_name: " + prefix,
        "partitioner: org.apache.cassandra.dht.Murmur3Partitioner", "commitlog_sync: periodic", "commitlog_sync_period: 10000ms",
        "data_file_directories: [" + scratch.resolve("data") + "]", "commitlog_directory: " + scratch.resolve("commitlog"),
        "saved_caches_directory: " + scratch.resolve("saved_caches"), "hints_directory: " + scratch.resolve("hints"),
        "endpoint_snitch: SimpleSnitch", "seed_provider:", "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
        "    parameters:", "      - seeds: \"127.0.0.1\"", ""));
    java.nio.file.Path logback = scratch.resolve("logback.xml");
    java.nio.file.Files.writeString(logback, "<configuration><root level=\"ERROR\"/></configuration>\n");
    System.setProperty("cassandra.config", yaml.toUri().toString());
    System.setProperty("logback.configurationFile", logback.toString());
    System.setProperty("cassandra.storagedir", scratch.toString());
    Util.initDatabaseDescriptor();
  }

  public static void main(String[] args) throws Exception {
    initOffline("sim-sstable-dump");
    List<String> paths = List.of(args);
    if (args[0].equals("--write")) paths = writeWithCqlSSTableWriter(java.nio.file.Path.of(args[1]));
    StringBuilder out = new StringBuilder();
    for (String path : paths) {
      Descriptor desc = Descriptor.fromFileWithComponent(new File(path), false).left;
      TableMetadata metadata = Util.metadataFromSSTable(desc);
      java.nio.file.Path summaryCopy = copySummary(desc);
      SSTableReader sstable = SSTableReader.openNoValidation(null, desc, TableMetadataRef.forOfflineTools(metadata));
      out.append("SSTABLE ").append(desc.version).append('\n');
      if (args[0].equals("--write")) out.append("FILE ").append(path).append('\n');
      List<org.apache.cassandra.db.DecoratedKey> keys = new ArrayList<>();
      try (ISSTableScanner scanner = sstable.getScanner()) {
        while (scanner.hasNext()) {
          try (UnfilteredRowIterator p = scanner.next()) {
            keys.add(p.partitionKey());
            dump(p, out);
          }
        }
      }
      // point lookups go through Summary.db and Index.db, as a read by key does
      List<String> missing = new ArrayList<>();
      for (org.apache.cassandra.db.DecoratedKey k : keys) {
        if (sstable.getPosition(k, SSTableReader.Operator.EQ) < 0) missing.add(hex(k.getKey()));
      }
      if (summaryCopy != null) java.nio.file.Files.copy(summaryCopy, java.nio.file.Path.of(summaryCopy.toString().replace(".orig", "")),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      out.append(summary(desc, metadata, keys)).append('\n');
      out.append(stats(desc, sstable)).append('\n');
      out.append(filter(desc, keys)).append('\n');
      out.append("LOOKUPS ").append(missing.isEmpty() ? "all found" : "missing " + missing).append('\n');
    }
    System.out.print("BEGIN\n" + out + "END\n");
    System.out.flush();
    System.exit(0);
  }

  /** The schema of the table {@link #writeWithCqlSSTableWriter} writes (uncompressed: the simulator reads no CompressionInfo). */
  public static final String WRITER_SCHEMA = "CREATE TABLE ks.w (k int, c int, v text, n bigint, tags set<text>, PRIMARY KEY (k, c))"
      + " WITH compression = {'enabled': false}";

  /** Writes an SSTable into {@code dir} with Cassandra's own {@code CQLSSTableWriter}; returns its Data.db paths. */
  private static List<String> writeWithCqlSSTableWriter(java.nio.file.Path dir) throws Exception {
    org.apache.cassandra.io.sstable.CQLSSTableWriter w = org.apache.cassandra.io.sstable.CQLSSTableWriter.builder()
        .inDirectory(dir.toString()).forTable(WRITER_SCHEMA)
        .using("INSERT INTO ks.w (k, c, v, n, tags) VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ? AND TTL ?").build();
    w.addRow(1, 1, "one", 10L, java.util.Set.of("a", "b"), 1000L, 0);
    w.addRow(1, 2, "two", null, null, 1001L, 3600);
    w.addRow(2, -5, "", 0L, java.util.Set.of(), 2000L, 0);
    w.addRow(3, 7, null, Long.MAX_VALUE, java.util.Set.of("z"), 3000L, 86400);
    for (int k = 10; k < 40; k++) w.addRow(k, k * 3, "v" + k, (long) k * k, java.util.Set.of("t" + k), 5000L + k, k % 3 == 0 ? 60 : 0);
    w.close();
    List<String> out = new ArrayList<>();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
      files.map(java.nio.file.Path::toString).filter(f -> f.endsWith("-Data.db")).sorted().forEach(out::add);
    }
    return out;
  }

  /**
   * Summary.db loaded by Cassandra's own deserializer (the loader would silently rebuild a bad one): entry i
   * must be the (128·i)-th key, at an Index.db position that holds that key, and first/last the SSTable's.
   */
  private static String summary(Descriptor desc, TableMetadata metadata, List<org.apache.cassandra.db.DecoratedKey> keys) throws Exception {
    File file = desc.fileFor(org.apache.cassandra.io.sstable.format.big.BigFormat.Components.SUMMARY);
    if (!file.exists()) return "SUMMARY none";
    List<String> wrong = new ArrayList<>();
    org.apache.cassandra.io.sstable.format.big.IndexSummaryComponent c = org.apache.cassandra.io.sstable.format.big.IndexSummaryComponent.load(file, metadata);
    try (java.io.RandomAccessFile index = new java.io.RandomAccessFile(desc.fileFor(org.apache.cassandra.io.sstable.format.big.BigFormat.Components.PRIMARY_INDEX).path(), "r")) {
      for (int i = 0; i < c.indexSummary.size(); i++) {
        ByteBuffer key = ByteBuffer.wrap(c.indexSummary.getKey(i));
        index.seek(c.indexSummary.getPosition(i));
        byte[] atPosition = new byte[index.readUnsignedShort()];
        index.readFully(atPosition);
        if (i * 128 >= keys.size() || !keys.get(i * 128).getKey().equals(key) || !ByteBuffer.wrap(atPosition).equals(key)) wrong.add("entry " + i);
      }
    }
    if (!c.first.equals(keys.get(0))) wrong.add("first");
    if (!c.last.equals(keys.get(keys.size() - 1))) wrong.add("last");
    c.indexSummary.close();
    return "SUMMARY entries=" + c.indexSummary.size() + (wrong.isEmpty() ? " consistent" : " wrong " + wrong);
  }

  /**
   * Filter.db loaded by Cassandra: every key present, and the bytes equal to the filter Cassandra itself
   * builds for these keys at {@code bloom_filter_fp_chance} 0.01.
   */
  private static String filter(Descriptor desc, List<org.apache.cassandra.db.DecoratedKey> keys) throws Exception {
    File file = desc.fileFor(org.apache.cassandra.io.sstable.format.big.BigFormat.Components.FILTER);
    if (!file.exists()) return "FILTER none";
    org.apache.cassandra.utils.IFilter loaded = org.apache.cassandra.io.sstable.format.FilterComponent.load(desc);
    long absent = keys.stream().filter(k -> !loaded.isPresent(k)).count();
    org.apache.cassandra.utils.IFilter own = org.apache.cassandra.utils.FilterFactory.getFilter(keys.size(), 0.01);
    for (org.apache.cassandra.db.DecoratedKey k : keys) own.add(k);
    byte[] ownBytes;
    try (org.apache.cassandra.io.util.DataOutputBuffer b = new org.apache.cassandra.io.util.DataOutputBuffer()) {
      own.serialize(b, false);
      ownBytes = b.toByteArray();
    }
    boolean same = java.util.Arrays.equals(ownBytes, java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file.path())));
    loaded.close();
    own.close();
    return "FILTER keys-absent=" + absent + (same ? " identical to Cassandra's" : " differs from Cassandra's");
  }

  /** What Cassandra reads from Statistics.db's STATS and COMPACTION components. */
  private static String stats(Descriptor desc, SSTableReader sstable) throws Exception {
    org.apache.cassandra.io.sstable.metadata.StatsMetadata s = sstable.getSSTableMetadata();
    org.apache.cassandra.io.sstable.metadata.CompactionMetadata c = (org.apache.cassandra.io.sstable.metadata.CompactionMetadata)
        desc.getMetadataSerializer().deserialize(desc, org.apache.cassandra.io.sstable.metadata.MetadataType.COMPACTION);
    return SSTableDumpFormat.stats(s.totalRows, s.minTimestamp, s.maxTimestamp, s.minTTL, s.maxTTL, s.estimatedPartitionSize.count(),
        s.estimatedCellPerPartitionCount.count(), c.cardinalityEstimator.cardinality());
  }

  /** Keeps Summary.db aside: opening the SSTable deletes a Summary.db it cannot read, and we want to judge it. */
  private static java.nio.file.Path copySummary(Descriptor desc) throws Exception {
    java.nio.file.Path f = java.nio.file.Path.of(desc.fileFor(org.apache.cassandra.io.sstable.format.big.BigFormat.Components.SUMMARY).path());
    if (!java.nio.file.Files.exists(f)) return null;
    java.nio.file.Path copy = java.nio.file.Path.of(f + ".orig");
    java.nio.file.Files.copy(f, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return copy;
  }

  private static void dump(UnfilteredRowIterator p, StringBuilder out) {
    out.append(SSTableDumpFormat.partition(hex(p.partitionKey().getKey()), del(p.partitionLevelDeletion()))).append('\n');
    if (!p.staticRow().isEmpty()) row("S", p.staticRow(), out);
    while (p.hasNext()) {
      Unfiltered u = p.next();
      if (u instanceof Row r) row("R", r, out);
      else marker((RangeTombstoneMarker) u, out);
    }
  }

  private static void row(String tag, Row r, StringBuilder out) {
    LivenessInfo l = r.primaryKeyLivenessInfo();
    out.append(SSTableDumpFormat.row(tag, clustering(r.clustering()), l.timestamp(), l.ttl(), l.localExpirationTime(), del(r.deletion().time())))
        .append('\n');
    List<String> lines = new ArrayList<>();
    for (ColumnData cd : r) {
      String name = cd.column().name.toString();
      if (cd.column().isSimple()) {
        lines.add(cell(name, (Cell<?>) cd));
      } else {
        ComplexColumnData c = (ComplexColumnData) cd;
        if (!c.complexDeletion().isLive()) lines.add(SSTableDumpFormat.complexDeletion(name, del(c.complexDeletion())));
        for (Cell<?> cell : c) lines.add(cell(name, cell));
      }
    }
    Collections.sort(lines);
    for (String line : lines) out.append(line).append('\n');
  }

  private static String cell(String name, Cell<?> c) {
    String path = c.path() == null ? null : hex(c.path().get(0));
    return SSTableDumpFormat.cell(name, path, hex(c.buffer()), c.timestamp(), c.ttl(), c.localDeletionTime());
  }

  private static void marker(RangeTombstoneMarker m, StringBuilder out) {
    String close;
    String open;
    if (m.isBoundary()) {
      RangeTombstoneBoundaryMarker b = (RangeTombstoneBoundaryMarker) m;
      close = del(b.endDeletionTime());
      open = del(b.startDeletionTime());
    } else {
      RangeTombstoneBoundMarker b = (RangeTombstoneBoundMarker) m;
      close = m.clustering().kind().isEnd() ? del(b.deletionTime()) : null;
      open = m.clustering().kind().isStart() ? del(b.deletionTime()) : null;
    }
    out.append(SSTableDumpFormat.marker(m.clustering().kind().name(), clustering(m.clustering()), close, open)).append('\n');
  }

  private static List<String> clustering(ClusteringPrefix<?> c) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) values.add(hex(c.bufferAt(i)));
    return values;
  }

  private static String del(DeletionTime d) {
    return SSTableDumpFormat.deletion(d.markedForDeleteAt(), d.localDeletionTime());
  }

  private static String hex(ByteBuffer b) {
    return ByteBufferUtil.bytesToHex(b);
  }
}
