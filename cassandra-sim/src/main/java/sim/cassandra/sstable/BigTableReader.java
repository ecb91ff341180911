package sim.cassandra.sstable;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.RangeTombstones;
import sim.cassandra.db.Row;

/**
 * Reads a {@code big}-format SSTable (version {@code nb}, uncompressed) back into partitions: the
 * serialization header from Statistics.db, then Data.db partition by partition, rows and range tombstone
 * markers as {@link UnfilteredSerializer} (and Cassandra) writes them. A marker that opens a range is held
 * until the marker that closes it, and the pair becomes one range tombstone. Anything that does not parse
 * is a {@link CorruptSSTableException} naming the file and the byte.
 */
public final class BigTableReader {
  private static final int HEADER_COMPONENT = 3;

  private final SerializationHeader header;
  private final PartitionCodec.Schema schema;

  private BigTableReader(SerializationHeader header, PartitionCodec.Schema schema) {
    this.header = header;
    this.schema = schema;
  }

  /** The serialization header stored in Statistics.db (its HEADER component). */
  public static SerializationHeader readHeader(byte[] statistics, String file) {
    DataInputBuffer in = new DataInputBuffer(statistics, file);
    in.seek(StatsMetadata.componentOffset(in, HEADER_COMPONENT));
    return SerializationHeader.deserialize(in);
  }

  /** Every partition of Data.db ({@code data}), decoded with the header from Statistics.db and {@code schema}'s orders. */
  public static List<Partition> read(byte[] data, String dataFile, byte[] statistics, String statisticsFile, PartitionCodec.Schema schema) {
    return read(data, dataFile, readHeader(statistics, statisticsFile), schema);
  }

  /** Every partition of Data.db ({@code data}), in order: what a compaction scans. */
  public static List<Partition> read(byte[] data, String dataFile, SerializationHeader header, PartitionCodec.Schema schema) {
    BigTableReader r = new BigTableReader(header, schema);
    DataInputBuffer in = new DataInputBuffer(data, dataFile);
    List<Partition> out = new ArrayList<>();
    while (in.hasRemaining()) out.add(r.readPartition(in));
    return out;
  }

  /**
   * The one partition at the start of {@code data} (the bytes from the position Index.db gives to the next
   * partition's); {@code dataFile} and {@code offset} name the place in errors.
   */
  public static Partition readPartition(byte[] data, String dataFile, SerializationHeader header, PartitionCodec.Schema schema) {
    DataInputBuffer in = new DataInputBuffer(data, dataFile);
    Partition p = new BigTableReader(header, schema).readPartition(in);
    if (in.hasRemaining()) throw in.corrupt("partition " + p.key() + " ends " + in.remaining() + " bytes before the next one starts");
    return p;
  }

  private Partition readPartition(DataInputBuffer in) {
    Bytes key = Bytes.wrap(in.readWithShortLength());
    Partition p = new Partition(DecoratedKey.of(key), schema.clusteringOrder());
    int ldt = in.readInt();
    long ts = in.readLong();
    DeletionTime d = new DeletionTime(ts, ldt == Integer.MAX_VALUE ? Cell.NO_DELETION_TIME : ldt);
    if (!d.isLive()) p.deletePartition(d);
    if (header.hasStatic()) {
      int flags = in.readUnsignedByte();
      if ((flags & UnfilteredSerializer.EXTENSION_FLAG) == 0) throw in.corrupt("static row expected");
      int ext = in.readUnsignedByte();
      if ((ext & UnfilteredSerializer.IS_STATIC) == 0) throw in.corrupt("static row expected");
      Row s = readRowBody(Clustering.STATIC, flags, true, in);
      if (!s.isEmpty()) p.addRow(s);
    }
    RangeTombstones.Position openAt = null;
    DeletionTime open = null;
    while (true) {
      int flags = in.readUnsignedByte();
      if ((flags & UnfilteredSerializer.END_OF_PARTITION) != 0) break;
      if ((flags & UnfilteredSerializer.IS_MARKER) != 0) {
        ClusteringPrefix bound = ClusteringPrefix.readBoundValues(ClusteringPrefix.Kind.of(in.readByte(), in), header, in);
        in.readUnsignedVInt(); // body size
        in.readUnsignedVInt(); // previous unfiltered's size
        ClusteringPrefix.Kind kind = bound.kind();
        if (kind.isEnd()) {
          DeletionTime close = readDeletionTime(in);
          if (openAt == null || !close.equals(open)) throw in.corrupt("range tombstone marker " + bound + " closes no open range");
          p.addRangeTombstone(RangeTombstones.slice(openAt, bound.position()), close);
          openAt = null;
        }
        if (kind.isStart()) {
          if (openAt != null) throw in.corrupt("range tombstone marker " + bound + " opens inside an open range");
          open = readDeletionTime(in);
          openAt = bound.position();
        }
        continue;
      }
      if ((flags & UnfilteredSerializer.EXTENSION_FLAG) != 0 && (in.readUnsignedByte() & UnfilteredSerializer.IS_STATIC) != 0) {
        throw in.corrupt("static row after the first row");
      }
      Clustering c = new Clustering(ClusteringPrefix.readValues(header.clusteringTypes().size(), header, in));
      p.addRow(readRowBody(c, flags, false, in));
    }
    if (openAt != null) throw in.corrupt("range tombstone opened at " + openAt + " never closes");
    return p;
  }

