package sim.cassandra.sstable;

import java.util.zip.CRC32;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ClusteringComparator;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Row;
import sim.cassandra.storage.CommitLogPosition;

/**
 * What a writer learns about an SSTable while writing it ({@code MetadataCollector}), and Statistics.db
 * made from it ({@code MetadataSerializer}, version {@code nb}): four components — VALIDATION (partitioner,
 * bloom filter chance), COMPACTION (the key-cardinality HyperLogLog), STATS (histograms of partition size
 * and cells per partition, min/max timestamp, deletion time and TTL, the tombstone drop-time histogram,
 * the clustering range, row and column counts) and HEADER ({@link SerializationHeader}) — behind a table of
 * contents, each with its CRC32.
 */
public final class MetadataCollector {
  public static final String PARTITIONER = "org.apache.cassandra.dht.Murmur3Partitioner";
  /** {@code bloom_filter_fp_chance}'s default for every strategy but LCS. */
  public static final double DEFAULT_BLOOM_FILTER_FP_CHANCE = 0.01;
  private static final int CHECKSUM_LENGTH = 4;

  private final ClusteringComparator comparator;
  private final EstimatedHistogram partitionSizes = EstimatedHistogram.partitionSizes();
  private final EstimatedHistogram cellsPerPartition = EstimatedHistogram.cellsPerPartition();
  private final TombstoneHistogram tombstoneDropTimes = new TombstoneHistogram();
  private final HyperLogLogPlus cardinality = new HyperLogLogPlus();
  private final long nowInSec;
  private boolean timestampSet;
  private long minTimestamp;
  private long maxTimestamp;
  private boolean ldtSet;
  private long minLdt;
  private long maxLdt;
  private boolean ttlSet;
  private int minTtl;
  private int maxTtl;
  private long currentPartitionCells;
  private long totalColumnsSet;
  private long totalRows;
  private long totalTombstones;
  private boolean hasPartitionLevelDeletions;
  private Clustering minClustering;
  private Clustering maxClustering;
  private CommitLogPosition commitLogLowerBound = CommitLogPosition.NONE;
  private CommitLogPosition commitLogUpperBound = CommitLogPosition.NONE;
  private int sstableLevel;

  public MetadataCollector(ClusteringComparator comparator, long nowInSec) {
    this.comparator = comparator;
    this.nowInSec = nowInSec;
  }

  void updatePartitionDeletion(DeletionTime d) {
    if (!d.isLive()) hasPartitionLevelDeletions = true;
    update(d);
  }

  void update(DeletionTime d) {
    if (d.isLive()) return;
    updateTimestamp(d.markedForDeleteAt());
    updateLocalDeletionTime(d.localDeletionTime());
    totalTombstones++;
  }

  void update(LivenessInfo info) {
    if (info.isEmpty()) return;
    updateTimestamp(info.timestamp());
    updateTtl(info.ttl());
    updateLocalDeletionTime(info.localExpirationTime());
    if (!info.isLive(nowInSec)) totalTombstones++;
  }

  void update(Cell c) {
    currentPartitionCells++;
    updateTimestamp(c.timestamp());
    updateTtl(c.ttl());
    updateLocalDeletionTime(c.localDeletionTime());
    if (!c.isLive(nowInSec)) totalTombstones++;
  }

  /** {@code Rows.collectStats}: the marker, the deletion, every cell; a column counts once if it has cells. */
  void collectRowStats(Row r) {
    update(r.liveness());
    update(r.deletion());
    long columns = 0;
    for (Cell c : r.cells().values()) {
      update(c);
      columns++;
    }
    for (ComplexColumn cc : r.complex().values()) {
      update(cc.deletion());
      for (Cell c : cc.cells().values()) update(c);
      if (!cc.cells().isEmpty()) columns++;
    }
    totalColumnsSet += columns;
    totalRows++;
  }

  void updateClustering(Clustering c) {
    if (maxClustering == null || comparator.compare(c, maxClustering) > 0) maxClustering = c;
    if (minClustering == null || comparator.compare(c, minClustering) < 0) minClustering = c;
  }

  /** A bound (never a boundary) widens the range only on its own side: a start the minimum, an end the maximum. */
  void updateClusteringBound(ClusteringPrefix b) {
    if (b.kind().isStart() && (minClustering == null || comparator.compare(b.values(), minClustering) < 0)) minClustering = b.values();
    if (b.kind().isEnd() && (maxClustering == null || comparator.compare(b.values(), maxClustering) > 0)) maxClustering = b.values();
  }

  void endPartition(byte[] key, long sizeBytes) {
    partitionSizes.add(sizeBytes);
    cardinality.addKey(key);
    cellsPerPartition.add(currentPartitionCells);
    currentPartitionCells = 0;
  }

  private void updateTimestamp(long t) {
    if (!timestampSet) {
      minTimestamp = maxTimestamp = t;
      timestampSet = true;
    }
    minTimestamp = Math.min(minTimestamp, t);
    maxTimestamp = Math.max(maxTimestamp, t);
  }

  private void updateLocalDeletionTime(long ldt) {
    if (!ldtSet) {
      minLdt = maxLdt = ldt;
      ldtSet = true;
    }
    minLdt = Math.min(minLdt, ldt);
    maxLdt = Math.max(maxLdt, ldt);
    if (ldt != Cell.NO_DELETION_TIME) tombstoneDropTimes.update(ldt);
  }

  private void updateTtl(int ttl) {
    if (!ttlSet) {
      minTtl = maxTtl = ttl;
      ttlSet = true;
    }
    minTtl = Math.min(minTtl, ttl);
    maxTtl = Math.max(maxTtl, ttl);
  }

