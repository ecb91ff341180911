package sim.cassandra.scenario;

import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.core.NodeId;

/**
 * What Cassandra's gc_grace_seconds rule is judged by: each replica's own copy of a deleted row. A replica
 * that purged the row's tombstone (compaction drops a tombstone older than gc_grace_seconds) while another
 * replica still holds the row without the tombstone (it missed the delete: down, partitioned, paused, the
 * mutation dropped, or its unsynced commit log lost in a crash) lets repair or a read bring the row back.
 * That, and only that, is the zombie real Cassandra allows: a replica that purges a tombstone it held and
 * then shows the row again on its own, with every other replica holding the tombstone, is a bug.
 */
final class TombstoneWatch {
  private enum View { LIVE, DELETED, GONE }

  private final CassandraCluster cluster;
  private final String table;
  /** Per key: each replica's last view of it, and the replicas that purged its tombstone. */
  private final TreeMap<String, TreeMap<NodeId, View>> views = new TreeMap<>();
  private final TreeMap<String, TreeSet<NodeId>> purged = new TreeMap<>();
  private final TreeMap<String, String> missed = new TreeMap<>();

  TombstoneWatch(CassandraCluster cluster, String table) {
    this.cluster = cluster;
    this.table = table;
  }

  /** Looks at every running replica's copy of {@code key}, a key whose delete was acknowledged. */
  void observe(String key) {
    TreeMap<NodeId, View> mine = views.computeIfAbsent(key, k -> new TreeMap<>());
    TreeSet<NodeId> gone = purged.computeIfAbsent(key, k -> new TreeSet<>());
    for (NodeId n : cluster.nodes()) {
      CassandraNode c = cluster.node(n);
      if (c == null || c.storage().schema().table(table) == null) continue; // a down replica is looked at once it is back
      View v = view(c.storage().read(c.storage().schema().table(table), DecoratedKey.of(Bytes.utf8(key))));
      if (mine.get(n) == View.DELETED && v == View.GONE) gone.add(n);
      if (v == View.LIVE && !missed.containsKey(key)) {
        for (NodeId p : gone) {
          if (!p.equals(n)) {
            missed.put(key, n + " held " + key + " without its tombstone after " + p + " had purged it");
            break;
          }
        }
      }
      mine.put(n, v);
    }
  }

  /** The keys the rule covers: a replica held the row without the tombstone after another had purged it. */
  List<String> missedKeys() {
    return List.copyOf(missed.keySet());
  }

  /** For each key the rule covers, which replica held it alive after which one purged the tombstone. */
  List<String> reasons() {
    return List.copyOf(missed.values());
  }

  private static View view(Partition p) {
    if (p == null) return View.GONE;
    for (var r : p.rows().values()) {
      var v = r.cells().get("v");
      if (v != null && !v.isTombstone()) return View.LIVE;
    }
    return p.deletion().isLive() && p.rows().isEmpty() ? View.GONE : View.DELETED;
  }
}