  private Row readRowBody(Clustering c, int flags, boolean isStatic, DataInputBuffer in) {
    long size = in.readUnsignedVInt();
    int end = in.position() + (int) size;
    in.readUnsignedVInt(); // previous unfiltered's size
    LivenessInfo pk = LivenessInfo.EMPTY;
    if ((flags & UnfilteredSerializer.HAS_TIMESTAMP) != 0) {
      long ts = header.readTimestamp(in);
      pk = new LivenessInfo(ts, 0, LivenessInfo.NO_EXPIRATION_TIME);
      if ((flags & UnfilteredSerializer.HAS_TTL) != 0) {
        int ttl = header.readTTL(in);
        pk = new LivenessInfo(ts, ttl, header.readLocalDeletionTime(in));
      }
    }
    DeletionTime deletion = (flags & UnfilteredSerializer.HAS_DELETION) != 0 ? readDeletionTime(in) : DeletionTime.LIVE;
    List<SerializationHeader.Column> columns = header.columns(isStatic);
    boolean[] absent = (flags & UnfilteredSerializer.HAS_ALL_COLUMNS) != 0 ? new boolean[columns.size()] : readColumnSubset(columns.size(), in);
    TreeMap<String, Cell> cells = new TreeMap<>();
    TreeMap<String, ComplexColumn> complex = new TreeMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (absent[i]) continue;
      SerializationHeader.Column col = columns.get(i);
      if (!col.complex()) {
        cells.put(col.name(), readCell(col, pk, in));
        continue;
      }
      DeletionTime cd = (flags & UnfilteredSerializer.HAS_COMPLEX_DELETION) != 0 ? readDeletionTime(in) : DeletionTime.LIVE;
      ComplexColumn cc = ComplexColumn.of(cd, schema.pathOrder(col.name()));
      int n = in.readUnsignedVInt32();
      for (int k = 0; k < n; k++) {
        Cell cell = readCell(col, pk, in);
        cc.cells().put(cell.path(), cell);
      }
      complex.put(col.name(), cc);
    }
    if (in.position() != end) throw in.corrupt("row body ends at " + in.position() + ", its size says " + end);
    return new Row(c, pk, deletion, cells, complex);
  }

  /** {@code Columns.deserializeSubset}: which of the header's {@code n} columns the row lacks. */
  private static boolean[] readColumnSubset(int n, DataInputBuffer in) {
    boolean[] absent = new boolean[n];
    if (n < 64) {
      long missing = in.readUnsignedVInt();
      if ((missing >>> n) != 0) throw in.corrupt("column bitmap " + Long.toBinaryString(missing) + " names more than " + n + " columns");
      for (int i = 0; i < n; i++) absent[i] = (missing & (1L << i)) != 0;
      return absent;
    }
    int missingCount = in.readUnsignedVInt32();
    if (missingCount > n) throw in.corrupt(missingCount + " of " + n + " columns missing");
    int present = n - missingCount;
    boolean listPresent = present < n / 2;
    java.util.Arrays.fill(absent, listPresent);
    int listed = listPresent ? present : missingCount;
    for (int k = 0; k < listed; k++) {
      int i = in.readUnsignedVInt32();
      if (i >= n) throw in.corrupt("column index " + i + " of " + n);
      absent[i] = !listPresent;
    }
    return absent;
  }

  private Cell readCell(SerializationHeader.Column col, LivenessInfo pk, DataInputBuffer in) {
    int flags = in.readUnsignedByte();
    boolean deleted = (flags & UnfilteredSerializer.CELL_IS_DELETED) != 0;
    boolean expiring = (flags & UnfilteredSerializer.CELL_IS_EXPIRING) != 0;
    boolean useRowTtl = (flags & UnfilteredSerializer.CELL_USE_ROW_TTL) != 0;
    long ts = (flags & UnfilteredSerializer.CELL_USE_ROW_TIMESTAMP) != 0 ? pk.timestamp() : header.readTimestamp(in);
    long ldt = Cell.NO_DELETION_TIME;
    int ttl = 0;
    if (useRowTtl) {
      ldt = pk.localExpirationTime();
      ttl = pk.ttl();
    } else {
      if (deleted || expiring) ldt = header.readLocalDeletionTime(in);
      if (expiring) ttl = header.readTTL(in);
    }
    Bytes path = col.complex() ? Bytes.wrap(in.readWithVIntLength()) : null;
    Bytes value = (flags & UnfilteredSerializer.CELL_HAS_EMPTY_VALUE) != 0 ? Bytes.EMPTY
        : ClusteringPrefix.readValue(col.complex() ? -1 : col.fixedLength(), in);
    return new Cell(value, ts, ttl, ldt, path, col.counter() && !deleted);
  }

  private DeletionTime readDeletionTime(DataInputBuffer in) {
    long ts = header.readTimestamp(in);
    return new DeletionTime(ts, header.readLocalDeletionTime(in));
  }
}
