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
 *
 * <p>Under {@code commitlog_sync: periodic} a replica that crashes before its next sync loses the tombstone it
 * acknowledged (it shows the row again after its restart, with no purge). Once so few replicas still hold the
 * tombstone that a quorum of them can answer without it, a QUORUM read may return the row: that is the
 * periodic rule's loss, not gc_grace_seconds'.
 */
final class TombstoneWatch {
  private enum View { LIVE, DELETED, GONE }

  private final CassandraCluster cluster;
  private final String table;
  /** Per key: each replica's last view of it, and the replicas that purged its tombstone. */
  private final TreeMap<String, TreeMap<NodeId, View>> views = new TreeMap<>();
  private final TreeMap<String, TreeSet<NodeId>> purged = new TreeMap<>();
  private final TreeMap<String, String> missed = new TreeMap<>();
  /** Per key: the replicas that held the tombstone and lost it in a crash; the keys a quorum may no longer hold. */
  private final TreeMap<String, TreeSet<NodeId>> lostInCrash = new TreeMap<>();
  private final TreeMap<String, String> belowQuorum = new TreeMap<>();
  private final int quorum;

  TombstoneWatch(CassandraCluster cluster, String table) {
    this.cluster = cluster;
    this.table = table;
    this.quorum = cluster.nodes().size() / 2 + 1; // RF is every node here
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
      if (mine.get(n) == View.DELETED && v == View.LIVE) lostInCrash.computeIfAbsent(key, k -> new TreeSet<>()).add(n);
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
    judgeQuorum(key, mine);
  }

  /** A replica lost the tombstone in a crash, and fewer than a quorum hold it (a down one counts as it was). */
  private void judgeQuorum(String key, TreeMap<NodeId, View> mine) {
    TreeSet<NodeId> lost = lostInCrash.get(key);
    if (lost == null || belowQuorum.containsKey(key)) return;
    long holding = mine.values().stream().filter(v -> v == View.DELETED).count();
    if (holding < quorum) belowQuorum.put(key, lost + " lost the tombstone of " + key + " in a crash; " + holding + " of " + mine.size() + " replicas hold it");
  }

  /** The keys commitlog_sync: periodic covers: a crash lost the tombstone until fewer than a quorum held it. */
  List<String> lostBelowQuorum() {
    return List.copyOf(belowQuorum.keySet());
  }

  /** The keys the rule covers: a replica held the row without the tombstone after another had purged it. */
  List<String> missedKeys() {
    return List.copyOf(missed.keySet());
  }

  /** For each key the rule covers, which replica held it alive after which one purged the tombstone. */
  List<String> reasons() {
    List<String> out = new java.util.ArrayList<>(missed.values());
    out.addAll(belowQuorum.values());
    return out;
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
