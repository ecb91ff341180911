package sim.cassandra.db;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One partition as the storage engine holds it (in a memtable, in an SSTable, in a mutation): the
 * partition deletion, range tombstones, the static row and the rows in clustering order. Merging two is
 * Cassandra's reconciliation: a join (commutative, associative, idempotent), after which nothing that a
 * deletion shadows is kept.
 */
public final class Partition {
  private final DecoratedKey key;
  private final ClusteringComparator order;
  private DeletionTime deletion = DeletionTime.LIVE;
  /**
   * Made on the first range tombstone: most partitions never get one, and the map's comparator chain
   * ({@link Slice#order}) is several objects that a write would otherwise build for nothing.
   */
  private TreeMap<Slice, DeletionTime> rangeTombstones;
  private Row staticRow;
  private final TreeMap<Clustering, Row> rows;

  public Partition(DecoratedKey key, ClusteringComparator order) {
    this.key = key;
    this.order = order;
    this.rows = new TreeMap<>(order);
  }

  public DecoratedKey key() {
    return key;
  }

  public ClusteringComparator order() {
    return order;
  }

  public DeletionTime deletion() {
    return deletion;
  }

  public Map<Slice, DeletionTime> rangeTombstones() {
    return rangeTombstones == null ? Collections.emptyMap() : rangeTombstones;
  }

  private TreeMap<Slice, DeletionTime> ownRangeTombstones() {
    if (rangeTombstones == null) rangeTombstones = new TreeMap<>(Slice.order(order));
    return rangeTombstones;
  }

  private boolean hasRangeTombstones() {
    return rangeTombstones != null && !rangeTombstones.isEmpty();
  }

  public Row staticRow() {
    return staticRow;
  }

  public TreeMap<Clustering, Row> rows() {
    return rows;
  }

  public boolean isEmpty() {
    return deletion.isLive() && !hasRangeTombstones() && staticRow == null && rows.isEmpty();
  }

  public Partition copy() {
    Partition p = new Partition(key, order);
    p.deletion = deletion;
    if (hasRangeTombstones()) p.ownRangeTombstones().putAll(rangeTombstones);
    p.staticRow = staticRow;
    p.rows.putAll(rows);
    return p;
  }

  // ---- building an update ----

  public Partition deletePartition(DeletionTime d) {
    deletion = DeletionTime.max(deletion, d);
    return this;
  }

  public Partition addRangeTombstone(Slice slice, DeletionTime d) {
    ownRangeTombstones().merge(slice, d, DeletionTime::max);
    canonicalizeRangeTombstones();
    return this;
  }

  /** Keeps the range tombstones in {@link RangeTombstones}' canonical form. */
  private void canonicalizeRangeTombstones() {
    if (!hasRangeTombstones()) return;
    TreeMap<Slice, DeletionTime> canonical = RangeTombstones.normalize(rangeTombstones, deletion, Slice.order(order), order);
    rangeTombstones.clear();
    rangeTombstones.putAll(canonical);
  }

  public Partition addRow(Row r) {
    if (r.clustering() == Clustering.STATIC) {
      staticRow = Row.merge(staticRow, r, DeletionTime.LIVE);
    } else {
      rows.merge(r.clustering(), r, (x, y) -> Row.merge(x, y, DeletionTime.LIVE));
      if (rows.get(r.clustering()) == null) rows.remove(r.clustering());
    }
    return this;
  }

  // ---- reconciliation ----

  /** A new partition, the reconciliation of both. */
  public static Partition merge(Partition a, Partition b, Slice.PrefixComparator prefixes) {
    Partition m = a.copy();
    m.normalize(prefixes);
    m.apply(b, prefixes);
    m.normalize(prefixes);
    return m;
  }

  /** Applies {@code update} in place (a memtable write) and returns this partition. */
  public Partition apply(Partition update, Slice.PrefixComparator prefixes) {
    boolean deletionsGrew = !update.deletion.isLive() || update.hasRangeTombstones();
    deletion = DeletionTime.max(deletion, update.deletion);
    for (Map.Entry<Slice, DeletionTime> e : update.rangeTombstones().entrySet()) ownRangeTombstones().merge(e.getKey(), e.getValue(), DeletionTime::max);
    if (update.staticRow != null || deletionsGrew) staticRow = Row.merge(staticRow, update.staticRow, deletion);
    for (Map.Entry<Clustering, Row> e : update.rows.entrySet()) {
      Row merged = Row.merge(rows.get(e.getKey()), e.getValue(), activeDeletion(e.getKey(), prefixes));
      if (merged == null) rows.remove(e.getKey());
      else rows.put(e.getKey(), merged);
    }
    if (deletionsGrew) normalize(prefixes);
    return this;
  }

  /** The strongest partition or range deletion covering a clustering. */
  public DeletionTime activeDeletion(Clustering c, Slice.PrefixComparator prefixes) {
    DeletionTime d = deletion;
    if (rangeTombstones == null) return d;
    for (Map.Entry<Slice, DeletionTime> e : rangeTombstones.entrySet()) {
      if (e.getKey().includes(c, prefixes)) d = DeletionTime.max(d, e.getValue());
    }
    return d;
  }

  /** Drops everything a partition or range deletion shadows, as a merge would. */
  public void normalize(Slice.PrefixComparator prefixes) {
    canonicalizeRangeTombstones();
    staticRow = staticRow == null ? null : Row.normalize(staticRow, deletion);
    rows.replaceAll((c, r) -> Row.normalize(r, activeDeletion(c, prefixes)));
    rows.values().removeIf(Objects::isNull);
  }

  public long maxTimestamp() {
    long m = deletion.markedForDeleteAt();
    for (DeletionTime d : rangeTombstones().values()) m = Math.max(m, d.markedForDeleteAt());
    if (staticRow != null) m = Math.max(m, staticRow.maxTimestamp());
    for (Row r : rows.values()) m = Math.max(m, r.maxTimestamp());
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partition p && key.equals(p.key) && deletion.equals(p.deletion)
        && rangeTombstones().equals(p.rangeTombstones()) && Objects.equals(staticRow, p.staticRow) && rows.equals(p.rows);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, deletion, rangeTombstones(), staticRow, rows);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Partition(").append(key);
    if (!deletion.isLive()) b.append(" deleted@").append(deletion.markedForDeleteAt());
    for (Map.Entry<Slice, DeletionTime> e : rangeTombstones().entrySet()) b.append(" RT").append(e.getKey()).append('@').append(e.getValue().markedForDeleteAt());
    if (staticRow != null) b.append(" static ").append(staticRow);
    for (Row r : rows.values()) b.append(' ').append(r);
    return b.append(')').toString();
  }
}
