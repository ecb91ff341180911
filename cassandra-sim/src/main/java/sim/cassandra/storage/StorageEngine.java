package sim.cassandra.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import sim.cassandra.db.Cell;
import sim.cassandra.db.CounterContext;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.Schema;
import sim.cassandra.schema.TableMetadata;
import sim.core.disk.SimDisk;

/**
 * Everything one replica stores: its copy of the schema ({@code system_schema/schema.log}, the DDL
 * statements in order), a {@link TableStore} per table and the shared commit log. The write path is
 * {@link #write}: append to the commit log, then apply to the memtable. Start-up ({@link #recover})
 * reloads the schema, opens the SSTables and replays the commit log past what they already hold.
 */
public final class StorageEngine {
  public static final String SCHEMA_FILE = "system_schema/schema.log";

  private final SimDisk disk;
  private final StorageConfig config;
  private final Schema schema = new Schema();
  private final TreeMap<String, TableStore> stores = new TreeMap<>();
  private CommitLog commitLog;
  private final List<String> schemaLog = new ArrayList<>();

  public StorageEngine(SimDisk disk, StorageConfig config) {
    this.disk = disk;
    this.config = config;
  }

  public Schema schema() {
    return schema;
  }

  public StorageConfig config() {
    return config;
  }

  public CommitLog commitLog() {
    return commitLog;
  }

  public SimDisk disk() {
    return disk;
  }

  /** What recovery did, for the trace. */
  public record Recovery(int schemaStatements, int sstables, int replayed, List<String> problems, List<String> removed) {}

  /**
   * Rebuilds the replica from disk. {@code applyDdl} re-runs each stored schema statement against the
   * schema (the CQL layer does the parsing).
   */
  public Recovery recover(BiConsumer<Schema, String[]> applyDdl) {
    int statements = 0;
    if (disk.exists(SCHEMA_FILE)) {
      String text = new String(disk.readAll(SCHEMA_FILE), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.isEmpty()) continue;
        int tab = line.indexOf('\t');
        if (tab < 0) continue;
        applyDdl.accept(schema, new String[] {line.substring(0, tab), line.substring(tab + 1)});
        schemaLog.add(line);
        statements++;
      }
    }
    List<String> removed = new ArrayList<>();
    int sstables = 0;
    for (TableMetadata t : schema.tables()) {
      TableStore s = store(t);
      removed.addAll(s.open());
      sstables += s.sstables().size();
    }
    CommitLogPosition from = null;
    for (TableStore s : stores.values()) from = from == null ? s.flushedUpTo() : min(from, s.flushedUpTo());
    if (from == null) from = CommitLogPosition.NONE;
    CommitLog.Replayed r = CommitLog.replay(disk, from, q -> {
      TableMetadata t = schema.table(q);
      return t == null ? null : store(t);
    });
    commitLog = new CommitLog(disk, config.commitlogSegmentSizeBytes(), r.lastSegmentId() + 1);
    int replayed = 0;
    for (int i = 0; i < r.mutations().size(); i++) {
      Mutation m = r.mutations().get(i);
      TableStore s = store(schema.table(m.qualifiedTable()));
      if (r.positions().get(i).compareTo(s.flushedUpTo()) <= 0) continue;
      // replayed data goes into a fresh commit log (Cassandra flushes after replay to the same effect)
      s.apply(m.update(), commitLog.add(m));
      replayed++;
    }
    return new Recovery(statements, sstables, replayed, r.problems(), removed);
  }

  private static CommitLogPosition min(CommitLogPosition a, CommitLogPosition b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Records a schema statement (the node makes the file durable before it answers). */
  public void persistSchema(String keyspace, String ddl) {
    String line = (keyspace == null ? "" : keyspace) + "\t" + ddl;
    if (schemaLog.contains(line)) return;
    schemaLog.add(line);
    disk.append(SCHEMA_FILE, (line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The schema statements this replica applied, in order ("keyspace TAB ddl"): what a lagging peer pulls. */
  public List<String> schemaLog() {
    return List.copyOf(schemaLog);
  }

  public TableStore store(TableMetadata t) {
    return stores.computeIfAbsent(t.qualifiedName(), n -> new TableStore(t, disk, config.bloomFilterFpChance()));
  }

  public TableStore store(String qualified) {
    TableMetadata t = schema.table(qualified);
    return t == null ? null : store(t);
  }

  public Map<String, TableStore> stores() {
    return stores;
  }

  /** The write path on a replica: commit log append (page cache), then the memtable. */
  public CommitLogPosition write(Mutation m) {
    TableStore s = store(m.qualifiedTable());
    if (s == null) throw new IllegalStateException("unknown table " + m.qualifiedTable());
    CommitLogPosition pos = commitLog.add(m);
    s.apply(m.update(), pos);
    return pos;
  }

  /**
   * The counter leader's step ({@code CounterMutation.apply}): every delta cell becomes this replica's
   * shard with its clock advanced and the delta added to its count, read from what it holds.
   */
  public Mutation leaderCounterMutation(Mutation delta, long counterId) {
    TableStore s = store(delta.qualifiedTable());
    Partition current = s.read(delta.key());
    Partition out = new Partition(delta.key(), delta.update().order());
    for (Row r : delta.update().rows().values()) {
      Row existing = current == null ? null : current.rows().get(r.clustering());
      TreeMap<String, Cell> cells = new TreeMap<>();
      for (Map.Entry<String, Cell> e : r.cells().entrySet()) {
        long clock = 0;
        long count = 0;
        Cell old = existing == null ? null : existing.cells().get(e.getKey());
        if (old != null && !old.isTombstone()) {
          CounterContext.Shard mine = CounterContext.decode(old.value()).get(counterId);
          if (mine != null) {
            clock = mine.clock();
            count = mine.count();
          }
        }
        long add = CounterContext.total(e.getValue().value());
        cells.put(e.getKey(), Cell.counter(CounterContext.of(counterId, clock + 1, count + add), e.getValue().timestamp()));
      }
      out.addRow(new Row(r.clustering(), r.liveness(), r.deletion(), cells, new TreeMap<>()));
    }
    return new Mutation(delta.keyspace(), delta.table(), out);
  }

  public Partition read(TableMetadata t, DecoratedKey key) {
    return store(t).read(key);
  }

  /** Partitions with tokens in {@code (from, to]}, in token order. */
  public List<Partition> readRange(TableMetadata t, long fromExclusive, long toInclusive) {
    TableStore s = store(t);
    List<Partition> out = new ArrayList<>();
    for (DecoratedKey k : s.keys(fromExclusive, toInclusive)) {
      Partition p = s.read(k);
      if (p != null) out.add(p);
    }
    return out;
  }

  /** Flushes every memtable past the threshold (or all, if {@code force}); returns the new SSTables. */
  public List<SSTable> flush(boolean force, long nowInSec) {
    List<SSTable> out = new ArrayList<>();
    for (TableStore s : stores.values()) {
      if (!force && s.memtable().liveDataSizeBytes() < config.memtableFlushThresholdBytes()) continue;
      SSTable t = s.flush(nowInSec);
      if (t != null) out.add(t);
    }
    return out;
  }

  /** Deletes commit log segments no memtable still needs; returns their names. */
  public List<String> discardFlushedSegments() {
    CommitLogPosition oldest = null;
    for (TableStore s : stores.values()) {
      CommitLogPosition lb = s.memtable().commitLogLowerBound();
      if (lb != null && (oldest == null || lb.compareTo(oldest) < 0)) oldest = lb;
    }
    return commitLog.discardCompletedSegments(oldest);
  }
}