  /**
   * The commit log span the SSTable holds ({@code commitLogIntervals}): a flush records its memtable's, a
   * compaction the span of its inputs; start-up replays only what lies past the upper bound.
   */
  public MetadataCollector commitLogIntervals(CommitLogPosition lower, CommitLogPosition upper) {
    this.commitLogLowerBound = lower == null ? CommitLogPosition.NONE : lower;
    this.commitLogUpperBound = upper == null ? CommitLogPosition.NONE : upper;
    return this;
  }

  /** {@code sstableLevel}: LeveledCompactionStrategy's level (0 for a flush). */
  public MetadataCollector sstableLevel(int level) {
    this.sstableLevel = level;
    return this;
  }

  public long totalRows() {
    return totalRows;
  }

  // ---- Statistics.db ----

  /** Statistics.db's bytes: the component table, then VALIDATION, COMPACTION, STATS and HEADER. */
  public byte[] statistics(SerializationHeader header, double bloomFilterFpChance) {
    byte[][] components = {validation(bloomFilterFpChance), compaction(), stats(), headerBytes(header)};
    int[] ordinals = {0, 1, 2, 3};
    DataOutputBuffer out = new DataOutputBuffer(512);
    CRC32 crc = new CRC32();
    out.writeInt(components.length);
    updateInt(crc, components.length);
    out.writeInt((int) crc.getValue());
    int position = 4 + 8 * components.length + 2 * CHECKSUM_LENGTH;
    for (int i = 0; i < components.length; i++) {
      out.writeInt(ordinals[i]);
      updateInt(crc, ordinals[i]);
      out.writeInt(position);
      updateInt(crc, position);
      position += components[i].length + CHECKSUM_LENGTH;
    }
    out.writeInt((int) crc.getValue());
    for (byte[] c : components) {
      out.write(c);
      crc.reset();
      crc.update(c);
      out.writeInt((int) crc.getValue());
    }
    return out.toByteArray();
  }

  private static void updateInt(CRC32 crc, int v) {
    crc.update(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private static byte[] validation(double fpChance) {
    DataOutputBuffer out = new DataOutputBuffer(64);
    out.writeUTF(PARTITIONER);
    out.writeDouble(fpChance);
    return out.toByteArray();
  }

  private byte[] compaction() {
    DataOutputBuffer out = new DataOutputBuffer(64);
    out.writeWithLength(cardinality.getBytes());
    return out.toByteArray();
  }

  private static byte[] headerBytes(SerializationHeader h) {
    DataOutputBuffer out = new DataOutputBuffer(128);
    h.serialize(out);
    return out.toByteArray();
  }

  /** STATS as version {@code nb} writes it (legacy min/max clustering values, int deletion times). */
  private byte[] stats() {
    DataOutputBuffer out = new DataOutputBuffer(2048);
    partitionSizes.serialize(out);
    cellsPerPartition.serialize(out);
    writeCommitLogPosition(commitLogUpperBound, out); // commitLogIntervals.upperBound
    out.writeLong(timestampSet ? minTimestamp : Long.MIN_VALUE);
    out.writeLong(timestampSet ? maxTimestamp : Long.MAX_VALUE);
    out.writeInt(legacyDeletionTime(ldtSet ? minLdt : Cell.NO_DELETION_TIME));
    out.writeInt(legacyDeletionTime(ldtSet ? maxLdt : Cell.NO_DELETION_TIME));
    out.writeInt(ttlSet ? minTtl : 0);
    out.writeInt(ttlSet ? maxTtl : 0);
    out.writeDouble(-1.0); // NO_COMPRESSION_RATIO: Data.db is written uncompressed
    tombstoneDropTimes.serialize(out);
    out.writeInt(sstableLevel);
    out.writeLong(0); // repairedAt: UNREPAIRED_SSTABLE
    writeClusteringValues(minClustering, out);
    writeClusteringValues(maxClustering, out);
    out.writeBoolean(false); // hasLegacyCounterShards
    out.writeLong(totalColumnsSet);
    out.writeLong(totalRows);
    writeCommitLogPosition(commitLogLowerBound, out); // commitLogIntervals.lowerBound
    boolean hasInterval = commitLogUpperBound.compareTo(CommitLogPosition.NONE) > 0;
    out.writeInt(hasInterval ? 1 : 0); // commitLogIntervals: one interval, lower to upper (IntervalSet.serializer)
    if (hasInterval) {
      writeCommitLogPosition(commitLogLowerBound, out);
      writeCommitLogPosition(commitLogUpperBound, out);
    }
    out.writeByte(0); // no pendingRepair
    out.writeBoolean(false); // isTransient
    out.writeByte(0); // no originatingHostId
    return out.toByteArray();
  }

  /** {@code CommitLogPosition.serializer}: the segment id, then the position as an int (NONE is -1, 0). */
  private static void writeCommitLogPosition(CommitLogPosition p, DataOutputBuffer out) {
    out.writeLong(p.segmentId());
    out.writeInt((int) p.position());
  }

  private static void writeClusteringValues(Clustering c, DataOutputBuffer out) {
    if (c == null) {
      out.writeInt(0);
      return;
    }
    out.writeInt(c.size());
    for (int i = 0; i < c.size(); i++) out.writeWithShortLength(c.get(i).unsafeArray());
  }

  static int legacyDeletionTime(long ldt) {
    return ldt == Cell.NO_DELETION_TIME ? Integer.MAX_VALUE : (int) Math.min(ldt, Integer.MAX_VALUE - 1L);
  }
}
