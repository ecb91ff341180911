package sim.cassandra.db;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A non-frozen collection's cells in one row, by cell path, and the collection's own deletion
 * (overwriting a whole collection writes one at the new write's timestamp − 1).
 */
public record ComplexColumn(DeletionTime deletion, TreeMap<Bytes, Cell> cells) {
  public static ComplexColumn of(DeletionTime deletion, Comparator<Bytes> pathOrder) {
    return new ComplexColumn(deletion, new TreeMap<>(pathOrder));
  }

  public boolean isEmpty() {
    return deletion.isLive() && cells.isEmpty();
  }

  /** Both sides merged: the later deletion, every path's cells reconciled, shadowed cells dropped. */
  public static ComplexColumn merge(ComplexColumn a, ComplexColumn b, DeletionTime active) {
    DeletionTime d = DeletionTime.max(a.deletion, b.deletion);
    TreeMap<Bytes, Cell> cells = new TreeMap<>(a.cells.comparator());
    cells.putAll(a.cells);
    for (Map.Entry<Bytes, Cell> e : b.cells.entrySet()) cells.merge(e.getKey(), e.getValue(), Cell::reconcile);
    return normalize(new ComplexColumn(d, cells), active);
  }

  /** Drops what {@code active} (partition, range or row deletion) or the collection's own deletion shadows. */
  public static ComplexColumn normalize(ComplexColumn c, DeletionTime active) {
    DeletionTime d = active.supersedes(c.deletion) ? DeletionTime.LIVE : c.deletion;
    DeletionTime shadow = DeletionTime.max(active, d);
    TreeMap<Bytes, Cell> cells = new TreeMap<>(c.cells.comparator());
    for (Map.Entry<Bytes, Cell> e : c.cells.entrySet()) {
      if (!shadow.deletes(e.getValue().timestamp())) cells.put(e.getKey(), e.getValue());
    }
    return new ComplexColumn(d, cells);
  }

  @Override
  public String toString() {
    return (deletion.isLive() ? "" : "del@" + deletion.markedForDeleteAt() + " ") + cells.values();
  }
}
