package sim.cassandra.sstable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Partition;
import sim.cassandra.db.RangeTombstones;
import sim.cassandra.db.Row;
import sim.cassandra.db.Slice;

/**
 * One partition of Data.db as Cassandra 5.0 writes it in the {@code big} format, version {@code nb}
 * ({@code SortedTablePartitionWriter} + {@code UnfilteredSerializer} + {@code Cell.Serializer}): the key
 * with a short length, the partition deletion (int local deletion time, long timestamp), the static row if
 * the header has static columns, then rows and range tombstone markers in clustering order, then the
 * end-of-partition flag. A row is a flags byte, its clustering, a vint body size and the previous
 * unfiltered's size, then the body: liveness, deletion, a bitmap of the header's columns it lacks, and its
 * cells, every timestamp, deletion time and TTL a delta from the header's {@link EncodingStats}.
 */
public final class UnfilteredSerializer {
  static final int END_OF_PARTITION = 0x01;
  static final int IS_MARKER = 0x02;
  static final int HAS_TIMESTAMP = 0x04;
  static final int HAS_TTL = 0x08;
  static final int HAS_DELETION = 0x10;
  static final int HAS_ALL_COLUMNS = 0x20;
  static final int HAS_COMPLEX_DELETION = 0x40;
  static final int EXTENSION_FLAG = 0x80;
  static final int IS_STATIC = 0x01;

  static final int CELL_IS_DELETED = 0x01;
  static final int CELL_IS_EXPIRING = 0x02;
  static final int CELL_HAS_EMPTY_VALUE = 0x04;
  static final int CELL_USE_ROW_TIMESTAMP = 0x08;
  static final int CELL_USE_ROW_TTL = 0x10;

  private final SerializationHeader header;
  private final MetadataCollector collector;
  private final DataOutputBuffer body = new DataOutputBuffer(256);

  public UnfilteredSerializer(SerializationHeader header, MetadataCollector collector) {
    this.header = header;
    this.collector = collector;
  }

  /** A row or a range tombstone marker, in the order Data.db lists them. */
  private sealed interface Unfiltered permits RowItem, Marker {}

  private record RowItem(Row row) implements Unfiltered {}

  private record Marker(ClusteringPrefix bound, DeletionTime close, DeletionTime open) implements Unfiltered {}

  /** Appends {@code p} to {@code out} (Data.db), updating the collector as Cassandra's writer does. */
  public void writePartition(Partition p, DataOutputBuffer out) {
    int start = out.position();
    out.writeWithShortLength(p.key().key().unsafeArray());
    writeLegacyDeletionTime(p.deletion(), out);
    collector.updatePartitionDeletion(p.deletion());
    if (header.hasStatic()) {
      Row s = p.staticRow() == null ? Row.empty(Clustering.STATIC) : p.staticRow();
      writeRow(s, true, 0, out);
      if (!s.isEmpty()) collector.collectRowStats(s);
    }
    int previousStart = 0;
    for (Unfiltered u : unfiltereds(p)) {
      int pos = out.position() - start;
      if (u instanceof RowItem r) {
        writeRow(r.row(), false, pos - previousStart, out);
        collector.updateClustering(r.row().clustering());
        collector.collectRowStats(r.row());
      } else {
        Marker m = (Marker) u;
        writeMarker(m, pos - previousStart, out);
        if (!m.bound().kind().isBoundary()) collector.updateClusteringBound(m.bound());
        if (m.close() != null) collector.update(m.close());
        if (m.open() != null) collector.update(m.open());
      }
      previousStart = pos;
    }
    out.writeByte(END_OF_PARTITION);
    collector.endPartition(p.key().key().unsafeArray(), out.position() - start);
  }

  /** Cassandra 4's {@code DeletionTime.LegacySerializer}: the local deletion time as an int, then the timestamp. */
  static void writeLegacyDeletionTime(DeletionTime d, DataOutputBuffer out) {
    long ldt = d.localDeletionTime();
    out.writeInt(ldt == Cell.NO_DELETION_TIME ? Integer.MAX_VALUE : (int) Math.min(ldt, Integer.MAX_VALUE - 1L));
    out.writeLong(d.markedForDeleteAt());
  }

