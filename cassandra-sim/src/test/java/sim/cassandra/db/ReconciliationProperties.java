package sim.cassandra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;

/**
 * Reconciliation is a join: replicas that see the same writes in any order, any number of times, hold the
 * same data. Timestamps are drawn from a tiny range so ties (live vs live, tombstone vs live, expiring vs
 * tombstone) are common.
 */
class ReconciliationProperties {
  static final TableMetadata TABLE = new TableMetadata("ks", "t", List.of(
      new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
      new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, false),
      new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false),
      new ColumnMetadata("s", CollectionType.set(NativeType.INT), ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
  static final DecoratedKey KEY = DecoratedKey.of(Bytes.utf8("p"));
  static final Slice.PrefixComparator PREFIXES = TABLE::compareComponent;

  @Property(tries = 500)
  void cellReconcileIsCommutativeAssociativeIdempotent(@ForAll("cells") Cell a, @ForAll("cells") Cell b, @ForAll("cells") Cell c) {
    assertEquals(Cell.reconcile(a, b), Cell.reconcile(b, a));
    assertEquals(Cell.reconcile(Cell.reconcile(a, b), c), Cell.reconcile(a, Cell.reconcile(b, c)));
    assertEquals(a, Cell.reconcile(a, a));
  }

  @Property(tries = 500)
  void partitionMergeIsCommutative(@ForAll("partitions") Partition a, @ForAll("partitions") Partition b) {
    assertEquals(Partition.merge(a, b, PREFIXES), Partition.merge(b, a, PREFIXES));
  }

  @Property(tries = 500)
  void partitionMergeIsAssociative(@ForAll("partitions") Partition a, @ForAll("partitions") Partition b, @ForAll("partitions") Partition c) {
    assertEquals(Partition.merge(Partition.merge(a, b, PREFIXES), c, PREFIXES), Partition.merge(a, Partition.merge(b, c, PREFIXES), PREFIXES));
  }

  @Property(tries = 300)
  void partitionMergeIsIdempotent(@ForAll("partitions") Partition a) {
    Partition once = Partition.merge(empty(), a, PREFIXES);
    assertEquals(once, Partition.merge(once, a, PREFIXES));
  }

  @Property(tries = 300)
  void encodingRoundTrips(@ForAll("partitions") Partition a) {
    Partition n = Partition.merge(empty(), a, PREFIXES);
    assertEquals(n, PartitionCodec.decode(PartitionCodec.encode(n), new PartitionCodec.Schema() {
      public ClusteringComparator clusteringOrder() {
        return TABLE.clusteringComparator();
      }

      public java.util.Comparator<Bytes> pathOrder(String column) {
        return NativeType.INT::compare;
      }
    }));
  }

  @Example
  void tombstoneBeatsLiveOnATie() {
    Cell live = Cell.live(Bytes.utf8("x"), 10, null);
    Cell dead = Cell.tombstone(10, 100, null);
    assertEquals(dead, Cell.reconcile(live, dead));
    assertEquals(dead, Cell.reconcile(dead, live));
  }

  @Example
  void greaterValueWinsATieBetweenLiveCells() {
    Cell apple = Cell.live(Bytes.utf8("apple"), 5, null);
    Cell pear = Cell.live(Bytes.utf8("pear"), 5, null);
    assertEquals(pear, Cell.reconcile(apple, pear));
    assertEquals(pear, Cell.reconcile(pear, apple));
  }

  static Partition empty() {
    return new Partition(KEY, TABLE.clusteringComparator());
  }

  @Provide
  Arbitrary<Cell> cells() {
    Arbitrary<Long> ts = Arbitraries.longs().between(1, 3);
    Arbitrary<String> value = Arbitraries.of("a", "b", "c");
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> ttl = Arbitraries.integers().between(1, 2);
    return Combinators.combine(ts, value, kind, ttl).as((t, v, k, l) -> switch (k) {
      case 0 -> Cell.live(Bytes.utf8(v), t, null);
      case 1 -> Cell.tombstone(t, 100 + l, null);
      default -> Cell.live(Bytes.utf8(v), t, l, 100, null);
    });
  }

  @Provide
  Arbitrary<Partition> partitions() {
    Arbitrary<Integer> kind = Arbitraries.integers().between(0, 9);
    Arbitrary<Integer> clustering = Arbitraries.integers().between(0, 3);
    Arbitrary<Long> ts = Arbitraries.longs().between(1, 4);
    Arbitrary<Cell> cell = cells();
    Arbitrary<int[]> op = Combinators.combine(kind, clustering, ts.map(Long::intValue), Arbitraries.integers().between(0, 2)).as((k, c, t, e) -> new int[] {k, c, t, e});
    return Combinators.combine(op.list().ofMaxSize(6), cell.list().ofMinSize(6).ofMaxSize(6)).as((ops, cs) -> {
      Partition p = empty();
      for (int i = 0; i < ops.size(); i++) apply(p, ops.get(i), cs.get(i));
      return p;
    });
  }

  private static void apply(Partition p, int[] op, Cell cell) {
    Clustering c = Clustering.of(NativeType.INT.serialize(op[1]));
    long ts = op[2];
    switch (op[0]) {
      case 0 -> p.deletePartition(new DeletionTime(ts, 100));
      case 1 -> p.addRangeTombstone(new Slice(Clustering.of(NativeType.INT.serialize(op[1])), true, Clustering.of(NativeType.INT.serialize(op[1] + 1)), false), new DeletionTime(ts, 100));
      case 2 -> p.addRow(new Row(c, LivenessInfo.EMPTY, new DeletionTime(ts, 100), new TreeMap<>(), new TreeMap<>()));
      case 3 -> p.addRow(new Row(c, LivenessInfo.of(ts, 0, 100), DeletionTime.LIVE, new TreeMap<>(), new TreeMap<>()));
      case 4, 5, 6 -> {
        TreeMap<String, Cell> cells = new TreeMap<>();
        cells.put("v", cell);
        p.addRow(new Row(c, LivenessInfo.EMPTY, DeletionTime.LIVE, cells, new TreeMap<>()));
      }
      default -> {
        ComplexColumn cc = ComplexColumn.of(op[0] == 7 ? new DeletionTime(ts - 1, 100) : DeletionTime.LIVE, NativeType.INT::compare);
        Bytes path = NativeType.INT.serialize(op[3]);
        cc.cells().put(path, op[0] == 9 ? Cell.tombstone(ts, 100, path) : Cell.live(Bytes.EMPTY, ts, path));
        TreeMap<String, ComplexColumn> complex = new TreeMap<>();
        complex.put("s", cc);
        p.addRow(new Row(c, LivenessInfo.EMPTY, DeletionTime.LIVE, new TreeMap<>(), complex));
      }
    }
  }
}
