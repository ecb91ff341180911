package sim.cassandra.db;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.sstable.DataOutputBuffer;

/**
 * The binary form of a partition, shared by commit log entries and the simulator's SSTable data files:
 * key, partition deletion, range tombstones, static row, rows, each field length-prefixed. (Cassandra's
 * own unfiltered serialization is denser, with varints and per-SSTable encoding stats; this keeps the same
 * information.)
 */
public final class PartitionCodec {
  private static final int FLAG_STATIC = 1;

  private PartitionCodec() {}

  /** Supplies what decoding needs from the schema: clustering order and a collection column's path order. */
  public interface Schema {
    ClusteringComparator clusteringOrder();

    Comparator<Bytes> pathOrder(String column);
  }

  public static byte[] encode(Partition p) {
    try {
      DataOutputBuffer out = new DataOutputBuffer(128);
      write(out, p);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(DataOutput out, Partition p) throws IOException {
    bytes(out, p.key().key());
    out.writeLong(p.key().token());
    deletion(out, p.deletion());
    out.writeInt(p.rangeTombstones().size());
    for (Map.Entry<Slice, DeletionTime> e : p.rangeTombstones().entrySet()) {
      clustering(out, e.getKey().start());
      out.writeBoolean(e.getKey().startInclusive());
      clustering(out, e.getKey().end());
      out.writeBoolean(e.getKey().endInclusive());
      deletion(out, e.getValue());
    }
    out.writeByte(p.staticRow() == null ? 0 : FLAG_STATIC);
    if (p.staticRow() != null) row(out, p.staticRow());
    out.writeInt(p.rows().size());
    for (Row r : p.rows().values()) {
      clustering(out, r.clustering());
      row(out, r);
    }
  }

  public static Partition decode(byte[] data, Schema schema) {
    try {
      return read(new DataInputStream(new java.io.ByteArrayInputStream(data)), schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Partition read(DataInputStream in, Schema schema) throws IOException {
    Bytes key = bytes(in);
    long token = in.readLong();
    Partition p = new Partition(new DecoratedKey(token, key), schema.clusteringOrder());
    p.deletePartition(deletion(in));
    int rts = in.readInt();
    for (int i = 0; i < rts; i++) {
      Clustering s = clustering(in);
      boolean si = in.readBoolean();
      Clustering e = clustering(in);
      boolean ei = in.readBoolean();
      p.addRangeTombstone(new Slice(s, si, e, ei), deletion(in));
    }
    if ((in.readByte() & FLAG_STATIC) != 0) p.addRow(row(in, Clustering.STATIC, schema));
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      Clustering c = clustering(in);
      p.rows().put(c, row(in, c, schema));
    }
    return p;
  }

  private static void row(DataOutput out, Row r) throws IOException {
    out.writeLong(r.liveness().timestamp());
    out.writeInt(r.liveness().ttl());
    out.writeLong(r.liveness().localExpirationTime());
    deletion(out, r.deletion());
    out.writeInt(r.cells().size());
    for (Map.Entry<String, Cell> e : r.cells().entrySet()) {
      out.writeUTF(e.getKey());
      cell(out, e.getValue());
    }
    out.writeInt(r.complex().size());
    for (Map.Entry<String, ComplexColumn> e : r.complex().entrySet()) {
      out.writeUTF(e.getKey());
      deletion(out, e.getValue().deletion());
      out.writeInt(e.getValue().cells().size());
      for (Cell c : e.getValue().cells().values()) cell(out, c);
    }
  }

  private static Row row(DataInputStream in, Clustering c, Schema schema) throws IOException {
    LivenessInfo li = new LivenessInfo(in.readLong(), in.readInt(), in.readLong());
    DeletionTime d = deletion(in);
    TreeMap<String, Cell> cells = new TreeMap<>();
    int n = in.readInt();
    for (int i = 0; i < n; i++) cells.put(in.readUTF(), cell(in));
    TreeMap<String, ComplexColumn> complex = new TreeMap<>();
    int m = in.readInt();
    for (int i = 0; i < m; i++) {
      String name = in.readUTF();
      ComplexColumn cc = ComplexColumn.of(deletion(in), schema.pathOrder(name));
      int k = in.readInt();
      for (int j = 0; j < k; j++) {
        Cell cell = cell(in);
        cc.cells().put(cell.path(), cell);
      }
      complex.put(name, cc);
    }
    return new Row(c, li, d, cells, complex);
  }

  private static void cell(DataOutput out, Cell c) throws IOException {
    out.writeByte((c.counter() ? 1 : 0) | (c.path() != null ? 2 : 0));
    out.writeLong(c.timestamp());
    out.writeInt(c.ttl());
    out.writeLong(c.localDeletionTime());
    if (c.path() != null) bytes(out, c.path());
    bytes(out, c.value());
  }

  private static Cell cell(DataInputStream in) throws IOException {
    int flags = in.readByte();
    long ts = in.readLong();
    int ttl = in.readInt();
    long ldt = in.readLong();
    Bytes path = (flags & 2) != 0 ? bytes(in) : null;
    return new Cell(bytes(in), ts, ttl, ldt, path, (flags & 1) != 0);
  }

  private static void clustering(DataOutput out, Clustering c) throws IOException {
    out.writeShort(c.size());
    for (Bytes b : c.values()) bytes(out, b);
  }

  private static Clustering clustering(DataInputStream in) throws IOException {
    int n = in.readShort();
    List<Bytes> values = new ArrayList<>(n);
    for (int i = 0; i < n; i++) values.add(bytes(in));
    return new Clustering(values);
  }

  private static void deletion(DataOutput out, DeletionTime d) throws IOException {
    out.writeLong(d.markedForDeleteAt());
    out.writeLong(d.localDeletionTime());
  }

  private static DeletionTime deletion(DataInputStream in) throws IOException {
    long m = in.readLong();
    long l = in.readLong();
    return m == Long.MIN_VALUE && l == Long.MAX_VALUE ? DeletionTime.LIVE : new DeletionTime(m, l);
  }

  private static void bytes(DataOutput out, Bytes b) throws IOException {
    out.writeInt(b.length());
    out.write(b.unsafeArray());
  }

  private static Bytes bytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > (1 << 28)) throw new IOException("corrupt length " + n);
    byte[] d = new byte[n];
    in.readFully(d);
    return Bytes.wrap(d);
  }
}
