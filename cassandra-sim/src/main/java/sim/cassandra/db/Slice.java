package sim.cassandra.db;

import java.util.Comparator;

/**
 * A range of clustering prefixes, each end inclusive or exclusive; an empty prefix at an end is unbounded.
 * {@code DELETE … WHERE k = 1 AND c > 3 AND c <= 4} deletes the slice (3, 4].
 */
public record Slice(Clustering start, boolean startInclusive, Clustering end, boolean endInclusive) {
  public static final Slice ALL = new Slice(Clustering.EMPTY, true, Clustering.EMPTY, true);

  /** Every row whose clustering starts with {@code prefix}. */
  public static Slice prefix(Clustering prefix) {
    return new Slice(prefix, true, prefix, true);
  }

  public boolean includes(Clustering c, PrefixComparator cmp) {
    return afterStart(c, cmp) && beforeEnd(c, cmp);
  }

  private boolean afterStart(Clustering c, PrefixComparator cmp) {
    if (start.size() == 0) return true;
    int r = cmp.comparePrefix(c, start);
    return r > 0 || (r == 0 && startInclusive);
  }

  private boolean beforeEnd(Clustering c, PrefixComparator cmp) {
    if (end.size() == 0) return true;
    int r = cmp.comparePrefix(c, end);
    return r < 0 || (r == 0 && endInclusive);
  }

  /** Whether no clustering can fall inside (start after end). */
  public boolean isEmpty(PrefixComparator cmp) {
    if (start.size() == 0 || end.size() == 0) return false;
    int n = Math.min(start.size(), end.size());
    for (int i = 0; i < n; i++) {
      int r = cmp.compareComponent(i, start.get(i), end.get(i));
      if (r != 0) return r > 0;
    }
    if (start.size() == end.size()) return !(startInclusive && endInclusive);
    // one bound is a prefix of the other: empty only if the shorter excludes its own prefix
    return start.size() < end.size() ? !startInclusive : !endInclusive;
  }

  /**
   * Compares a full clustering with a bound's prefix on the prefix's components only: 0 means "starts
   * with".
   */
  public interface PrefixComparator {
    int compareComponent(int i, Bytes a, Bytes b);

    default int comparePrefix(Clustering c, Clustering prefix) {
      int n = Math.min(c.size(), prefix.size());
      for (int i = 0; i < n; i++) {
        int r = compareComponent(i, c.get(i), prefix.get(i));
        if (r != 0) return r;
      }
      return 0;
    }
  }

  /** A stable total order on slices (for canonical sets of range tombstones). */
  public static Comparator<Slice> order(Comparator<Clustering> clusterings) {
    return Comparator.comparing(Slice::start, clusterings).thenComparing(Slice::startInclusive)
        .thenComparing(Slice::end, clusterings).thenComparing(Slice::endInclusive);
  }

  @Override
  public String toString() {
    return (startInclusive ? "[" : "(") + start + ".." + end + (endInclusive ? "]" : ")");
  }
}
