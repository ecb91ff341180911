package sim.cassandra.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.storage.CommitLogPosition;
import sim.cassandra.storage.SSTable;
import sim.cassandra.storage.TableStore;
import sim.core.SimRandom;
import sim.core.disk.SimDisk;

/**
 * Measures write, read and space amplification of a compaction strategy on one table and one workload:
 * seeded upserts (and some deletes) over a key space, a flush every {@code flushEvery} writes, the
 * strategy's tasks applied after each flush until it has nothing more to do, and point reads sampled along
 * the way. The same seed gives every strategy the same writes.
 */
public final class Amplification {
  /** Write amp: SSTable bytes written / bytes flushed. Read amp: SSTables read per point read. Space amp: live bytes / bytes after a major compaction. */
  public record Result(String strategy, long writes, long flushedBytes, long compactedBytes, double writeAmplification,
      double readAmplification, double spaceAmplification, int sstablesAtEnd, long compactions) {
    public String row() {
      return String.format(Locale.ROOT, "| %-28s | %5.2f | %5.2f | %5.2f | %3d | %4d |", strategy, writeAmplification, readAmplification,
          spaceAmplification, sstablesAtEnd, compactions);
    }
  }

  private Amplification() {}

  static TableMetadata table() {
    return new TableMetadata("ks", "amp", List.of(
        new ColumnMetadata("k", NativeType.TEXT, ColumnMetadata.Kind.PARTITION_KEY, 0, false),
        new ColumnMetadata("v", NativeType.TEXT, ColumnMetadata.Kind.REGULAR, 0, false)), 0, 0, "SizeTieredCompactionStrategy");
  }

  public static Result measure(CompactionStrategy strategy, long seed, int writes, int keys, int flushEvery, int valueBytes) {
    TableMetadata t = table();
    SimDisk disk = SimDisk.standalone("amp", seed);
    TableStore store = new TableStore(t, disk, 0.01);
    SimRandom random = SimRandom.of(seed, "amplification");
    long compactions = 0;
    long reads = 0;
    long sstablesReadBefore;
    long readSSTables = 0;
    String filler = "x".repeat(valueBytes);
    for (int i = 1; i <= writes; i++) {
      String key = "key" + random.nextInt(keys);
      Partition p = new Partition(DecoratedKey.of(Bytes.utf8(key)), t.clusteringComparator());
      if (random.chance(0.05)) {
        p.deletePartition(new DeletionTime(i, i / 1000));
      } else {
        java.util.TreeMap<String, Cell> cells = new java.util.TreeMap<>();
        cells.put("v", Cell.live(Bytes.utf8(filler + i), i, null));
        p.addRow(new Row(Clustering.EMPTY, LivenessInfo.of(i, 0, 0), DeletionTime.LIVE, cells, new java.util.TreeMap<>()));
      }
      store.apply(p, new CommitLogPosition(0, i));
      if (i % flushEvery == 0) {
        store.flush(i / 1000);
        for (int guard = 0; guard < 100; guard++) {
          var task = strategy.next(store.sstables(), i / 1000);
          if (task.isEmpty()) break;
          store.compact(task.get(), i / 1000);
          store.deleteObsoleteFiles();
          compactions++;
        }
      }
      if (i % 50 == 0) {
        sstablesReadBefore = store.sstablesRead();
        store.read(DecoratedKey.of(Bytes.utf8("key" + random.nextInt(keys))));
        readSSTables += store.sstablesRead() - sstablesReadBefore;
        reads++;
      }
    }
    long live = 0;
    for (SSTable s : store.sstables()) live += s.stats().dataSizeBytes();
    int atEnd = store.sstables().size();
    long flushed = store.bytesFlushed();
    long compacted = store.bytesCompacted();
    List<Integer> all = new ArrayList<>();
    for (SSTable s : store.sstables()) all.add(s.descriptor().generation());
    store.compact(new CompactionTask("major", all, 0, Long.MAX_VALUE, "measure space"), writes / 1000);
    long minimal = 0;
    for (SSTable s : store.sstables()) minimal += s.stats().dataSizeBytes();
    return new Result(strategy.name(), writes, flushed, compacted, (double) (flushed + compacted) / flushed,
        reads == 0 ? 0 : (double) readSSTables / reads, minimal == 0 ? 1 : (double) live / minimal, atEnd, compactions);
  }

  /** The four strategies with sizes scaled to a small workload (the real defaults are in MiB). */
  public static List<CompactionStrategy> scaledStrategies(long unitBytes) {
    return List.of(
        new SizeTieredCompactionStrategy(4, 32, 0.5, 1.5, unitBytes),
        new LeveledCompactionStrategy(4 * unitBytes, 10, 4),
        new TimeWindowCompactionStrategy(1_000L, new SizeTieredCompactionStrategy(4, 32, 0.5, 1.5, unitBytes)),
        new UnifiedCompactionStrategy(4, 4, unitBytes));
  }

  public static String table(long seed, int writes, int keys, int flushEvery, int valueBytes, long unitBytes) {
    StringBuilder b = new StringBuilder("| strategy | write amp | read amp (SSTables per read) | space amp | SSTables at end | compactions |\n|---|---|---|---|---|---|\n");
    for (CompactionStrategy s : scaledStrategies(unitBytes)) b.append(measure(s, seed, writes, keys, flushEvery, valueBytes).row()).append('\n');
    return b.toString();
  }
}
