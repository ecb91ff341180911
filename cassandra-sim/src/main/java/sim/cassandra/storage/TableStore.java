package sim.cassandra.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.compaction.CompactionTask;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.Purger;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.core.disk.SimDisk;

/**
 * One table on one replica (Cassandra's {@code ColumnFamilyStore}): a memtable, the live SSTables, and
 * the read path that merges them. SSTables are immutable; a flush or a compaction adds new ones and
 * deletes whole old ones.
 */
public final class TableStore implements PartitionCodec.Schema, Slice.PrefixComparator {
  private final TableMetadata table;
  private final SimDisk disk;
  private final String directory;
  private Memtable memtable = new Memtable();
  private final TreeMap<Integer, SSTable> sstables = new TreeMap<>();
  private int nextGeneration = 1;
  private final double bloomFilterFpChance;
  /** Counters for the read path: SSTables whose filter said no, and SSTables actually read. */
  private long bloomFilterSkips;
  private long sstablesRead;
  private long bytesFlushed;
  private long bytesCompacted;

  public TableStore(TableMetadata table, SimDisk disk, double bloomFilterFpChance) {
    this.table = table;
    this.disk = disk;
    this.bloomFilterFpChance = bloomFilterFpChance;
    this.directory = "data/" + table.keyspace() + "/" + table.name() + "-" + tableId(table) + "/";
  }

  /** A stable 32-hex-digit id for the directory name, as Cassandra names table directories by id. */
  static String tableId(TableMetadata t) {
    long[] id = tableIdBits(t.qualifiedName());
    return String.format("%016x%016x", id[0], id[1]);
  }

  /** That id as a UUID's most and least significant bits (Cassandra's {@code TableId}), for the commit log. */
  static long[] tableIdBits(String qualifiedName) {
    long h = 1125899906842597L;
    for (char c : qualifiedName.toCharArray()) h = 31 * h + c;
    return new long[] {h, Long.rotateLeft(h * 0x9E3779B97F4A7C15L, 17)};
  }

  public TableMetadata metadata() {
    return table;
  }

  public String directory() {
    return directory;
  }

  // ---- PartitionCodec.Schema / PrefixComparator ----

  @Override
  public sim.cassandra.db.ClusteringComparator clusteringOrder() {
    return table.clusteringComparator();
  }

  @Override
  public Comparator<Bytes> pathOrder(String column) {
    ColumnMetadata c = table.column(column);
    if (c == null || !(c.type() instanceof CollectionType ct)) return Comparator.naturalOrder();
    return ct.pathType()::compare;
  }

  @Override
  public int compareComponent(int i, Bytes a, Bytes b) {
    return table.compareComponent(i, a, b);
  }

  // ---- start-up ----

  /** Opens the SSTables whose TOC exists; removes the components of any without one (an unfinished write). */
  public List<String> open() {
    List<String> removed = new ArrayList<>();
    TreeSet<Integer> complete = new TreeSet<>();
    for (String f : disk.list(directory)) {
      SSTableDescriptor d = SSTableDescriptor.fromToc(f);
      if (d != null) complete.add(d.generation());
    }
    for (String f : disk.list(directory)) {
      String name = f.substring(directory.length());
      int gen = generationOf(name);
      if (gen < 0) continue;
      nextGeneration = Math.max(nextGeneration, gen + 1);
      if (!complete.contains(gen)) {
        disk.delete(f);
        removed.add(f);
      }
    }
    for (int gen : complete) {
      SSTableDescriptor d = new SSTableDescriptor(directory, gen);
      SSTable s = SSTable.openIfComplete(disk, d);
      if (s != null) {
        sstables.put(gen, s);
        continue;
      }
      // a TOC whose contents never reached the disk: the write was not finished
      for (String f : disk.list(directory + SSTableDescriptor.VERSION + "-" + gen + "-")) {
        disk.delete(f);
        removed.add(f);
      }
    }
    return removed;
  }

