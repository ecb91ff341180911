package sim.cassandra.cluster;

import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.storage.StorageEngine;

/**
 * The rule {@code --break cassandra.ignore-tombstone-tie} switches off: on a timestamp tie a tombstone
 * must beat a live cell. Broken, the replica keeps whichever it had first, so replicas that saw a write
 * and a delete with the same timestamp in different orders disagree forever, and no repair can settle it.
 */
final class TombstoneTieBreak {
  private TombstoneTieBreak() {}

  static Mutation liveWinsTies(Mutation m, StorageEngine storage) {
    Partition current = storage.read(storage.schema().table(m.qualifiedTable()), m.key());
    if (current == null) return m;
    Partition out = new Partition(m.key(), m.update().order());
    out.deletePartition(m.update().deletion());
    for (var e : m.update().rangeTombstones().entrySet()) out.addRangeTombstone(e.getKey(), e.getValue());
    if (m.update().staticRow() != null) out.addRow(m.update().staticRow());
    for (Row r : m.update().rows().values()) {
      Row have = current.rows().get(r.clustering());
      TreeMap<String, Cell> cells = new TreeMap<>();
      for (Map.Entry<String, Cell> c : r.cells().entrySet()) {
        Cell old = have == null ? null : have.cells().get(c.getKey());
        boolean tieAgainstLive = old != null && !old.isTombstone() && c.getValue().isTombstone() && old.timestamp() == c.getValue().timestamp();
        if (!tieAgainstLive) cells.put(c.getKey(), c.getValue());
      }
      Row kept = new Row(r.clustering(), r.liveness(), r.deletion(), cells, r.complex());
      if (!kept.isEmpty()) out.addRow(kept);
    }
    return new Mutation(m.keyspace(), m.table(), out);
  }
}
