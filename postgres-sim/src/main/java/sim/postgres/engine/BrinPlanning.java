package sim.postgres.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import sim.postgres.brin.BrinIndex;
import sim.postgres.heap.Table;
import sim.postgres.planner.BrinCosts;
import sim.postgres.planner.Plan;
import sim.postgres.planner.Qual;

/** The engine's side of BRIN plans: what the planner is told of each BRIN index, and the lossy bitmap a scan reads. */
final class BrinPlanning {
  private BrinPlanning() {}

  /** get_relation_info for BRIN indexes, newest first as for B-trees. */
  static List<BrinCosts.BrinInfo> infos(Database db, Table t) {
    List<Table.Brin> byOid = new ArrayList<>(t.brinIndexes);
    byOid.sort((x, y) -> Integer.compare(y.oid(), x.oid()));
    List<BrinCosts.BrinInfo> out = new ArrayList<>();
    for (Table.Brin b : byOid) {
      BrinIndex ix = db.state.brins.get(b.name());
      out.add(new BrinCosts.BrinInfo(b.name(), t.columns.get(b.column()).name(), ix.blocks(), ix.pagesPerRange,
          ix.lastRevmapPage()));
    }
    return out;
  }

  /**
   * bringetbitmap for the plan's BRIN Bitmap Index Scans: the heap blocks the scan reads (each BRIN node's
   * lossy pages, intersected under a BitmapAnd), or null when no node is a BRIN index.
   */
  static BitSet heapBlocks(Database db, Table t, Plan p) {
    BitSet blocks = null;
    for (Plan.BitmapIndex node : p.bitmapIndexes()) {
      BrinIndex ix = db.state.brins.get(node.index());
      if (ix == null) continue;
      BitSet mine = new BitSet();
      mine.set(0, t.pages.size());
      for (Qual q : node.quals()) mine.and(ix.scan(q.op(), q.constant(), t.pages.size()));
      if (blocks == null) blocks = mine;
      else blocks.and(mine);
    }
    return blocks;
  }
}
