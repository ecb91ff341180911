package sim.cassandra.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.Row;
import sim.core.disk.SimDisk;

/**
 * An immutable sorted string table: written once (by a flush or a compaction), never modified, deleted
 * when compacted away. The read path asks the bloom filter first, then the partition index (key → offset
 * in Data.db; the whole index is held in memory, which Cassandra does only for the sampled Summary), then
 * reads just that partition.
 */
public final class SSTable {
  /** Cassandra samples one index entry in {@code min_index_interval} (128) into the Summary. */
  public static final int MIN_INDEX_INTERVAL = 128;

  private final SSTableDescriptor descriptor;
  private final SSTableStats stats;
  private final BloomFilter filter;
  private final TreeMap<DecoratedKey, long[]> index;
  private final SimDisk disk;

  private SSTable(SSTableDescriptor descriptor, SSTableStats stats, BloomFilter filter, TreeMap<DecoratedKey, long[]> index, SimDisk disk) {
    this.descriptor = descriptor;
    this.stats = stats;
    this.filter = filter;
    this.index = index;
    this.disk = disk;
  }

  public SSTableDescriptor descriptor() {
    return descriptor;
  }

  public SSTableStats stats() {
    return stats;
  }

  public List<String> files() {
    List<String> out = new ArrayList<>();
    for (SSTableDescriptor.Component c : SSTableDescriptor.Component.values()) out.add(descriptor.file(c));
    return out;
  }

  public long onDiskBytes() {
    long n = 0;
    for (String f : files()) if (disk.exists(f)) n += disk.size(f);
    return n;
  }

  public boolean mightContain(DecoratedKey key) {
    return filter.mightContain(key.key());
  }

  public boolean contains(DecoratedKey key) {
    return index.containsKey(key);
  }

  public Collection<DecoratedKey> keys() {
    return index.keySet();
  }

  /** Reads one partition (null if absent): Data.db at the offset the index gives. */
  public Partition read(DecoratedKey key, PartitionCodec.Schema schema) {
    long[] at = index.get(key);
    if (at == null) return null;
    byte[] data = disk.read(descriptor.file(SSTableDescriptor.Component.DATA), at[0], (int) at[1]);
    return PartitionCodec.decode(data, schema);
  }

  // ---- writing ----

  /**
   * Writes partitions (already in token order) as a new SSTable: Data, Index, Summary, Filter,
   * Statistics, Digest, then TOC last, so a crash mid-write leaves no TOC and the files are ignored (and
   * removed) at start-up, like Cassandra's transaction log does for an unfinished flush.
   */
  public static SSTable write(SimDisk disk, SSTableDescriptor d, Collection<Partition> partitions, double fpChance,
      CommitLogPosition commitLogUpperBound, int level, long nowInSec) {
    ByteArrayOutputStream data = new ByteArrayOutputStream(64 * 1024);
    DataOutputStream dataOut = new DataOutputStream(data);
    TreeMap<DecoratedKey, long[]> index = new TreeMap<>();
    BloomFilter filter = BloomFilter.create(partitions.size(), fpChance);
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    long rows = 0;
    long tombstones = 0;
    long maxLdt = Long.MIN_VALUE;
    for (Partition p : partitions) {
      int start = data.size();
      try {
        PartitionCodec.write(dataOut, p);
        dataOut.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      index.put(p.key(), new long[] {start, data.size() - start});
      filter.add(p.key().key());
      long[] ts = timestamps(p);
      minTs = Math.min(minTs, ts[0]);
      maxTs = Math.max(maxTs, ts[1]);
      maxLdt = Math.max(maxLdt, ts[2]);
      tombstones += ts[3];
      rows += p.rows().size();
    }
    byte[] dataBytes = data.toByteArray();
    long minToken = index.isEmpty() ? 0 : index.firstKey().token();
    long maxToken = index.isEmpty() ? 0 : index.lastKey().token();
    SSTableStats stats = new SSTableStats(minTs, maxTs, minToken, maxToken, partitions.size(), rows, tombstones, maxLdt,
        dataBytes.length, commitLogUpperBound, level, nowInSec);
    disk.write(d.file(SSTableDescriptor.Component.DATA), 0, dataBytes);
    disk.write(d.file(SSTableDescriptor.Component.PRIMARY_INDEX), 0, encodeIndex(index, 1));
    disk.write(d.file(SSTableDescriptor.Component.SUMMARY), 0, encodeIndex(index, MIN_INDEX_INTERVAL));
    disk.write(d.file(SSTableDescriptor.Component.FILTER), 0, filter.serialize());
    disk.write(d.file(SSTableDescriptor.Component.STATS), 0, encodeStats(stats));
    CRC32 crc = new CRC32();
    crc.update(dataBytes);
    disk.write(d.file(SSTableDescriptor.Component.DIGEST), 0, Long.toString(crc.getValue()).getBytes(StandardCharsets.US_ASCII));
    StringBuilder toc = new StringBuilder();
    for (SSTableDescriptor.Component c : SSTableDescriptor.Component.values()) toc.append(c.fileName).append('\n');
    disk.write(d.file(SSTableDescriptor.Component.TOC), 0, toc.toString().getBytes(StandardCharsets.US_ASCII));
    return new SSTable(d, stats, filter, index, disk);
  }

  /** min timestamp, max timestamp, max local deletion time, tombstone count. */
  private static long[] timestamps(Partition p) {
    long[] r = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 0};
    if (!p.deletion().isLive()) note(r, p.deletion().markedForDeleteAt(), p.deletion().localDeletionTime(), true);
    for (DeletionTime d : p.rangeTombstones().values()) note(r, d.markedForDeleteAt(), d.localDeletionTime(), true);
    List<Row> all = new ArrayList<>(p.rows().values());
    if (p.staticRow() != null) all.add(p.staticRow());
    for (Row row : all) {
      if (!row.liveness().isEmpty()) note(r, row.liveness().timestamp(), row.liveness().isExpiring() ? row.liveness().localExpirationTime() : Long.MIN_VALUE, false);
      if (!row.deletion().isLive()) note(r, row.deletion().markedForDeleteAt(), row.deletion().localDeletionTime(), true);
      for (Cell c : row.cells().values()) noteCell(r, c);
      for (ComplexColumn cc : row.complex().values()) {
        if (!cc.deletion().isLive()) note(r, cc.deletion().markedForDeleteAt(), cc.deletion().localDeletionTime(), true);
        for (Cell c : cc.cells().values()) noteCell(r, c);
      }
    }
    if (r[0] == Long.MAX_VALUE) r[0] = r[1] = 0;
    return r;
  }