  /** Rows and markers interleaved in clustering order; the canonical range tombstones give the markers. */
  private static List<Unfiltered> unfiltereds(Partition p) {
    List<Marker> markers = markers(p);
    List<Unfiltered> out = new ArrayList<>();
    int m = 0;
    for (Row r : p.rows().values()) {
      while (m < markers.size() && RangeTombstones.compare(markers.get(m).bound().position(), r.clustering(), p.order()) < 0) out.add(markers.get(m++));
      out.add(new RowItem(r));
    }
    while (m < markers.size()) out.add(markers.get(m++));
    return out;
  }

  private static List<Marker> markers(Partition p) {
    List<Marker> out = new ArrayList<>();
    RangeTombstones.Position lastEnd = null;
    DeletionTime lastDeletion = null;
    for (Map.Entry<Slice, DeletionTime> e : p.rangeTombstones().entrySet()) {
      RangeTombstones.Position s = RangeTombstones.start(e.getKey());
      RangeTombstones.Position t = RangeTombstones.end(e.getKey());
      if (lastEnd != null && RangeTombstones.compare(lastEnd, s, p.order()) == 0) {
        out.add(new Marker(new ClusteringPrefix(ClusteringPrefix.markerKind(s, true, true), s.prefix()), lastDeletion, e.getValue()));
      } else {
        if (lastEnd != null) out.add(closing(lastEnd, lastDeletion));
        out.add(new Marker(new ClusteringPrefix(ClusteringPrefix.markerKind(s, false, true), s.prefix()), null, e.getValue()));
      }
      lastEnd = t;
      lastDeletion = e.getValue();
    }
    if (lastEnd != null) out.add(closing(lastEnd, lastDeletion));
    return out;
  }

  private static Marker closing(RangeTombstones.Position end, DeletionTime d) {
    return new Marker(new ClusteringPrefix(ClusteringPrefix.markerKind(end, true, false), end.prefix()), d, null);
  }

  private void writeMarker(Marker m, long previousSize, DataOutputBuffer out) {
    out.writeByte(IS_MARKER);
    ClusteringPrefix.writeBound(m.bound(), header, out);
    body.clear();
    body.writeUnsignedVInt(previousSize);
    if (m.close() != null) writeDeletionTime(m.close(), body);
    if (m.open() != null) writeDeletionTime(m.open(), body);
    out.writeUnsignedVInt(body.position());
    out.write(body.array(), 0, body.position());
  }

  private void writeRow(Row row, boolean isStatic, long previousSize, DataOutputBuffer out) {
    List<SerializationHeader.Column> columns = header.columns(isStatic);
    LivenessInfo pk = row.liveness();
    boolean hasComplexDeletion = false;
    for (ComplexColumn c : row.complex().values()) hasComplexDeletion |= !c.deletion().isLive();
    int present = 0;
    for (SerializationHeader.Column c : columns) if (has(row, c)) present++;
    int flags = 0;
    if (!pk.isEmpty()) flags |= HAS_TIMESTAMP;
    if (pk.isExpiring()) flags |= HAS_TTL;
    if (!row.deletion().isLive()) flags |= HAS_DELETION;
    if (hasComplexDeletion) flags |= HAS_COMPLEX_DELETION;
    if (present == columns.size()) flags |= HAS_ALL_COLUMNS;
    if (isStatic) flags |= EXTENSION_FLAG;
    out.writeByte(flags);
    if (isStatic) out.writeByte(IS_STATIC);
    else ClusteringPrefix.writeValues(row.clustering(), header, out);

    body.clear();
    body.writeUnsignedVInt(previousSize);
    int prefix = body.position();
    if ((flags & HAS_TIMESTAMP) != 0) header.writeTimestamp(pk.timestamp(), body);
    if ((flags & HAS_TTL) != 0) {
      header.writeTTL(pk.ttl(), body);
      header.writeLocalDeletionTime(pk.localExpirationTime(), body);
    }
    if ((flags & HAS_DELETION) != 0) writeDeletionTime(row.deletion(), body);
    if ((flags & HAS_ALL_COLUMNS) == 0) writeColumnSubset(row, columns, present, body);
    for (SerializationHeader.Column c : columns) {
      if (!has(row, c)) continue;
      if (c.complex()) writeComplex(row.complex().get(c.name()), c, hasComplexDeletion, pk, body);
      else writeCell(row.cells().get(c.name()), c, pk, body);
    }
    // the size counts the body and the previous-size vint, written before the body
    out.writeUnsignedVInt(body.position());
    out.writeUnsignedVInt(previousSize);
    out.write(body.array(), prefix, body.position() - prefix);
  }

