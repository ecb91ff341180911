package sim.cassandra.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.oracle.RealSSTableReader;
import sim.cassandra.oracle.SSTableDumpFormat;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.SimBackend;
import sim.cassandra.script.StatementResult;
import sim.cassandra.sstable.BigTableReader;
import sim.cassandra.sstable.BigTableWriter;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.ClusteringComparator;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;
import java.util.Comparator;
import sim.core.NodeId;

/**
 * The simulator's SSTables read by Cassandra 5.0's own reader: a CQL workload runs on a one-node simulated
 * cluster, the node flushes its memtable to an SSTable in the {@code big} format ({@code nb}) on its
 * simulated disk, those files are copied out as they are, and cassandra-all (in a child JVM,
 * as {@code sstabledump} opens an SSTable) must read back exactly the partitions, rows, cells, timestamps,
 * TTLs and tombstones the simulator holds.
 */
class SSTableCrossReadTest {
  static final List<String> WORKLOAD = List.of(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
      "CREATE TABLE ks.t (k int, c int, s text static, v text, n bigint, tags set<text>, m map<text, int>, PRIMARY KEY (k, c))",
      "INSERT INTO ks.t (k, c, v, n) VALUES (1, 1, 'one', 10) USING TIMESTAMP 1000",
      "INSERT INTO ks.t (k, c, v) VALUES (1, 2, 'two') USING TIMESTAMP 1001 AND TTL 3600",
      "UPDATE ks.t USING TIMESTAMP 1002 SET n = 20 WHERE k = 1 AND c = 3",
      "UPDATE ks.t USING TIMESTAMP 1003 SET s = 'static-one' WHERE k = 1",
      "INSERT INTO ks.t (k, c, v, tags, m) VALUES (2, 1, 'x', {'a', 'b'}, {'p': 1, 'q': 2}) USING TIMESTAMP 2000",
      "UPDATE ks.t USING TIMESTAMP 2001 SET tags = tags + {'c'}, m['r'] = 3 WHERE k = 2 AND c = 1",
      "UPDATE ks.t USING TIMESTAMP 2002 SET m = {'z': 26} WHERE k = 2 AND c = 2",
      "DELETE v FROM ks.t USING TIMESTAMP 2003 WHERE k = 2 AND c = 1",
      "INSERT INTO ks.t (k, c, v) VALUES (3, 1, 'gone') USING TIMESTAMP 3000",
      "DELETE FROM ks.t USING TIMESTAMP 3001 WHERE k = 3 AND c = 1",
      "INSERT INTO ks.t (k, c, v) VALUES (3, 5, 'kept') USING TIMESTAMP 3002",
      "DELETE FROM ks.t USING TIMESTAMP 3003 WHERE k = 3 AND c > 5 AND c <= 9",
      "DELETE FROM ks.t USING TIMESTAMP 3004 WHERE k = 3 AND c > 9",
      "DELETE FROM ks.t USING TIMESTAMP 3005 WHERE k = 3 AND c < 0",
      "INSERT INTO ks.t (k, c, v) VALUES (4, 1, 'deleted') USING TIMESTAMP 4000",
      "DELETE FROM ks.t USING TIMESTAMP 4001 WHERE k = 4",
      "INSERT INTO ks.t (k, c, v) VALUES (5, 1, 'after-partition-delete') USING TIMESTAMP 5000",
      "INSERT INTO ks.t (k, c, v, n) VALUES (6, -7, '', 0) USING TIMESTAMP 6000");

  @TempDir
  Path dir;

