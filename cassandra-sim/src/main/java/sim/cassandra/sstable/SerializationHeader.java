package sim.cassandra.sstable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;

/**
 * What Data.db's rows are written against ({@code SerializationHeader}): the {@link EncodingStats} every
 * timestamp is a delta from, the key and clustering types, and the static and regular columns, each set in
 * Cassandra's column order (simple columns before collections, then by name). A row lists its columns as
 * a bitmap over these; Statistics.db stores the header, so an SSTable can be read without the schema that
 * wrote it.
 */
public final class SerializationHeader {
  /** A column of the header: its name, its marshal type, and whether each element is a cell of its own. */
  public record Column(String name, String type, boolean complex, int fixedLength, boolean counter) {
    public static Column of(String name, String type) {
      return new Column(name, type, MarshalTypes.isMultiCell(type), MarshalTypes.isMultiCell(type) ? -1 : MarshalTypes.fixedLength(type),
          MarshalTypes.isCounter(type));
    }
  }

  /** Cassandra's {@code ColumnMetadata.compareTo} within one kind: simple first, then the name's bytes. */
  public static final Comparator<Column> ORDER = Comparator.comparing(Column::complex)
      .thenComparing((a, b) -> java.util.Arrays.compareUnsigned(a.name().getBytes(StandardCharsets.UTF_8), b.name().getBytes(StandardCharsets.UTF_8)));

  private final EncodingStats stats;
  private final String keyType;
  private final List<String> clusteringTypes;
  private final List<Column> statics;
  private final List<Column> regulars;
  private final Map<String, Integer> staticIndex = new HashMap<>();
  private final Map<String, Integer> regularIndex = new HashMap<>();
  private final int[] clusteringFixedLengths;

  public SerializationHeader(EncodingStats stats, String keyType, List<String> clusteringTypes, List<Column> statics, List<Column> regulars) {
    this.stats = stats;
    this.keyType = keyType;
    this.clusteringTypes = List.copyOf(clusteringTypes);
    List<Column> s = new ArrayList<>(statics);
    s.sort(ORDER);
    List<Column> r = new ArrayList<>(regulars);
    r.sort(ORDER);
    this.statics = List.copyOf(s);
    this.regulars = List.copyOf(r);
    for (int i = 0; i < this.statics.size(); i++) staticIndex.put(this.statics.get(i).name(), i);
    for (int i = 0; i < this.regulars.size(); i++) regularIndex.put(this.regulars.get(i).name(), i);
    clusteringFixedLengths = new int[clusteringTypes.size()];
    for (int i = 0; i < clusteringFixedLengths.length; i++) clusteringFixedLengths[i] = MarshalTypes.fixedLength(clusteringTypes.get(i));
  }

  /** The header for a table's columns named in {@code columnNames} (the ones written), with {@code stats}. */
  public static SerializationHeader forTable(TableMetadata t, Collection<String> columnNames, EncodingStats stats) {
    List<String> ck = new ArrayList<>();
    for (ColumnMetadata c : t.clusteringColumns()) ck.add(MarshalTypes.clusteringName(c));
    List<Column> statics = new ArrayList<>();
    List<Column> regulars = new ArrayList<>();
    for (String n : columnNames) {
      ColumnMetadata c = t.column(n);
      if (c == null || c.isPrimaryKey()) continue;
      (c.isStatic() ? statics : regulars).add(Column.of(c.name(), MarshalTypes.name(c.type())));
    }
    return new SerializationHeader(stats, MarshalTypes.keyTypeName(t), ck, statics, regulars);
  }

  /** Every static and regular column of the table ({@code SerializationHeader.makeWithoutStats}'s columns). */
  public static SerializationHeader forAllColumns(TableMetadata t, EncodingStats stats) {
    List<String> names = new ArrayList<>();
    for (ColumnMetadata c : t.columns()) names.add(c.name());
    return forTable(t, names, stats);
  }

  public EncodingStats stats() {
    return stats;
  }

  public String keyType() {
    return keyType;
  }

  public List<String> clusteringTypes() {
    return clusteringTypes;
  }

  public int clusteringFixedLength(int i) {
    return clusteringFixedLengths[i];
  }

  public List<Column> columns(boolean isStatic) {
    return isStatic ? statics : regulars;
  }

  public boolean hasStatic() {
    return !statics.isEmpty();
  }

  /** The column's index in the header (-1 if absent). */
  public int indexOf(String name, boolean isStatic) {
    Integer i = (isStatic ? staticIndex : regularIndex).get(name);
    return i == null ? -1 : i;
  }

  public SerializationHeader withStats(EncodingStats s) {
    return new SerializationHeader(s, keyType, clusteringTypes, statics, regulars);
  }

  // ---- the deltas ----

  public void writeTimestamp(long timestamp, DataOutputBuffer out) {
    out.writeUnsignedVInt(timestamp - stats.minTimestamp());
  }

  public void writeLocalDeletionTime(long localDeletionTime, DataOutputBuffer out) {
    out.writeUnsignedVInt32((int) (localDeletionTime - stats.minLocalDeletionTime()));
  }

  public void writeTTL(int ttl, DataOutputBuffer out) {
    out.writeUnsignedVInt32(ttl - stats.minTTL());
  }

  public long readTimestamp(DataInputBuffer in) {
    return in.readUnsignedVInt() + stats.minTimestamp();
  }

  public long readLocalDeletionTime(DataInputBuffer in) {
    return in.readUnsignedVInt32() + stats.minLocalDeletionTime();
  }

  public int readTTL(DataInputBuffer in) {
    return in.readUnsignedVInt32() + stats.minTTL();
  }

  // ---- Statistics.db's HEADER component ----

  public void serialize(DataOutputBuffer out) {
    stats.serialize(out);
    writeType(keyType, out);
    out.writeUnsignedVInt32(clusteringTypes.size());
    for (String t : clusteringTypes) writeType(t, out);
    writeColumns(statics, out);
    writeColumns(regulars, out);
  }

  private static void writeType(String type, DataOutputBuffer out) {
    out.writeWithVIntLength(type.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeColumns(List<Column> columns, DataOutputBuffer out) {
    out.writeUnsignedVInt32(columns.size());
    for (Column c : columns) {
      out.writeWithVIntLength(c.name().getBytes(StandardCharsets.UTF_8));
      writeType(c.type(), out);
    }
  }

  public static SerializationHeader deserialize(DataInputBuffer in) {
    EncodingStats stats = EncodingStats.deserialize(in);
    String key = readType(in);
    int n = in.readUnsignedVInt32();
    List<String> ck = new ArrayList<>();
    for (int i = 0; i < n; i++) ck.add(readType(in));
    return new SerializationHeader(stats, key, ck, readColumns(in), readColumns(in));
  }

  private static String readType(DataInputBuffer in) {
    return new String(in.readWithVIntLength(), StandardCharsets.UTF_8);
  }

  private static List<Column> readColumns(DataInputBuffer in) {
    int n = in.readUnsignedVInt32();
    List<Column> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = new String(in.readWithVIntLength(), StandardCharsets.UTF_8);
      out.add(Column.of(name, readType(in)));
    }
    return out;
  }

  @Override
  public String toString() {
    return "SerializationHeader[key=" + keyType + ", cks=" + clusteringTypes + ", statics=" + statics + ", regulars=" + regulars + ", " + stats + "]";
  }
}