  private static boolean has(Row row, SerializationHeader.Column c) {
    return c.complex() ? row.complex().containsKey(c.name()) : row.cells().containsKey(c.name());
  }

  /**
   * {@code Columns.serializeSubset}: below 64 header columns a bit set of those the row lacks; from 64 on
   * ({@code serializeLargeSubset}) the number missing, then the indexes of the present columns if they are
   * under half, else of the missing ones.
   */
  private static void writeColumnSubset(Row row, List<SerializationHeader.Column> columns, int present, DataOutputBuffer out) {
    int n = columns.size();
    if (n < 64) {
      out.writeUnsignedVInt(missingBitmap(row, columns));
      return;
    }
    out.writeUnsignedVInt32(n - present);
    boolean listPresent = present < n / 2;
    for (int i = 0; i < n; i++) if (has(row, columns.get(i)) == listPresent) out.writeUnsignedVInt32(i);
  }

  private static long missingBitmap(Row row, List<SerializationHeader.Column> columns) {
    long bits = 0;
    for (int i = 0; i < columns.size(); i++) if (!has(row, columns.get(i))) bits |= 1L << i;
    return bits;
  }

  private void writeComplex(ComplexColumn cc, SerializationHeader.Column c, boolean hasComplexDeletion, LivenessInfo pk, DataOutputBuffer out) {
    if (hasComplexDeletion) writeDeletionTime(cc.deletion(), out);
    out.writeUnsignedVInt32(cc.cells().size());
    for (Cell cell : cc.cells().values()) writeCell(cell, c, pk, out);
  }

  private void writeCell(Cell cell, SerializationHeader.Column c, LivenessInfo pk, DataOutputBuffer out) {
    boolean hasValue = cell.value().length() > 0;
    boolean deleted = cell.isTombstone();
    boolean expiring = cell.isExpiring();
    boolean useRowTimestamp = !pk.isEmpty() && cell.timestamp() == pk.timestamp();
    boolean useRowTtl = expiring && pk.isExpiring() && cell.ttl() == pk.ttl() && cell.localDeletionTime() == pk.localExpirationTime();
    int flags = 0;
    if (!hasValue) flags |= CELL_HAS_EMPTY_VALUE;
    if (deleted) flags |= CELL_IS_DELETED;
    else if (expiring) flags |= CELL_IS_EXPIRING;
    if (useRowTimestamp) flags |= CELL_USE_ROW_TIMESTAMP;
    if (useRowTtl) flags |= CELL_USE_ROW_TTL;
    out.writeByte(flags);
    if (!useRowTimestamp) header.writeTimestamp(cell.timestamp(), out);
    if ((deleted || expiring) && !useRowTtl) header.writeLocalDeletionTime(cell.localDeletionTime(), out);
    if (expiring && !useRowTtl) header.writeTTL(cell.ttl(), out);
    if (c.complex()) out.writeWithVIntLength(cell.path().unsafeArray());
    if (hasValue) ClusteringPrefix.writeValue(cell.value(), c.complex() ? -1 : c.fixedLength(), out);
  }

  private void writeDeletionTime(DeletionTime d, DataOutputBuffer out) {
    header.writeTimestamp(d.markedForDeleteAt(), out);
    header.writeLocalDeletionTime(d.localDeletionTime(), out);
  }
}
