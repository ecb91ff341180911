package sim.postgres.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Visibility;
import sim.postgres.nbtree.BTree;
import sim.postgres.nbtree.KeyDesc;
import sim.postgres.sql.Ast.SqlType;

/** Creating, building and dropping the B-trees of a table's indexes. */
public final class Indexes {
  private Indexes() {}

  public static KeyDesc keyDesc(Table t, Table.Index ix) {
    List<SqlType> types = new ArrayList<>();
    for (int c : ix.columns()) types.add(t.columns.get(c).type());
    return new KeyDesc(types);
  }

  /** An empty B-tree for a new index (its metapage says there is no root yet). */
  public static BTree empty(Table t, Table.Index ix) {
    return new BTree(ix.name(), ix.oid(), keyDesc(t, ix), ix.unique());
  }

  /**
   * CREATE INDEX on a table that has rows: one entry per HOT chain that is not dead to everyone, under the
   * chain root's TID, with the key of the chain's newest member (heapam_index_build_range_scan indexes a
   * "broken" HOT chain the same way), sorted and loaded bottom-up as nbtsort.c does.
   */
  public static void build(BTree tree, Table t, Table.Index ix, MultiXacts multis, Visibility vis, int horizon) {
    record Entry(Object[] key, Tid tid) {}
    List<Entry> entries = new ArrayList<>();
    for (HeapPage p : t.pages) {
      for (int off = 1; off <= p.items.size(); off++) {
        HeapPage.LinePointer lp = p.items.get(off - 1);
        boolean root = lp.state == HeapPage.LpState.REDIRECT
            || (lp.state == HeapPage.LpState.NORMAL && !lp.tuple.has2(Infomask.HEAP_ONLY_TUPLE));
        if (!root) continue;
        Tid tid = new Tid(p.blockNumber, off);
        List<Tid> chain = HotChain.members(t, tid, multis);
        if (chain.isEmpty()) continue;
        HeapTuple newest = t.fetch(chain.get(chain.size() - 1));
        if (vis != null && vis.satisfiesVacuum(newest, horizon) == Visibility.VacuumStatus.DEAD) continue;
        entries.add(new Entry(ix.keyOf(newest.values), tid));
      }
    }
    KeyDesc desc = tree.desc();
    Comparator<Entry> byKey = (a, b) -> desc.compare(a.key(), b.key());
    entries.sort(byKey.thenComparing(Entry::tid));
    tree.buildSorted(entries.stream().map(Entry::key).toList(), entries.stream().map(Entry::tid).toList());
  }
}
