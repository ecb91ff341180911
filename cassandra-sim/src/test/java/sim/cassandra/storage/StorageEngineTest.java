package sim.cassandra.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
import sim.cassandra.schema.Schema;
import sim.cassandra.schema.TableMetadata;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;

/** The replica's storage engine: commit log replay, flush, the read path across memtable and SSTables, crashes. */
class StorageEngineTest {
  static final TableMetadata T = new TableMetadata("ks", "kv", List.of(
      new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
      new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false)), 864000, 0, "SizeTieredCompactionStrategy");

  static StorageEngine open(SimDisk disk) {
    StorageEngine e = new StorageEngine(disk, StorageConfig.defaults());
    e.recover((schema, ddl) -> { });
    return e;
  }

  static void define(Schema s) {
    s.addKeyspace(new KeyspaceMetadata("ks", "SimpleStrategy", Map.of("replication_factor", 1)));
    s.addTable(T);
  }

  static Mutation put(String k, String v, long ts) {
    Partition p = new Partition(DecoratedKey.of(Bytes.utf8(k)), T.clusteringComparator());
    TreeMap<String, Cell> cells = new TreeMap<>();
    cells.put("v", Cell.live(Bytes.utf8(v), ts, null));
    p.addRow(new Row(Clustering.EMPTY, LivenessInfo.of(ts, 0, 0), DeletionTime.LIVE, cells, new TreeMap<>()));
    return new Mutation("ks", "kv", p);
  }

  static String value(StorageEngine e, String k) {
    Partition p = e.read(T, DecoratedKey.of(Bytes.utf8(k)));
    if (p == null || p.rows().isEmpty()) return null;
    Cell c = p.rows().firstEntry().getValue().cells().get("v");
    return c == null || c.isTombstone() ? null : c.value().utf8();
  }

  /** What the node's commit log sync does: write the sync markers, then fsync the dirty segments. */
  static void sync(StorageEngine e, SimDisk disk) {
    e.commitLog().writeSyncMarkers();
    for (String f : e.commitLog().dirtyFiles()) disk.fsync(f);
    e.commitLog().markSynced(e.commitLog().dirtyFiles());
  }

  /** A recover() that knows the schema (as the node re-applies it from system_schema). */
  static StorageEngine reopen(SimDisk disk) {
    StorageEngine e = new StorageEngine(disk, StorageConfig.defaults());
    define(e.schema());
    e.recover((schema, ddl) -> { });
    return e;
  }

  @Test
  void syncedCommitLogIsReplayedAfterACrash() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    StorageEngine e = open(disk);
    define(e.schema());
    e.write(put("a", "1", 1));
    e.write(put("b", "2", 2));
    sync(e, disk);
    e.write(put("c", "3", 3));
    disk.crash();
    StorageEngine after = reopen(disk);
    assertEquals("1", value(after, "a"));
    assertEquals("2", value(after, "b"));
    assertNull(value(after, "c"), "the write after the last sync is lost (periodic sync's window)");
  }

  @Test
  void flushedDataIsReadFromSSTablesAndSegmentsAreRecycled() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    StorageEngine e = open(disk);
    define(e.schema());
    for (int i = 0; i < 50; i++) e.write(put("k" + i, "v" + i, i));
    List<SSTable> flushed = e.flush(true, 0);
    assertEquals(1, flushed.size());
    for (String f : flushed.get(0).files()) disk.fsync(f);
    assertTrue(e.store(T).memtable().isEmpty());
    e.write(put("k7", "newer", 100));
    assertEquals("newer", value(e, "k7"), "memtable and SSTable reconciled: newest timestamp wins");
    assertEquals("v8", value(e, "k8"));
    long skipsBefore = e.store(T).bloomFilterSkips();
    assertNull(value(e, "absent-key"));
    assertTrue(e.store(T).bloomFilterSkips() > skipsBefore, "the bloom filter ruled the SSTable out");
    disk.crash();
    StorageEngine after = reopen(disk);
    assertEquals("v8", value(after, "k8"));
    assertEquals(1, after.store(T).sstables().size());
  }

  @Test
  void aFlushWritesCassandrasComponentsAndReadsGoThroughSummaryIndexAndData() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    StorageEngine e = open(disk);
    define(e.schema());
    for (int i = 0; i < 1000; i++) e.write(put("k" + i, "v" + i, i));
    CommitLogPosition upper = e.store(T).memtable().commitLogUpperBound();
    SSTable s = e.flush(true, 0).get(0);
    String dir = e.store(T).directory();
    List<String> expected = new java.util.ArrayList<>();
    for (String c : List.of("Data.db", "Index.db", "Summary.db", "Filter.db", "Statistics.db", "CRC.db", "Digest.crc32", "TOC.txt")) expected.add(dir + "nb-1-big-" + c);
    assertEquals(expected, s.files());
    assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(disk.list(dir)));
    assertEquals(upper, s.stats().commitLogUpperBound(), "Statistics.db records the memtable's commit log span");
    assertEquals(1000, s.stats().partitions());
    for (String f : s.files()) disk.fsync(f);
    sync(e, disk);
    disk.crash();
    StorageEngine after = new StorageEngine(disk, StorageConfig.defaults());
    define(after.schema());
    StorageEngine.Recovery r = after.recover((x, d) -> { });
    assertEquals(0, r.replayed(), "everything in the commit log is below the SSTable's upper bound: " + r);
    // every key through the summary (8 samples) and its stretch of Index.db, including each stretch's last
    for (int i = 0; i < 1000; i++) assertEquals("v" + i, value(after, "k" + i));
    assertNull(value(after, "k1000"));
    assertEquals(1000, after.store(T).allKeys().size());
  }

  @Test
  void aTornTailPastTheLastSyncMarkerIsNeverRead() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    disk.setCrashLossMode(CrashLossMode.TORN_LAST_WRITE);
    StorageEngine e = open(disk);
    define(e.schema());
    e.write(put("a", "1", 1));
    sync(e, disk);
    e.write(put("b", "2", 2));
    disk.crash();
    StorageEngine after = new StorageEngine(disk, StorageConfig.defaults());
    define(after.schema());
    StorageEngine.Recovery r = after.recover((s, d) -> { });
    assertEquals("1", value(after, "a"));
    assertNull(value(after, "b"));
    assertEquals(1, r.replayed(), "replay stopped at the reserved (zero) marker after the synced section: " + r);
    assertEquals(List.of(), r.problems(), "unsynced bytes past the last marker are not an error, Cassandra never reads them");
  }

  @Test
  void aCorruptEntryInASyncedSectionEndsReplayWithCassandrasError() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    StorageEngine e = open(disk);
    define(e.schema());
    e.write(put("a", "1", 1));
    CommitLogPosition afterA = e.commitLog().currentPosition();
    e.write(put("b", "2", 2));
    sync(e, disk);
    String segment = CommitLog.fileName(afterA.segmentId());
    disk.corrupt(segment, afterA.position() + 12, 1); // a byte of b's mutation, inside the synced section
    disk.crash();
    StorageEngine after = reopen(disk);
    StorageEngine.Recovery r = after.recover((x, d) -> { });
    assertEquals("1", value(after, "a"));
    assertNull(value(after, "b"));
    assertEquals(List.of("Mutation checksum failure at " + afterA.position() + " in Next section at " + (CommitLog.HEADER_BYTES + CommitLog.SYNC_MARKER_SIZE)
        + " in " + segment.substring(CommitLog.DIR.length())), r.problems());
  }

  @Test
  void anSSTableWithoutItsTocIsDiscardedAtStartup() {
    SimDisk disk = SimDisk.standalone("n1", 1);
    StorageEngine e = open(disk);
    define(e.schema());
    e.write(put("a", "1", 1));
    SSTable s = e.flush(true, 0).get(0);
    for (String f : s.files()) if (!f.endsWith("TOC.txt")) disk.fsync(f);
    disk.crash();
    StorageEngine after = reopen(disk);
    assertEquals(0, after.store(T).sstables().size(), "the TOC's contents never reached the disk: the flush never finished");
    assertNotNull(after.commitLog());
  }
}
