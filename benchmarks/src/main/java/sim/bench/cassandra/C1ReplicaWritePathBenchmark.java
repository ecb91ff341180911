package sim.bench.cassandra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.storage.StorageConfig;
import sim.cassandra.storage.StorageEngine;
import sim.core.disk.SimDisk;

/**
 * C1: one write on a Cassandra replica — the mutation built, appended to the commit log segment on the
 * simulated disk (with its two CRCs) and inserted into the memtable — against RocksDB's own {@code put}
 * with its WAL on and {@code sync=false}, the same keys (100k) and 100-byte values. Both flush when their
 * memtable reaches 64 MiB (RocksDB's default write_buffer_size). Goal: ≥ 1×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class C1ReplicaWritePathBenchmark {
  private static final int KEYS = 100_000;
  private final byte[][] keys = new byte[KEYS][];
  private final byte[] value = new byte[100];
  private StorageEngine engine;
  private TableMetadata table;
  private RocksDB rocks;
  private Options options;
  private WriteOptions writeOptions;
  private Path rocksDir;
  private int i;
  private long ts;

  @Setup(Level.Trial)
  public void setup() throws RocksDBException, IOException {
    for (int k = 0; k < KEYS; k++) keys[k] = ("key:" + String.format("%010d", k)).getBytes(StandardCharsets.UTF_8);
    java.util.Arrays.fill(value, (byte) 'v');
    engine = new StorageEngine(SimDisk.standalone("c1", 1), StorageConfig.defaults().withMemtableFlushThresholdBytes(64L << 20));
    engine.recover((s, d) -> { });
    engine.schema().addKeyspace(new KeyspaceMetadata("ks", "SimpleStrategy", java.util.Map.of("replication_factor", 1)));
    table = new TableMetadata("ks", "kv", List.of(
        new ColumnMetadata("k", NativeType.BLOB, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
        new ColumnMetadata("v", NativeType.BLOB, ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
    engine.schema().addTable(table);
    RocksDB.loadLibrary();
    rocksDir = Files.createTempDirectory("c1-rocks");
    options = new Options().setCreateIfMissing(true).setWriteBufferSize(64L << 20);
    rocks = RocksDB.open(options, rocksDir.toString());
    writeOptions = new WriteOptions().setSync(false).setDisableWAL(false);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    rocks.close();
    options.close();
    writeOptions.close();
    try (Stream<Path> s = Files.walk(rocksDir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long replicaWrite() {
    byte[] k = keys[i++ % KEYS];
    Partition p = new Partition(DecoratedKey.of(Bytes.wrap(k)), table.clusteringComparator());
    TreeMap<String, Cell> cells = new TreeMap<>();
    cells.put("v", Cell.live(Bytes.wrap(value), ++ts, null));
    p.addRow(new Row(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0), DeletionTime.LIVE, cells, new TreeMap<>()));
    long pos = engine.write(new Mutation("ks", "kv", p)).position();
    if ((i & 0x3fff) == 0) {
      // what commitlog_sync periodic does every 10 s: the segments are synced (the page cache's copy kept)
      for (String f : engine.commitLog().dirtyFiles()) engine.disk().fsync(f);
      engine.commitLog().markSynced(engine.commitLog().dirtyFiles());
      if (!engine.flush(false, 0).isEmpty()) engine.discardFlushedSegments();
    }
    return pos;
  }

  @Benchmark
  public int baselineRocksDbPutWithWal() throws RocksDBException {
    byte[] k = keys[i++ % KEYS];
    rocks.put(writeOptions, k, value);
    return k.length;
  }
}