  private static int generationOf(String name) {
    String[] parts = name.split("-");
    if (parts.length < 3 || !parts[0].equals(SSTableDescriptor.VERSION)) return -1;
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The highest commit log position already in an SSTable: replay starts after it. */
  public CommitLogPosition flushedUpTo() {
    CommitLogPosition p = CommitLogPosition.NONE;
    for (SSTable s : sstables.values()) p = CommitLogPosition.max(p, s.stats().commitLogUpperBound());
    return p;
  }

  // ---- write path ----

  public void apply(Partition update, CommitLogPosition position) {
    memtable.apply(update, position, this, Memtable.estimatedSize(update));
  }

  public Memtable memtable() {
    return memtable;
  }

  /** Writes the memtable as a new SSTable (if it holds anything) and starts a fresh one. */
  public SSTable flush(long nowInSec) {
    if (memtable.isEmpty()) return null;
    Memtable old = memtable;
    memtable = new Memtable();
    SSTable s = SSTable.write(disk, new SSTableDescriptor(directory, nextGeneration++), table, old.sorted(),
        old.commitLogLowerBound(), old.commitLogUpperBound(), 0, nowInSec);
    sstables.put(s.descriptor().generation(), s);
    bytesFlushed += s.stats().dataSizeBytes();
    return s;
  }

  // ---- read path ----

  /** The partition as merged from the memtable and every SSTable that may hold it (null if none does). */
  public Partition read(DecoratedKey key) {
    Partition merged = null;
    Partition m = memtable.get(key);
    if (m != null) merged = m.copy();
    for (SSTable s : sstables.values()) {
      if (!s.mightContain(key)) {
        bloomFilterSkips++;
        continue;
      }
      Partition p = s.read(key, this);
      sstablesRead++;
      if (p == null) continue;
      merged = merged == null ? p : merged.apply(p, this);
    }
    return merged;
  }

  /** Every partition key held anywhere, in token order (a range scan). */
  public NavigableSet<DecoratedKey> allKeys() {
    TreeSet<DecoratedKey> keys = new TreeSet<>(memtable.partitions().keySet());
    for (SSTable s : sstables.values()) keys.addAll(s.keys());
    return keys;
  }

  /**
   * The partition keys with tokens in {@code (fromExclusive, toInclusive]}, in token order: the memtable's
   * sub-map merged with each SSTable's slice of its index (Cassandra merges one scanner per source). An
   * empty range if {@code fromExclusive >= toInclusive}; a caller splits a range that wraps around the ring.
   */
  public NavigableSet<DecoratedKey> keys(long fromExclusive, long toInclusive) {
    TreeSet<DecoratedKey> keys = new TreeSet<>();
    if (fromExclusive >= toInclusive) return keys;
    for (DecoratedKey k : memtable.partitions().keySet()) {
      if (k.token() > toInclusive) break;
      if (k.token() > fromExclusive) keys.add(k);
    }
    for (SSTable s : sstables.values()) keys.addAll(s.keys(fromExclusive, toInclusive));
    return keys;
  }

  /**
   * This replica's whole table (memtable and SSTables merged, tombstones kept) as one SSTable in Cassandra's
   * own {@code big} format, version {@code nb}: file name to bytes.
   */
  public java.util.Map<String, byte[]> writeBigFormat(int generation, long nowInSec) {
    List<Partition> partitions = new java.util.ArrayList<>();
    for (DecoratedKey key : allKeys()) {
      Partition p = read(key);
      if (p != null) partitions.add(p);
    }
    return sim.cassandra.sstable.BigTableWriter.write(table, partitions, generation, nowInSec);
  }

  public List<SSTable> sstables() {
    return List.copyOf(sstables.values());
  }

  public long bloomFilterSkips() {
    return bloomFilterSkips;
  }

  public long sstablesRead() {
    return sstablesRead;
  }

  public long bytesFlushed() {
    return bytesFlushed;
  }

  public long bytesCompacted() {
    return bytesCompacted;
  }

  // ---- compaction (applying; the choice is the strategy's) ----

  /**
   * Applies a compaction the strategy chose: merges the inputs partition by partition, purges what
   * gc_grace_seconds allows, writes the output SSTables (split at {@code maxOutputBytes}) at the task's
   * level, and deletes the inputs.
   */
  public List<SSTable> compact(CompactionTask task, long nowInSec) {
    List<SSTable> inputs = new ArrayList<>();
    for (int gen : task.generations()) {
      SSTable s = sstables.get(gen);
      if (s != null) inputs.add(s);
    }
    if (inputs.isEmpty()) return List.of();
    // each input's Data.db is scanned once, in order, and the partitions merged by key
    TreeMap<DecoratedKey, Partition> merged = new TreeMap<>();
    for (SSTable s : inputs) {
      for (Partition p : s.scan(this)) merged.merge(p.key(), p, (a, b) -> a.apply(b, this));
    }
    long gcBefore = nowInSec - table.gcGraceSeconds();
    List<SSTable> outputs = new ArrayList<>();
    List<Partition> batch = new ArrayList<>();
    long batchBytes = 0;
    CommitLogPosition upper = CommitLogPosition.NONE;
    for (SSTable s : inputs) upper = CommitLogPosition.max(upper, s.stats().commitLogUpperBound());
    for (Partition p : merged.values()) {
      Partition purged = new Purger(nowInSec, gcBefore, maxPurgeableTimestamp(p.key(), inputs)).purge(p);
      if (purged == null) continue;
      batch.add(purged);
      batchBytes += Memtable.encodedSize(purged);
      if (batchBytes >= task.maxOutputBytes()) {
        outputs.add(writeOutput(batch, upper, task.outputLevel(), nowInSec));
        batch = new ArrayList<>();
        batchBytes = 0;
      }
    }
    if (!batch.isEmpty()) outputs.add(writeOutput(batch, upper, task.outputLevel(), nowInSec));
    // the inputs leave the live set now; their files go once the outputs are durable (deleteFiles)
    for (SSTable s : inputs) sstables.remove(s.descriptor().generation());
    obsolete.addAll(inputs);
    return outputs;
  }

  private final List<SSTable> obsolete = new ArrayList<>();

  /** Deletes the files of SSTables compacted away (after the outputs were made durable). */
  public List<String> deleteObsoleteFiles() {
    List<String> deleted = new ArrayList<>();
    for (SSTable s : obsolete) {
      for (String f : s.files()) {
        if (disk.exists(f)) {
          disk.delete(f);
          deleted.add(f);
        }
      }
    }
    obsolete.clear();
    return deleted;
  }

  private SSTable writeOutput(List<Partition> batch, CommitLogPosition upper, int level, long nowInSec) {
    SSTable s = SSTable.write(disk, new SSTableDescriptor(directory, nextGeneration++), table, batch, CommitLogPosition.NONE, upper, level, nowInSec);
    sstables.put(s.descriptor().generation(), s);
    bytesCompacted += s.stats().dataSizeBytes();
    return s;
  }

  /** The oldest timestamp the key has outside the compaction (other SSTables, the memtable): tombstones at or after it must stay. */
  private long maxPurgeableTimestamp(DecoratedKey k, List<SSTable> inputs) {
    long min = Long.MAX_VALUE;
    for (SSTable s : sstables.values()) {
      if (inputs.contains(s) || !s.mightContain(k)) continue;
      min = Math.min(min, s.stats().minTimestamp());
    }
    Partition m = memtable.get(k);
    if (m != null) min = Math.min(min, minTimestamp(m));
    return min;
  }

  private static long minTimestamp(Partition p) {
    long min = Long.MAX_VALUE;
    if (!p.deletion().isLive()) min = p.deletion().markedForDeleteAt();
    for (var r : p.rows().values()) {
      if (!r.liveness().isEmpty()) min = Math.min(min, r.liveness().timestamp());
      for (var c : r.cells().values()) min = Math.min(min, c.timestamp());
    }
    return min;
  }
}
