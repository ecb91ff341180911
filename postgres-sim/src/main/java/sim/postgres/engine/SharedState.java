package sim.postgres.engine;

import java.util.Map;
import java.util.TreeMap;
import sim.postgres.heap.Table;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Clog;
import sim.postgres.nbtree.BTree;

/**
 * What one instance's backends share and crash recovery rebuilds: the catalog (pg_class with its heaps),
 * the commit log and proc array (pg_xact), the MultiXacts (pg_multixact) and the next relation OID.
 * Storage builds it (empty, or from the disk by redo) before the engine starts.
 */
public final class SharedState {
  public final Map<String, Table> tables;
  public final Clog clog;
  public final MultiXacts multis;
  /** Every index's B-tree, by index name. */
  public final Map<String, BTree> btrees = new TreeMap<>();
  /** Every BRIN index, by index name. */
  public final Map<String, sim.postgres.brin.BrinIndex> brins = new TreeMap<>();
  private int nextOid = FIRST_NORMAL_OID;

  /** FirstNormalObjectId: user relations start here. */
  public static final int FIRST_NORMAL_OID = 16384;

  public SharedState() {
    this(new TreeMap<>(), new Clog(), new MultiXacts());
  }

  public SharedState(Map<String, Table> tables, Clog clog, MultiXacts multis) {
    this.tables = tables;
    this.clog = clog;
    this.multis = multis;
    for (Table t : tables.values()) nextOid = Math.max(nextOid, t.oid + 1);
  }

  public BTree btree(String index) {
    return btrees.get(index);
  }

  /** A new relation OID, never one the catalog already holds (after recovery too). */
  public int newOid() {
    for (Table t : tables.values()) nextOid = Math.max(nextOid, t.oid + 1);
    return nextOid++;
  }
}
