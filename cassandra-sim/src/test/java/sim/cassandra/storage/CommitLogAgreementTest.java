package sim.cassandra.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.cassandra.db.Mutation;
import sim.cassandra.oracle.RealCassandraCommitLog;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;
import sim.core.disk.SimDisk;

/**
 * The simulator's commit log segments read by Cassandra 5.0's own {@code CommitLogReader} (cassandra-all, in
 * a child JVM): the header, the sync markers and each entry's size and CRCs must check, the mutation must open
 * with its update count and table id, and the reader must find, per segment and per table, exactly the
 * mutations our replay finds, and stop with the same error where a synced section is damaged.
 */
class CommitLogAgreementTest {
  static final TableMetadata T2 = new TableMetadata("ks", "other", List.of(
      new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
      new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");

  @TempDir
  Path dir;

  /** Two tables, small segments (several switches), a sync every few writes, and two writes never synced. */
  private static StorageEngine workload(SimDisk disk) {
    StorageEngine e = new StorageEngine(disk, StorageConfig.defaults().withSegmentSizeBytes(700));
    e.recover((s, d) -> { });
    StorageEngineTest.define(e.schema());
    e.schema().addTable(T2);
    for (int i = 0; i < 40; i++) {
      Mutation m = StorageEngineTest.put("k" + i, "v" + i, i);
      e.write(i % 3 == 0 ? new Mutation("ks", "other", m.update()) : m);
      if (i % 4 == 3) StorageEngineTest.sync(e, disk);
    }
    e.write(StorageEngineTest.put("unsynced-1", "x", 100));
    e.write(StorageEngineTest.put("unsynced-2", "y", 101));
    return e;
  }

  @Test
  void cassandraReadsEverySyncedMutationOfEverySegment() throws Exception {
    SimDisk disk = SimDisk.standalone("n1", 1);
    workload(disk);
    String ours = ourReading(disk);
    assertTrue(CommitLog.segmentsOnDisk(disk).size() >= 3, "the workload switches segments: " + ours);
    assertTrue(!ours.contains("ERROR"), ours);
    int found = 0;
    for (String line : ours.split("\n")) if (line.startsWith("TABLE ")) found += Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
    assertEquals(40, found, "every synced write, and neither of the two never synced: " + ours);
    assertEquals(ours, RealCassandraCommitLog.read(export(disk)));
  }

  @Test
  void aDamagedEntryAndADamagedMarkerStopTheSegmentWithCassandrasErrors() throws Exception {
    SimDisk disk = SimDisk.standalone("n1", 1);
    workload(disk);
    List<Long> ids = CommitLog.segmentsOnDisk(disk);
    // a byte inside the first entry of the first segment, and the second segment's second sync marker
    disk.corrupt(CommitLog.fileName(ids.get(0)), CommitLog.HEADER_BYTES + CommitLog.SYNC_MARKER_SIZE + 14, 1);
    String second = CommitLog.fileName(ids.get(1));
    int firstSectionEnd = java.nio.ByteBuffer.wrap(disk.read(second, CommitLog.HEADER_BYTES, 4)).getInt();
    disk.corrupt(second, firstSectionEnd + 4, 1);
    String ours = ourReading(disk);
    assertTrue(ours.contains("ERROR Mutation checksum failure") && ours.contains("ERROR Encountered bad header"), ours);
    assertEquals(ours, RealCassandraCommitLog.read(export(disk)));
  }

  /** Our replay, in the oracle's lines: per segment its mutations counted by table id, then its errors. */
  private static String ourReading(SimDisk disk) {
    StorageEngine probe = new StorageEngine(disk, StorageConfig.defaults());
    StorageEngineTest.define(probe.schema());
    probe.schema().addTable(T2);
    CommitLog.Replayed r = CommitLog.replay(disk, CommitLogPosition.NONE, q -> probe.store(q));
    StringBuilder out = new StringBuilder();
    for (long id : CommitLog.segmentsOnDisk(disk)) {
      String name = CommitLog.fileName(id).substring(CommitLog.DIR.length());
      out.append("SEGMENT ").append(name).append(" 12 ").append(id).append('\n');
      Map<String, Integer> byTable = new TreeMap<>();
      for (int i = 0; i < r.mutations().size(); i++) {
        if (r.positions().get(i).segmentId() != id) continue;
        long[] bits = TableStore.tableIdBits(r.mutations().get(i).qualifiedTable());
        byTable.merge(String.format("%016x%016x", bits[0], bits[1]), 1, Integer::sum);
      }
      byTable.forEach((t, n) -> out.append("TABLE ").append(t).append(' ').append(n).append('\n'));
      for (String p : r.problems()) if (p.contains(name)) out.append("ERROR ").append(p).append('\n');
    }
    return out.toString();
  }

  /** The segments as files under {@code dir/commitlog/}, as they are on the simulated disk. */
  private List<Path> export(SimDisk disk) throws Exception {
    List<Path> files = new ArrayList<>();
    Path cl = Files.createDirectories(dir.resolve("commitlog"));
    for (long id : CommitLog.segmentsOnDisk(disk)) {
      String f = CommitLog.fileName(id);
      Path p = cl.resolve(f.substring(CommitLog.DIR.length()));
      Files.write(p, disk.readAll(f));
      files.add(p);
    }
    return files;
  }
}
