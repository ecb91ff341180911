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
      int newer = (int) t.indexes.stream().filter(x -> x.oid() > b.oid()).count();
      out.add(new BrinCosts.BrinInfo(b.name(), t.columns.get(b.column()).name(), ix.blocks(), ix.pagesPerRange,
          ix.lastRevmapPage(), newer));
    }
    return out;
  }

  /**
   * A Bitmap Heap Scan over BRIN indexes returns only the matching rows on the pages of the ranges the bitmap
   * holds; {@code rows} (every visible matching row, as a sequential scan found them) shrinks to those. The
   * point pg.brin.scan says how many heap blocks the lossy bitmap held and how many matching rows lay outside
   * it (0 unless a summary is wrong: the safety check pg.brin-scan-misses-no-row).
   */
  static void restrict(Database db, Table t, Plan p, List<Eval.Row> rows) {
    BitSet blocks = heapBlocks(db, t, p);
    if (blocks == null) return;
    int before = rows.size();
    rows.removeIf(r -> !blocks.get(r.tid().block()));
    int missed = before - rows.size();
    db.point("pg.brin.scan", () -> t.name + ": lossy bitmap of " + blocks.cardinality() + " of " + t.pages.size()
        + " heap blocks, " + rows.size() + " rows" + (missed > 0 ? ", MISSED " + missed + " matching rows" : ""),
        "relation", t.name, "heapBlocks", blocks.cardinality(), "tableBlocks", t.pages.size(), "rows", rows.size(), "missed", missed);
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
