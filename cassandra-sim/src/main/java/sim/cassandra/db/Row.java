package sim.cassandra.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * One row: its clustering, the primary-key liveness marker (INSERT writes one, UPDATE does not), the row's
 * own deletion, simple cells by column and collections by column. A row is visible when its marker or any
 * of its cells is live.
 */
public record Row(Clustering clustering, LivenessInfo liveness, DeletionTime deletion, TreeMap<String, Cell> cells,
    TreeMap<String, ComplexColumn> complex) {

  public static Row empty(Clustering clustering) {
    return new Row(clustering, LivenessInfo.EMPTY, DeletionTime.LIVE, new TreeMap<>(), new TreeMap<>());
  }

  public boolean isEmpty() {
    return liveness.isEmpty() && deletion.isLive() && cells.isEmpty() && complex.isEmpty();
  }

  /** Whether a query at {@code nowInSec} sees this row: a live marker or a live cell. */
  public boolean hasLiveData(long nowInSec) {
    if (liveness.isLive(nowInSec)) return true;
    for (Cell c : cells.values()) if (c.isLive(nowInSec)) return true;
    for (ComplexColumn cc : complex.values()) for (Cell c : cc.cells().values()) if (c.isLive(nowInSec)) return true;
    return false;
  }

  /** The newest timestamp in the row (marker, deletion, cells). */
  public long maxTimestamp() {
    long m = Math.max(liveness.timestamp(), deletion.markedForDeleteAt());
    for (Cell c : cells.values()) m = Math.max(m, c.timestamp());
    for (ComplexColumn cc : complex.values()) {
      m = Math.max(m, cc.deletion().markedForDeleteAt());
      for (Cell c : cc.cells().values()) m = Math.max(m, c.timestamp());
    }
    return m;
  }

  /**
   * Rows.merge: the later row deletion, the superseding marker, every cell reconciled, then everything the
   * row deletion or {@code active} (partition and range deletions) shadows dropped. Null if nothing remains.
   */
  public static Row merge(Row a, Row b, DeletionTime active) {
    if (a == null && b == null) return null;
    if (a == null) return normalize(b, active);
    if (b == null) return normalize(a, active);
    TreeMap<String, Cell> cells = new TreeMap<>(a.cells);
    for (Map.Entry<String, Cell> e : b.cells.entrySet()) cells.merge(e.getKey(), e.getValue(), Cell::reconcile);
    TreeMap<String, ComplexColumn> complex = new TreeMap<>(a.complex);
    for (Map.Entry<String, ComplexColumn> e : b.complex.entrySet()) {
      complex.merge(e.getKey(), e.getValue(), (x, y) -> ComplexColumn.merge(x, y, DeletionTime.LIVE));
    }
    Row merged = new Row(a.clustering, LivenessInfo.merge(a.liveness, b.liveness), DeletionTime.max(a.deletion, b.deletion), cells, complex);
    return normalizeOwn(merged, active);
  }

  /**
   * {@link #normalize} for a row whose maps nobody else holds (the ones {@link #merge} just built): what is
   * shadowed is removed from them in place rather than copied into new ones. The same row results.
   */
  private static Row normalizeOwn(Row r, DeletionTime active) {
    DeletionTime rowDeletion = active.supersedes(r.deletion) ? DeletionTime.LIVE : r.deletion;
    DeletionTime shadow = DeletionTime.max(active, rowDeletion);
    LivenessInfo liveness = shadow.deletes(r.liveness.timestamp()) ? LivenessInfo.EMPTY : r.liveness;
    r.cells.values().removeIf(c -> shadow.deletes(c.timestamp()));
    if (!r.complex.isEmpty()) {
      r.complex.replaceAll((name, c) -> ComplexColumn.normalize(c, shadow));
      r.complex.values().removeIf(ComplexColumn::isEmpty);
    }
    Row out = liveness == r.liveness && rowDeletion == r.deletion ? r : new Row(r.clustering, liveness, rowDeletion, r.cells, r.complex);
    return out.isEmpty() ? null : out;
  }

  /** Drops what the row's own deletion or {@code active} shadows; null if the row is then empty. */
  public static Row normalize(Row r, DeletionTime active) {
    DeletionTime rowDeletion = active.supersedes(r.deletion) ? DeletionTime.LIVE : r.deletion;
    DeletionTime shadow = DeletionTime.max(active, rowDeletion);
    LivenessInfo liveness = shadow.deletes(r.liveness.timestamp()) ? LivenessInfo.EMPTY : r.liveness;
    TreeMap<String, Cell> cells = new TreeMap<>();
    for (Map.Entry<String, Cell> e : r.cells.entrySet()) {
      if (!shadow.deletes(e.getValue().timestamp())) cells.put(e.getKey(), e.getValue());
    }
    TreeMap<String, ComplexColumn> complex = new TreeMap<>();
    for (Map.Entry<String, ComplexColumn> e : r.complex.entrySet()) {
      ComplexColumn c = ComplexColumn.normalize(e.getValue(), shadow);
      if (!c.isEmpty()) complex.put(e.getKey(), c);
    }
    Row out = new Row(r.clustering, liveness, rowDeletion, cells, complex);
    return out.isEmpty() ? null : out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("Row").append(clustering);
    if (!liveness.isEmpty()) b.append(" marker(").append(liveness).append(')');
    if (!deletion.isLive()) b.append(" deleted(").append(deletion.markedForDeleteAt()).append(')');
    for (Map.Entry<String, Cell> e : cells.entrySet()) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
    for (Map.Entry<String, ComplexColumn> e : complex.entrySet()) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
    return b.toString();
  }
}
