package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.MultiXacts;

/**
 * heap_hot_search_buffer's walk: an index entry points at a HOT chain's root (through a redirect line
 * pointer once pruning removed the root); the chain goes on through t_ctid while each member was
 * HOT-updated by the transaction that inserted the next, on the same page.
 */
final class HotChain {
  private HotChain() {}

  /** The chain's members, root first, with their TIDs. */
  static List<Tid> members(Table table, Tid indexTid, MultiXacts multis) {
    List<Tid> out = new ArrayList<>();
    Tid tid = table.resolve(indexTid);
    int prevUpdater = 0;
    for (int hops = 0; tid != null && hops < 10_000; hops++) {
      HeapTuple t = table.fetch(tid);
      if (t == null) break;
      if (!out.isEmpty() && t.xmin != prevUpdater) break; // the slot was reused by an unrelated tuple
      out.add(tid);
      if (!t.has2(Infomask.HEAP_HOT_UPDATED) || t.ctid.equals(tid) || t.ctid.block() != tid.block()) break;
      prevUpdater = multis.updateXid(t);
      tid = t.ctid;
    }
    return out;
  }
}
