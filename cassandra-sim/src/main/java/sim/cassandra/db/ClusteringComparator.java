package sim.cassandra.db;

import java.util.Comparator;

/**
 * A table's clustering order ({@code ClusteringComparator}): component by component with each column's
 * type, reversed for DESC columns; a prefix sorts before its extensions. It also compares bound prefixes,
 * which range tombstones need.
 */
public interface ClusteringComparator extends Comparator<Clustering>, Slice.PrefixComparator {
  @Override
  default int compare(Clustering a, Clustering b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      int c = compareComponent(i, a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(a.size(), b.size());
  }
}
