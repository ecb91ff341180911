package sim.cassandra.db;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Range tombstones in Cassandra's canonical form ({@code RangeTombstoneList}): non-overlapping slices in
 * clustering order, each with the strongest deletion that covers it, adjacent slices with the same
 * deletion joined, and nothing the partition deletion already covers. Whatever order deletions arrive in,
 * the form is the same, so two replicas holding the same deletions hold equal partitions, and an SSTable's
 * range tombstone markers (a start, boundaries, an end) read back to the slices that were written.
 *
 * <p>A slice is the interval between two {@link Position}s: "just before" or "just after" every clustering
 * that starts with a prefix ({@code c >= 3} starts just before (3), {@code c > 3} just after it).
 */
public final class RangeTombstones {
  private RangeTombstones() {}

  /** A point between clusterings: before (or after) every clustering that starts with {@code prefix}. */
  public record Position(Clustering prefix, boolean after) {
    public static final Position BOTTOM = new Position(Clustering.EMPTY, false);
    public static final Position TOP = new Position(Clustering.EMPTY, true);
  }

  public static Position start(Slice s) {
    return s.start().size() == 0 ? Position.BOTTOM : new Position(s.start(), !s.startInclusive());
  }

  public static Position end(Slice s) {
    return s.end().size() == 0 ? Position.TOP : new Position(s.end(), s.endInclusive());
  }

  /** The slice between two positions ({@code from} before {@code to}). */
  public static Slice slice(Position from, Position to) {
    boolean fromUnbounded = from.prefix().size() == 0;
    boolean toUnbounded = to.prefix().size() == 0;
    return new Slice(from.prefix(), fromUnbounded || !from.after(), to.prefix(), toUnbounded || to.after());
  }

  public static int compare(Position a, Position b, Slice.PrefixComparator cmp) {
    int n = Math.min(a.prefix().size(), b.prefix().size());
    for (int i = 0; i < n; i++) {
      int r = cmp.compareComponent(i, a.prefix().get(i), b.prefix().get(i));
      if (r != 0) return r;
    }
    int la = a.prefix().size();
    int lb = b.prefix().size();
    if (la == lb) return Boolean.compare(a.after(), b.after());
    // the shorter prefix is before or after everything the longer one bounds
    if (la < lb) return a.after() ? 1 : -1;
    return b.after() ? -1 : 1;
  }

  /** Where a position sits relative to a full clustering. */
  public static int compare(Position p, Clustering c, Slice.PrefixComparator cmp) {
    int n = Math.min(p.prefix().size(), c.size());
    for (int i = 0; i < n; i++) {
      int r = cmp.compareComponent(i, p.prefix().get(i), c.get(i));
      if (r != 0) return r;
    }
    return p.after() ? 1 : -1;
  }

  /**
   * The canonical form of {@code tombstones} under {@code partitionDeletion}: a new map ordered by
   * {@code order}.
   */
  public static TreeMap<Slice, DeletionTime> normalize(Map<Slice, DeletionTime> tombstones, DeletionTime partitionDeletion,
      Comparator<Slice> order, Slice.PrefixComparator cmp) {
    TreeMap<Slice, DeletionTime> out = new TreeMap<>(order);
    if (tombstones.isEmpty()) return out;
    List<Position[]> spans = new ArrayList<>();
    List<DeletionTime> deletions = new ArrayList<>();
    List<Position> points = new ArrayList<>();
    for (Map.Entry<Slice, DeletionTime> e : tombstones.entrySet()) {
      if (!e.getValue().supersedes(partitionDeletion)) continue;
      Position s = start(e.getKey());
      Position t = end(e.getKey());
      if (compare(s, t, cmp) >= 0) continue; // covers no clustering
      spans.add(new Position[] {s, t});
      deletions.add(e.getValue());
      points.add(s);
      points.add(t);
    }
    points.sort((a, b) -> compare(a, b, cmp));
    List<Position> distinct = new ArrayList<>();
    for (Position p : points) {
      if (distinct.isEmpty() || compare(distinct.get(distinct.size() - 1), p, cmp) != 0) distinct.add(p);
    }
    Position openAt = null;
    DeletionTime open = DeletionTime.LIVE;
    for (int i = 0; i + 1 < distinct.size(); i++) {
      Position from = distinct.get(i);
      Position to = distinct.get(i + 1);
      DeletionTime d = DeletionTime.LIVE;
      for (int k = 0; k < spans.size(); k++) {
        Position[] sp = spans.get(k);
        if (compare(sp[0], from, cmp) <= 0 && compare(sp[1], to, cmp) >= 0) d = DeletionTime.max(d, deletions.get(k));
      }
      if (d.equals(open)) continue;
      if (!open.isLive()) out.put(slice(openAt, from), open);
      open = d;
      openAt = from;
    }
    if (!open.isLive()) out.put(slice(openAt, distinct.get(distinct.size() - 1)), open);
    return out;
  }
}