  @Test
  void cassandraReadsTheSimulatorsSSTableToTheSameRows() throws Exception {
    SimBackend sim = new SimBackend(1, 1, null);
    List<String> workload = new ArrayList<>(WORKLOAD);
    // enough partitions for Summary.db to sample more than one Index.db entry (every 128th)
    for (int k = 100; k < 400; k++) workload.add("INSERT INTO ks.t (k, c, v) VALUES (" + k + ", 0, 'bulk') USING TIMESTAMP 7000");
    for (String cql : workload) {
      StatementResult r = sim.execute(cql, ConsistencyLevel.ONE, ConsistencyLevel.SERIAL);
      if (r instanceof StatementResult.Error e) throw new AssertionError(cql + ": " + e.code() + " " + e.message());
    }
    StorageEngine storage = sim.simulation().node(NodeId.of("n1"), CassandraNode.class).storage();
    TableStore store = storage.store("ks.t");
    long nowInSec = sim.simulation().nowNanos() / 1_000_000_000L;
    // what the node itself flushes (nodetool flush): the memtable becomes one nb SSTable on its simulated disk
    SSTable flushed = store.flush(nowInSec);
    assertEquals(1, store.sstables().size(), "the whole workload is in the one flushed SSTable");
    List<Partition> partitions = new ArrayList<>();
    for (DecoratedKey key : store.allKeys()) partitions.add(store.read(key));
    Path tableDir = Files.createDirectories(dir.resolve("ks").resolve("t-0123456789abcdef0123456789abcdef"));
    for (String f : flushed.files()) Files.write(tableDir.resolve(f.substring(f.lastIndexOf('/') + 1)), storage.disk().readAll(f));
    int generation = flushed.descriptor().generation();
    String expected = "SSTABLE nb\n" + SSTableDumpFormat.of(partitions) + "SUMMARY entries=3 consistent\n"
        + SSTableDumpFormat.statsOf(partitions) + "\nFILTER keys-absent=0 identical to Cassandra's\nLOOKUPS all found\n";
    String real = RealSSTableReader.dump(List.of(tableDir.resolve(BigTableWriter.fileName(generation, "Data.db"))));
    assertEquals(expected, real);
    if (Boolean.getBoolean("sstable.dump.print")) System.out.println(real);
    System.out.println("cassandra-sim: cassandra-all 5.0 read the nb SSTable a simulated node flushed to the same " + partitions.size() + " partitions ("
        + expected.lines().count() + " dump lines)");
  }

  @Test
  void theSimulatorReadsCassandrasSSTableToTheSameRows() throws Exception {
    Path tableDir = Files.createDirectories(dir.resolve("ks").resolve("w-fedcba9876543210fedcba9876543210"));
    String real = RealSSTableReader.writeAndDump(tableDir);
    List<String> lines = new ArrayList<>(real.lines().toList());
    String dataFile = lines.remove(1).substring("FILE ".length());
    // Cassandra's writer sizes its bloom filter for an estimated key count, so only its answers are compared
    String filter = lines.stream().filter(l -> l.startsWith("FILTER ")).findFirst().orElseThrow();
    lines.remove(filter);
    assertEquals(true, filter.startsWith("FILTER keys-absent=0 "), filter);
    String statistics = dataFile.substring(0, dataFile.length() - "Data.db".length()) + "Statistics.db";
    TableMetadata w = new TableMetadata("ks", "w", List.of(
        new ColumnMetadata("k", NativeType.INT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
        new ColumnMetadata("c", NativeType.INT, ColumnMetadata.Kind.CLUSTERING, 0, false),
        new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false),
        new ColumnMetadata("n", NativeType.BIGINT, ColumnMetadata.Kind.REGULAR, 0, false),
        new ColumnMetadata("tags", CollectionType.set(NativeType.TEXT), ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");
    PartitionCodec.Schema schema = new PartitionCodec.Schema() {
      public ClusteringComparator clusteringOrder() {
        return w.clusteringComparator();
      }

      public Comparator<Bytes> pathOrder(String column) {
        return NativeType.TEXT::compare;
      }
    };
    List<Partition> ours = BigTableReader.read(Files.readAllBytes(Path.of(dataFile)), dataFile, Files.readAllBytes(Path.of(statistics)), statistics, schema);
    assertEquals(String.join("\n", lines) + "\n", "SSTABLE nb\n" + SSTableDumpFormat.of(ours) + "SUMMARY entries=1 consistent\n"
        + SSTableDumpFormat.statsOf(ours) + "\nLOOKUPS all found\n");
    System.out.println("cassandra-sim: the simulator read Cassandra 5.0's CQLSSTableWriter SSTable (" + Path.of(dataFile).getFileName() + ") to the same "
        + ours.size() + " partitions");
  }
}
