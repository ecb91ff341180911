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
    int count = in.readInt();
    if (count < 0 || count > 16) throw in.corrupt("bad component count " + count);
    in.readInt(); // checksum of the count
    int offset = -1;
    for (int i = 0; i < count; i++) {
      int type = in.readInt();
      int position = in.readInt();
      if (type == HEADER_COMPONENT) offset = position;
    }
    if (offset < 0) throw in.corrupt("no HEADER component");
    in.seek(offset);
    return SerializationHeader.deserialize(in);
  }

  /** Every partition of Data.db ({@code data}), decoded with the header from Statistics.db and {@code schema}'s orders. */
  public static List<Partition> read(byte[] data, String dataFile, byte[] statistics, String statisticsFile, PartitionCodec.Schema schema) {
    BigTableReader r = new BigTableReader(readHeader(statistics, statisticsFile), schema);
    DataInputBuffer in = new DataInputBuffer(data, dataFile);
    List<Partition> out = new ArrayList<>();
    while (in.hasRemaining()) out.add(r.readPartition(in));
    return out;
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
    long missing = (flags & UnfilteredSerializer.HAS_ALL_COLUMNS) != 0 ? 0 : in.readUnsignedVInt();
    if (columns.size() < 64 && (missing >>> columns.size()) != 0) throw in.corrupt("column bitmap " + Long.toBinaryString(missing) + " names more than " + columns.size() + " columns");
    TreeMap<String, Cell> cells = new TreeMap<>();
    TreeMap<String, ComplexColumn> complex = new TreeMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if ((missing & (1L << i)) != 0) continue;
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
    return new Cell(value, ts, ttl, ldt, path, false);
  }

  private DeletionTime readDeletionTime(DataInputBuffer in) {
    long ts = header.readTimestamp(in);
    return new DeletionTime(ts, header.readLocalDeletionTime(in));
  }
}
