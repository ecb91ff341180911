package sim.cassandra.sstable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.cassandra.utils.vint.VIntCoding;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ClusteringComparator;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.Row;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;

/**
 * The big-format codec: vints byte for byte as Cassandra's {@code VIntCoding} writes them, and any set of
 * partitions (rows, statics, TTLs, collections, every kind of tombstone, DESC clustering) written as an
 * SSTable and read back is the same set of partitions.
 */
class BigFormatProperties {
  static final TableMetadata TABLE = new TableMetadata("ks", "t", List.of(
      new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
      new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, true),
      new ColumnMetadata("d", NativeType.TEXT, ColumnMetadata.Kind.CLUSTERING, 1, false),
      new ColumnMetadata("st", NativeType.TEXT, ColumnMetadata.Kind.STATIC, 0, false),
      new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false),
      new ColumnMetadata("n", NativeType.BIGINT, ColumnMetadata.Kind.REGULAR, 0, false),
      new ColumnMetadata("s", CollectionType.set(NativeType.INT), ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
  static final PartitionCodec.Schema SCHEMA = new PartitionCodec.Schema() {
    public ClusteringComparator clusteringOrder() {
      return TABLE.clusteringComparator();
    }

    public Comparator<Bytes> pathOrder(String column) {
      return NativeType.INT::compare;
    }
  };
  static final long NOW = 1_767_225_600L;

  @Property(tries = 1000)
  void unsignedVIntsAreCassandras(@ForAll long v) {
    assertArrayEquals(cassandraUnsigned(v), ours(v, false));
    assertEquals(v, new DataInputBuffer(ours(v, false), "t").readUnsignedVInt());
  }

  @Property(tries = 1000)
  void smallUnsignedVIntsAreCassandras(@ForAll("small") long v) {
    assertArrayEquals(cassandraUnsigned(v), ours(v, false));
    assertEquals(v, new DataInputBuffer(ours(v, false), "t").readUnsignedVInt());
  }

  @Property(tries = 1000)
  void signedVIntsAreCassandras(@ForAll("small") long v) {
    ByteBuffer b = ByteBuffer.allocate(16);
    VIntCoding.writeVInt(v, b);
    assertArrayEquals(Arrays.copyOf(b.array(), b.position()), ours(v, true));
    assertEquals(v, new DataInputBuffer(ours(v, true), "t").readVInt());
  }

  @Provide
  Arbitrary<Long> small() {
    return Arbitraries.oneOf(Arbitraries.longs().between(-70_000, 70_000), Arbitraries.longs().between(-(1L << 40), 1L << 40));
  }

  private static byte[] cassandraUnsigned(long v) {
    ByteBuffer b = ByteBuffer.allocate(16);
    VIntCoding.writeUnsignedVInt(v, b);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] ours(long v, boolean signed) {
    DataOutputBuffer out = new DataOutputBuffer(16);
    if (signed) out.writeVInt(v);
    else out.writeUnsignedVInt(v);
    return out.toByteArray();
  }

  @Property(tries = 300)
  void anSSTableReadsBackToThePartitionsWritten(@ForAll("tables") List<Partition> partitions) {
    Map<String, byte[]> files = BigTableWriter.write(TABLE, partitions, 7, NOW);
    List<Partition> read = BigTableReader.read(files.get("nb-7-big-Data.db"), "nb-7-big-Data.db", files.get("nb-7-big-Statistics.db"),
        "nb-7-big-Statistics.db", SCHEMA);
    List<Partition> expected = new ArrayList<>(partitions);
    expected.removeIf(Partition::isEmpty);
    expected.sort((a, b) -> a.key().compareTo(b.key()));
    assertEquals(expected, read);
  }

  /** 70 regular columns and a counter: rows lacking some of 64 or more header columns ({@code Columns.serializeLargeSubset}). */
  static final TableMetadata WIDE = wideTable();

  private static TableMetadata wideTable() {
    List<ColumnMetadata> cols = new ArrayList<>();
    cols.add(new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false));
    for (int i = 0; i < 70; i++) cols.add(new ColumnMetadata(String.format("c%02d", i), NativeType.INT, ColumnMetadata.Kind.REGULAR, 0, false));
    return new TableMetadata("ks", "wide", cols, 864000, 0, "SizeTieredCompactionStrategy");
  }