  private static void noteCell(long[] r, Cell c) {
    note(r, c.timestamp(), c.localDeletionTime() == Cell.NO_DELETION_TIME ? Long.MIN_VALUE : c.localDeletionTime(), c.isTombstone());
  }

  private static void note(long[] r, long ts, long ldt, boolean tombstone) {
    r[0] = Math.min(r[0], ts);
    r[1] = Math.max(r[1], ts);
    r[2] = Math.max(r[2], ldt);
    if (tombstone) r[3]++;
  }

  // ---- opening ----

  /** Opens an SSTable whose TOC lists every component and whose components read back; null otherwise. */
  public static SSTable openIfComplete(SimDisk disk, SSTableDescriptor d) {
    String toc = new String(disk.readAll(d.file(SSTableDescriptor.Component.TOC)), StandardCharsets.US_ASCII);
    for (SSTableDescriptor.Component c : SSTableDescriptor.Component.values()) {
      if (!toc.contains(c.fileName) || !disk.exists(d.file(c))) return null;
    }
    try {
      SSTable s = open(disk, d);
      return disk.size(d.file(SSTableDescriptor.Component.DATA)) == s.stats.dataSizeBytes() ? s : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Opens an SSTable from its components (after a restart). */
  public static SSTable open(SimDisk disk, SSTableDescriptor d) {
    SSTableStats stats = decodeStats(disk.readAll(d.file(SSTableDescriptor.Component.STATS)));
    BloomFilter filter = BloomFilter.deserialize(disk.readAll(d.file(SSTableDescriptor.Component.FILTER)));
    TreeMap<DecoratedKey, long[]> index = decodeIndex(disk.readAll(d.file(SSTableDescriptor.Component.PRIMARY_INDEX)));
    return new SSTable(d, stats, filter, index, disk);
  }

  public SSTable withLevel(int level) {
    SSTableStats s = stats.withLevel(level);
    disk.write(descriptor.file(SSTableDescriptor.Component.STATS), 0, encodeStats(s));
    return new SSTable(descriptor, s, filter, index, disk);
  }

  private static byte[] encodeIndex(TreeMap<DecoratedKey, long[]> index, int every) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    try {
      int i = 0;
      for (Map.Entry<DecoratedKey, long[]> e : index.entrySet()) {
        if (i++ % every != 0) continue;
        Bytes k = e.getKey().key();
        out.writeShort(k.length());
        out.write(k.unsafeArray());
        out.writeLong(e.getKey().token());
        out.writeLong(e.getValue()[0]);
        out.writeLong(e.getValue()[1]);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static TreeMap<DecoratedKey, long[]> decodeIndex(byte[] data) {
    TreeMap<DecoratedKey, long[]> index = new TreeMap<>();
    ByteBuffer b = ByteBuffer.wrap(data);
    while (b.remaining() > 0) {
      byte[] k = new byte[b.getShort() & 0xffff];
      b.get(k);
      long token = b.getLong();
      index.put(new DecoratedKey(token, Bytes.wrap(k)), new long[] {b.getLong(), b.getLong()});
    }
    return index;
  }

  private static byte[] encodeStats(SSTableStats s) {
    ByteBuffer b = ByteBuffer.allocate(8 * 12 + 8);
    b.putLong(s.minTimestamp()).putLong(s.maxTimestamp()).putLong(s.minToken()).putLong(s.maxToken()).putInt(s.partitions())
        .putLong(s.rows()).putLong(s.tombstones()).putLong(s.maxLocalDeletionTime()).putLong(s.dataSizeBytes())
        .putLong(s.commitLogUpperBound().segmentId()).putLong(s.commitLogUpperBound().position()).putInt(s.level()).putLong(s.createdAtSec());
    return b.array();
  }

  private static SSTableStats decodeStats(byte[] data) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
      return new SSTableStats(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readInt(), in.readLong(),
          in.readLong(), in.readLong(), in.readLong(), new CommitLogPosition(in.readLong(), in.readLong()), in.readInt(), in.readLong());
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt Statistics.db", e);
    }
  }

  @Override
  public String toString() {
    return descriptor + " (" + stats.partitions() + " partitions, " + stats.dataSizeBytes() + "B, L" + stats.level() + ")";
  }
}
