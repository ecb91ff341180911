package sim.cassandra.db;

import java.util.Map;
import java.util.TreeMap;

/**
 * Compaction's tombstone purge. A deletion (partition, range, row, collection, cell tombstone, expired
 * TTL) may be dropped only when its local deletion time is before {@code gcBefore} (now −
 * {@code gc_grace_seconds}) and its timestamp is below {@code maxPurgeableTimestamp} (the oldest data it
 * might still shadow in SSTables outside the compaction and in memtables). Dropped too early — before every
 * replica has the tombstone — and repair brings the deleted data back: the zombie.
 */
public final class Purger {
  private final long nowInSec;
  private final long gcBeforeInSec;
  private final long maxPurgeableTimestamp;

  public Purger(long nowInSec, long gcBeforeInSec, long maxPurgeableTimestamp) {
    this.nowInSec = nowInSec;
    this.gcBeforeInSec = gcBeforeInSec;
    this.maxPurgeableTimestamp = maxPurgeableTimestamp;
  }

  boolean shouldPurge(long timestamp, long localDeletionTime) {
    return localDeletionTime < gcBeforeInSec && timestamp < maxPurgeableTimestamp;
  }

  private DeletionTime purge(DeletionTime d) {
    return !d.isLive() && shouldPurge(d.markedForDeleteAt(), d.localDeletionTime()) ? DeletionTime.LIVE : d;
  }

  private Cell purge(Cell c) {
    if (c.isLive(nowInSec)) return c;
    if (shouldPurge(c.timestamp(), c.localDeletionTime())) return null;
    if (c.isExpiring()) {
      Cell t = Cell.tombstone(c.timestamp(), c.localDeletionTime() - c.ttl(), c.path());
      return shouldPurge(t.timestamp(), t.localDeletionTime()) ? null : t;
    }
    return c;
  }

  /** A purged copy of the partition (null if nothing is left). */
  public Partition purge(Partition p) {
    Partition out = new Partition(p.key(), p.order());
    out.deletePartition(purge(p.deletion()));
    for (Map.Entry<Slice, DeletionTime> e : p.rangeTombstones().entrySet()) {
      DeletionTime d = purge(e.getValue());
      if (!d.isLive()) out.addRangeTombstone(e.getKey(), d);
    }
    if (p.staticRow() != null) {
      Row r = purge(p.staticRow());
      if (r != null) out.addRow(r);
    }
    for (Row r : p.rows().values()) {
      Row pr = purge(r);
      if (pr != null) out.rows().put(pr.clustering(), pr);
    }
    return out.isEmpty() ? null : out;
  }

  private Row purge(Row r) {
    LivenessInfo li = r.liveness();
    if (!li.isEmpty() && !li.isLive(nowInSec) && shouldPurge(li.timestamp(), li.localExpirationTime())) li = LivenessInfo.EMPTY;
    TreeMap<String, Cell> cells = new TreeMap<>();
    for (Map.Entry<String, Cell> e : r.cells().entrySet()) {
      Cell c = purge(e.getValue());
      if (c != null) cells.put(e.getKey(), c);
    }
    TreeMap<String, ComplexColumn> complex = new TreeMap<>();
    for (Map.Entry<String, ComplexColumn> e : r.complex().entrySet()) {
      ComplexColumn cc = new ComplexColumn(purge(e.getValue().deletion()), new TreeMap<>(e.getValue().cells().comparator()));
      for (Cell c : e.getValue().cells().values()) {
        Cell pc = purge(c);
        if (pc != null) cc.cells().put(pc.path(), pc);
      }
      if (!cc.isEmpty()) complex.put(e.getKey(), cc);
    }
    Row out = new Row(r.clustering(), li, purge(r.deletion()), cells, complex);
    return out.isEmpty() ? null : out;
  }
}