  @Property(tries = 200)
  void rowsWithAnySubsetOfSeventyColumnsReadBack(@ForAll("subsets") List<List<Integer>> rows) {
    List<Partition> partitions = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      Partition p = new Partition(DecoratedKey.of(Bytes.utf8("k" + r)), WIDE.clusteringComparator());
      TreeMap<String, Cell> cells = new TreeMap<>();
      for (int c : rows.get(r)) cells.put(String.format("c%02d", c), Cell.live(Bytes.wrap(ByteBuffer.allocate(4).putInt(c).array()), 100 + c, null));
      p.addRow(new Row(Clustering.EMPTY, LivenessInfo.of(100, 0, 0), DeletionTime.LIVE, cells, new TreeMap<>()));
      partitions.add(p);
    }
    Map<String, byte[]> files = BigTableWriter.write(WIDE, partitions, 3, NOW);
    List<Partition> read = BigTableReader.read(files.get("nb-3-big-Data.db"), "nb-3-big-Data.db", files.get("nb-3-big-Statistics.db"), "nb-3-big-Statistics.db", SCHEMA);
    partitions.sort((a, b) -> a.key().compareTo(b.key()));
    assertEquals(partitions, read);
  }

  @Provide
  Arbitrary<List<List<Integer>>> subsets() {
    return Arbitraries.integers().between(0, 69).list().uniqueElements().ofMaxSize(70).list().ofMinSize(1).ofMaxSize(6);
  }

  @Example
  void counterCellsReadBackAsCounters() {
    TableMetadata t = new TableMetadata("ks", "ctr", List.of(
        new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
        new ColumnMetadata("n", NativeType.COUNTER, ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
    Partition p = new Partition(DecoratedKey.of(Bytes.utf8("a")), t.clusteringComparator());
    TreeMap<String, Cell> cells = new TreeMap<>();
    cells.put("n", Cell.counter(sim.cassandra.db.CounterContext.of(7, 2, 41), 500));
    p.addRow(new Row(Clustering.EMPTY, LivenessInfo.EMPTY, DeletionTime.LIVE, cells, new TreeMap<>()));
    Map<String, byte[]> files = BigTableWriter.write(t, List.of(p), 1, NOW);
    List<Partition> read = BigTableReader.read(files.get("nb-1-big-Data.db"), "nb-1-big-Data.db", files.get("nb-1-big-Statistics.db"), "nb-1-big-Statistics.db", SCHEMA);
    assertEquals(List.of(p), read);
    assertEquals(true, read.get(0).rows().firstEntry().getValue().cells().get("n").counter());
  }

  @Example
  void aTruncatedDataFileIsACorruptSSTableNamingTheFile() {
    Partition p = partition("a");
    apply(p, new int[] {4, 1, 5, 0});
    Map<String, byte[]> files = BigTableWriter.write(TABLE, List.of(p), 1, NOW);
    byte[] data = files.get("nb-1-big-Data.db");
    CorruptSSTableException e = assertThrows(CorruptSSTableException.class,
        () -> BigTableReader.read(Arrays.copyOf(data, data.length - 3), "nb-1-big-Data.db", files.get("nb-1-big-Statistics.db"), "nb-1-big-Statistics.db", SCHEMA));
    assertEquals("nb-1-big-Data.db", e.file());
  }

  @Provide
  Arbitrary<List<Partition>> tables() {
    Arbitrary<int[]> op = Combinators.combine(Arbitraries.integers().between(0, 11), Arbitraries.integers().between(-2, 3),
        Arbitraries.integers().between(1, 6), Arbitraries.integers().between(0, 2)).as((k, c, t, e) -> new int[] {k, c, t, e});
    Arbitrary<List<int[]>> ops = op.list().ofMaxSize(8);
    return ops.list().ofMaxSize(4).map(lists -> {
      Map<String, Partition> byKey = new LinkedHashMap<>();
      for (int i = 0; i < lists.size(); i++) {
        Partition p = partition("key" + i);
        for (int[] o : lists.get(i)) apply(p, o);
        p.normalize(TABLE::compareComponent);
        byKey.put("key" + i, p);
      }
      return new ArrayList<>(byKey.values());
    });
  }

  private static Partition partition(String key) {
    return new Partition(DecoratedKey.of(Bytes.utf8(key)), TABLE.clusteringComparator());
  }

  private static Clustering ck(int c, int e) {
    return Clustering.of(NativeType.INT.serialize(c), e == 0 ? Bytes.EMPTY : Bytes.utf8("d" + e));
  }

  private static Clustering prefix(int c) {
    return Clustering.of(NativeType.INT.serialize(c));
  }

  private static void apply(Partition p, int[] op) {
    Clustering c = ck(op[1], op[3]);
    long ts = 1_000 + op[2];
    switch (op[0]) {
      case 0 -> p.deletePartition(new DeletionTime(ts, NOW));
      case 1 -> p.addRangeTombstone(new Slice(prefix(op[1]), op[3] != 1, prefix(op[1] + op[3] + 1), op[3] == 2), new DeletionTime(ts, NOW));
      case 2 -> p.addRangeTombstone(new Slice(Clustering.EMPTY, true, prefix(op[1]), op[3] == 0), new DeletionTime(ts, NOW + op[3]));
      case 3 -> p.addRow(new Row(c, LivenessInfo.EMPTY, new DeletionTime(ts, NOW), new TreeMap<>(), new TreeMap<>()));
      case 4 -> p.addRow(new Row(c, LivenessInfo.of(ts, op[3] * 600, NOW), DeletionTime.LIVE, cells("v", Cell.live(Bytes.utf8("v" + op[2]), ts, op[3] * 600, NOW, null)), new TreeMap<>()));
      case 5 -> p.addRow(new Row(c, LivenessInfo.EMPTY, DeletionTime.LIVE, cells("n", Cell.live(Bytes.ofLong(op[2] * 1_000_003L), ts + op[3], null)), new TreeMap<>()));
      case 6 -> p.addRow(new Row(c, LivenessInfo.EMPTY, DeletionTime.LIVE, cells("v", Cell.tombstone(ts, NOW, null)), new TreeMap<>()));
      case 7 -> p.addRow(new Row(c, LivenessInfo.of(ts, 0, NOW), DeletionTime.LIVE, cells("v", Cell.live(Bytes.EMPTY, ts, null)), new TreeMap<>()));
      case 8 -> p.addRow(new Row(Clustering.STATIC, LivenessInfo.EMPTY, DeletionTime.LIVE, cells("st", Cell.live(Bytes.utf8("s" + op[1]), ts, op[3] * 60, NOW, null)), new TreeMap<>()));
      default -> {
        ComplexColumn cc = ComplexColumn.of(op[0] == 9 ? new DeletionTime(ts - 1, NOW) : DeletionTime.LIVE, NativeType.INT::compare);
        Bytes path = NativeType.INT.serialize(op[3] + op[1]);
        cc.cells().put(path, op[0] == 11 ? Cell.tombstone(ts, NOW, path) : Cell.live(Bytes.EMPTY, ts, path));
        TreeMap<String, ComplexColumn> complex = new TreeMap<>();
        complex.put("s", cc);
        p.addRow(new Row(c, LivenessInfo.EMPTY, DeletionTime.LIVE, new TreeMap<>(), complex));
      }
    }
  }

  private static TreeMap<String, Cell> cells(String name, Cell c) {
    TreeMap<String, Cell> m = new TreeMap<>();
    m.put(name, c);
    return m;
  }
}
