package sim.cassandra.schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ClusteringComparator;

/**
 * A table: partition key, clustering columns (each ASC or DESC), static and regular columns, and the
 * table options that matter to the storage engine ({@code gc_grace_seconds} 864000,
 * {@code default_time_to_live} 0, the compaction strategy, {@code speculative_retry} 99p). Columns keep CQL's order: keys first in
 * declaration order, then the others by name, as {@code SELECT *} lists them.
 */
public final class TableMetadata {
  public static final int DEFAULT_GC_GRACE_SECONDS = 864_000;

  private final String keyspace;
  private final String name;
  private final Map<String, ColumnMetadata> columns;
  private final List<ColumnMetadata> partitionKey;
  private final List<ColumnMetadata> clustering;
  private final int gcGraceSeconds;
  private final int defaultTimeToLive;
  private final String compaction;
  private final SpeculativeRetryPolicy speculativeRetry;
  private final ClusteringComparator clusteringComparator;

  public TableMetadata(String keyspace, String name, List<ColumnMetadata> all, int gcGraceSeconds, int defaultTimeToLive, String compaction) {
    this(keyspace, name, all, gcGraceSeconds, defaultTimeToLive, compaction, SpeculativeRetryPolicy.DEFAULT);
  }

  public TableMetadata(String keyspace, String name, List<ColumnMetadata> all, int gcGraceSeconds, int defaultTimeToLive, String compaction,
      SpeculativeRetryPolicy speculativeRetry) {
    this.speculativeRetry = speculativeRetry;
    this.keyspace = keyspace;
    this.name = name;
    this.gcGraceSeconds = gcGraceSeconds;
    this.defaultTimeToLive = defaultTimeToLive;
    this.compaction = compaction;
    List<ColumnMetadata> pk = new ArrayList<>();
    List<ColumnMetadata> ck = new ArrayList<>();
    List<ColumnMetadata> others = new ArrayList<>();
    for (ColumnMetadata c : all) {
      switch (c.kind()) {
        case PARTITION_KEY -> pk.add(c);
        case CLUSTERING -> ck.add(c);
        default -> others.add(c);
      }
    }
    pk.sort(Comparator.comparingInt(ColumnMetadata::position));
    ck.sort(Comparator.comparingInt(ColumnMetadata::position));
    others.sort(Comparator.comparing(ColumnMetadata::name));
    this.partitionKey = List.copyOf(pk);
    this.clustering = List.copyOf(ck);
    LinkedHashMap<String, ColumnMetadata> byName = new LinkedHashMap<>();
    for (ColumnMetadata c : pk) byName.put(c.name(), c);
    for (ColumnMetadata c : ck) byName.put(c.name(), c);
    for (ColumnMetadata c : others) byName.put(c.name(), c);
    this.columns = Collections.unmodifiableMap(byName);
    this.clusteringComparator = this::compareComponent;
  }

  public TableMetadata withOptions(int gcGrace, int defaultTtl, String compactionClass) {
    return new TableMetadata(keyspace, name, new ArrayList<>(columns.values()), gcGrace, defaultTtl, compactionClass, speculativeRetry);
  }

  public String keyspace() {
    return keyspace;
  }

  public String name() {
    return name;
  }

  public String qualifiedName() {
    return keyspace + "." + name;
  }

  public ColumnMetadata column(String n) {
    return columns.get(n);
  }

  public List<ColumnMetadata> columns() {
    return List.copyOf(columns.values());
  }

  public List<ColumnMetadata> partitionKey() {
    return partitionKey;
  }

  public List<ColumnMetadata> clusteringColumns() {
    return clustering;
  }

  public boolean hasStatics() {
    return columns.values().stream().anyMatch(ColumnMetadata::isStatic);
  }

  public boolean isCounterTable() {
    return columns.values().stream().anyMatch(c -> c.type().isCounter());
  }

  public int gcGraceSeconds() {
    return gcGraceSeconds;
  }

  public int defaultTimeToLive() {
    return defaultTimeToLive;
  }

  public String compaction() {
    return compaction;
  }

  public SpeculativeRetryPolicy speculativeRetry() {
    return speculativeRetry;
  }

  public ClusteringComparator clusteringComparator() {
    return clusteringComparator;
  }

  /** Component by component with each column's type, reversed for DESC; a prefix sorts before its extensions. */
  public int compareClustering(Clustering a, Clustering b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compareComponent(i, a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }

  public int compareComponent(int i, Bytes a, Bytes b) {
    ColumnMetadata col = clustering.get(i);
    int c = col.type().compare(a, b);
    return col.reversed() ? -c : c;
  }

  /**
   * The partition key's bytes: the value itself for one column, CompositeType's encoding for several (each
   * component as a 2-byte length, the bytes, and an end-of-component 0), which is what the token hashes.
   */
  public Bytes partitionKeyBytes(List<Bytes> components) {
    if (components.size() == 1) return components.get(0);
    int size = 0;
    for (Bytes c : components) size += 3 + c.length();
    ByteBuffer b = ByteBuffer.allocate(size);
    for (Bytes c : components) b.putShort((short) c.length()).put(c.unsafeArray()).put((byte) 0);
    return Bytes.wrap(b.array());
  }

  /** The components of a partition key's bytes (the inverse of {@link #partitionKeyBytes}). */
  public List<Bytes> partitionKeyComponents(Bytes key) {
    if (partitionKey.size() == 1) return List.of(key);
    List<Bytes> out = new ArrayList<>();
    ByteBuffer b = key.buffer();
    while (b.remaining() > 0) {
      byte[] d = new byte[b.getShort() & 0xffff];
      b.get(d);
      b.get();
      out.add(Bytes.wrap(d));
    }
    return out;
  }

  @Override
  public String toString() {
    return qualifiedName();
  }
}
