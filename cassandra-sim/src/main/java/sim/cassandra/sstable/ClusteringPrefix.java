package sim.cassandra.sstable;

import java.util.ArrayList;
import java.util.List;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.RangeTombstones;

/**
 * A row's clustering or a range tombstone marker's bound, with Cassandra's {@code ClusteringPrefix.Kind}
 * (whose ordinal is what Data.db and Index.db store), and their serializations: each group of up to 32
 * values is preceded by a vint with two bits a value (null, empty), then the non-empty values.
 */
public record ClusteringPrefix(Kind kind, Clustering values) {
  /** In Cassandra's declaration order: the ordinal is serialized. */
  public enum Kind {
    EXCL_END_BOUND, INCL_START_BOUND, EXCL_END_INCL_START_BOUNDARY, STATIC_CLUSTERING, CLUSTERING,
    INCL_END_EXCL_START_BOUNDARY, INCL_END_BOUND, EXCL_START_BOUND;

    private static final Kind[] ALL = values();

    public static Kind of(int ordinal, DataInputBuffer in) {
      if (ordinal < 0 || ordinal >= ALL.length || ordinal == STATIC_CLUSTERING.ordinal()) throw in.corrupt("bad clustering kind " + ordinal);
      return ALL[ordinal];
    }

    public boolean isBoundary() {
      return this == EXCL_END_INCL_START_BOUNDARY || this == INCL_END_EXCL_START_BOUNDARY;
    }

    public boolean isStart() {
      return this == INCL_START_BOUND || this == EXCL_START_BOUND || isBoundary();
    }

    public boolean isEnd() {
      return this == INCL_END_BOUND || this == EXCL_END_BOUND || isBoundary();
    }

    /** Whether a marker of this kind sits just after its prefix's clusterings (else just before). */
    public boolean isAfter() {
      return this == INCL_END_EXCL_START_BOUNDARY || this == INCL_END_BOUND || this == EXCL_START_BOUND;
    }
  }

  public static ClusteringPrefix clustering(Clustering c) {
    return new ClusteringPrefix(Kind.CLUSTERING, c);
  }

  /** The marker kind at a position: an open (start), a close (end), or both at once (boundary). */
  public static Kind markerKind(RangeTombstones.Position p, boolean closes, boolean opens) {
    if (closes && opens) return p.after() ? Kind.INCL_END_EXCL_START_BOUNDARY : Kind.EXCL_END_INCL_START_BOUNDARY;
    if (opens) return p.after() ? Kind.EXCL_START_BOUND : Kind.INCL_START_BOUND;
    return p.after() ? Kind.INCL_END_BOUND : Kind.EXCL_END_BOUND;
  }

  public RangeTombstones.Position position() {
    return new RangeTombstones.Position(values, kind.isAfter());
  }

  public int size() {
    return values.size();
  }

  // ---- serialization ----

  /** {@code serializeValuesWithoutSize}. */
  public static void writeValues(Clustering c, SerializationHeader h, DataOutputBuffer out) {
    int size = c.size();
    for (int offset = 0; offset < size; ) {
      int limit = Math.min(size, offset + 32);
      long header = 0;
      for (int i = offset; i < limit; i++) if (c.get(i).isEmpty()) header |= 1L << (i * 2);
      out.writeUnsignedVInt(header);
      for (; offset < limit; offset++) {
        Bytes v = c.get(offset);
        if (!v.isEmpty()) writeValue(v, h.clusteringFixedLength(offset), out);
      }
    }
  }

  public static List<Bytes> readValues(int size, SerializationHeader h, DataInputBuffer in) {
    List<Bytes> values = new ArrayList<>(size);
    for (int offset = 0; offset < size; ) {
      long header = in.readUnsignedVInt();
      int limit = Math.min(size, offset + 32);
      for (; offset < limit; offset++) {
        if ((header & (1L << (offset * 2 + 1))) != 0) throw in.corrupt("null clustering value at " + offset);
        values.add((header & (1L << (offset * 2))) != 0 ? Bytes.EMPTY : readValue(h.clusteringFixedLength(offset), in));
      }
    }
    return values;
  }

  /** A bound or boundary: the kind's ordinal, a short size, the values. */
  public static void writeBound(ClusteringPrefix b, SerializationHeader h, DataOutputBuffer out) {
    out.writeByte(b.kind.ordinal());
    out.writeShort(b.values.size());
    writeValues(b.values, h, out);
  }

  public static ClusteringPrefix readBoundValues(Kind kind, SerializationHeader h, DataInputBuffer in) {
    int size = in.readUnsignedShort();
    if (size > h.clusteringTypes().size()) throw in.corrupt("bound of " + size + " values for " + h.clusteringTypes().size() + " clustering columns");
    return new ClusteringPrefix(kind, size == 0 ? Clustering.EMPTY : new Clustering(readValues(size, h, in)));
  }

  /** {@code ClusteringPrefix.serializer.serialize} (Index.db's IndexInfo): a clustering without its size. */
  public static void writePrefix(ClusteringPrefix p, SerializationHeader h, DataOutputBuffer out) {
    if (p.kind == Kind.CLUSTERING) {
      out.writeByte(p.kind.ordinal());
      writeValues(p.values, h, out);
    } else {
      writeBound(p, h, out);
    }
  }

  public static ClusteringPrefix readPrefix(SerializationHeader h, DataInputBuffer in) {
    Kind k = Kind.of(in.readByte(), in);
    if (k == Kind.CLUSTERING) return clustering(new Clustering(readValues(h.clusteringTypes().size(), h, in)));
    return readBoundValues(k, h, in);
  }

  static void writeValue(Bytes v, int fixedLength, DataOutputBuffer out) {
    if (fixedLength >= 0) {
      if (v.length() != fixedLength) throw new IllegalArgumentException("Expected exactly " + fixedLength + " bytes, but was " + v.length());
      out.write(v.unsafeArray());
    } else {
      out.writeWithVIntLength(v.unsafeArray());
    }
  }

  static Bytes readValue(int fixedLength, DataInputBuffer in) {
    return Bytes.wrap(fixedLength >= 0 ? in.readBytes(fixedLength) : in.readWithVIntLength());
  }

  @Override
  public String toString() {
    return kind + values.toString();
  }
}
