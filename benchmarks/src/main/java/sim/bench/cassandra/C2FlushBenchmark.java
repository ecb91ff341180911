package sim.bench.cassandra;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.storage.CommitLogPosition;
import sim.cassandra.storage.SSTable;
import sim.cassandra.storage.SSTableDescriptor;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;
import sim.core.disk.SimDisk;

/**
 * C2: flushing a memtable of 20,000 partitions (100-byte values) to an SSTable in Cassandra's {@code nb}
 * format on the simulated disk — Data (UnfilteredSerializer), Index, Summary, Filter, Statistics, CRC,
 * Digest and TOC — against a plain sequential write of the same bytes (every component the flush writes,
 * in one file) to the same simulated disk. Reported per flush, so the ratio is flush MB/s over
 * sequential-write MB/s. Goal: ≥ 0.5×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class C2FlushBenchmark {
  private static final int PARTITIONS = 20_000;
  /** The table has no clustering columns, so every row is Clustering.EMPTY; byte order stands in for the types. */
  private static final TableMetadata TABLE = new TableMetadata("ks", "kv", List.of(
      new ColumnMetadata("k", NativeType.BLOB, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
      new ColumnMetadata("v", NativeType.BLOB, ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
  private final List<Partition> memtable = new ArrayList<>();
  private byte[] dataBytes;
  private SimDisk disk;
  private int generation;

  @Setup(Level.Trial)
  public void setup() {
    TreeMap<DecoratedKey, Partition> sorted = new TreeMap<>();
    byte[] value = new byte[100];
    java.util.Arrays.fill(value, (byte) 'v');
    for (int k = 0; k < PARTITIONS; k++) {
      Partition p = new Partition(DecoratedKey.of(Bytes.utf8("key:" + k)), TABLE.clusteringComparator());
      TreeMap<String, Cell> cells = new TreeMap<>();
      cells.put("v", Cell.live(Bytes.wrap(value), k, null));
      p.addRow(new Row(Clustering.EMPTY, LivenessInfo.of(k, 0, 0), DeletionTime.LIVE, cells, new TreeMap<>()));
      sorted.put(p.key(), p);
    }
    memtable.addAll(sorted.values());
    disk = SimDisk.standalone("c2", 1);
    // the baseline writes exactly the bytes one flush writes, all components together
    SSTable s = flush();
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    for (String f : s.files()) b.writeBytes(disk.readAll(f));
    for (String f : s.files()) disk.delete(f);
    dataBytes = b.toByteArray();
  }

  private SSTable flush() {
    return SSTable.write(disk, new SSTableDescriptor("data/ks/kv/", ++generation), TABLE, memtable, CommitLogPosition.NONE, CommitLogPosition.NONE, 0, 0);
  }

  @Benchmark
  public long flushToSSTable() {
    SSTable s = flush();
    for (String f : s.files()) disk.delete(f);
    return s.stats().dataSizeBytes();
  }

  @Benchmark
  public long baselineSequentialWrite() {
    String f = "data/ks/kv/plain-" + (++generation);
    disk.write(f, 0, dataBytes);
    disk.delete(f);
    return dataBytes.length;
  }
}
