package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * BRIN in the planner: a BRIN index has no amgettuple, so it only ever feeds a Bitmap Heap Scan
 * (build_index_paths adds it to the bitmap candidates alone), costed by brincostestimate: the selectivity is
 * the share of block ranges the scan will read, not of rows, and it depends on the column's correlation.
 */
public final class BrinCosts {
  private BrinCosts() {}

  /**
   * IndexOptInfo of a BRIN index plus brinGetStats: its pages, pages_per_range and revmap pages (lastRevmapPage);
   * {@code newerBtrees} is how many of the table's B-trees are newer, its place in get_relation_info's index list.
   */
  public record BrinInfo(String name, String column, double pages, int pagesPerRange, int revmapPages, int newerBtrees) {}

  /**
   * The bitmap candidates of the BRIN indexes that come right before the B-tree at {@code position} of the
   * (newest first) index list, or after all of them: one per index with a usable {@code col op const} clause.
   */
  static List<BitmapChoice.Leaf> leaves(RelInfo rel, List<Qual> quals, PlannerSettings s, int position) {
    List<BitmapChoice.Leaf> out = new ArrayList<>();
    for (BrinInfo b : rel.brins()) {
      if (b.newerBtrees() != position) continue;
      RelInfo.IndexInfo ix = new RelInfo.IndexInfo(b.name(), List.of(b.column()), false, b.pages(), rel.tuples(), 0);
      List<Qual> indexQuals = Planner.indexQuals(ix, quals);
      if (indexQuals.isEmpty()) continue;
      out.add(new BitmapChoice.Leaf(ix, indexQuals, estimate(rel, b, indexQuals, s)));
    }
    return out;
  }

  /**
   * brincostestimate: ranges = ⌈heap pages / pages_per_range⌉; the fewest ranges the quals could match,
   * ⌈ranges × selectivity⌉, divided by |correlation| (all ranges when it is 0) is what the scan reads. The
   * whole index is read at random_page_cost (measured on 15.18: the total follows random_page_cost × all the
   * index's pages and does not move with seq_page_cost, so the revmap gets no sequential discount), plus
   * 0.1 cpu_operator_cost per heap page of each matching range for the bitmap. The constants' eval cost is 0.
   */
  static Costs.IndexPath estimate(RelInfo rel, BrinInfo b, List<Qual> indexQuals, PlannerSettings s) {
    double indexRanges = Math.max(Math.ceil(rel.pages() / b.pagesPerRange()), 1.0);
    double correlation = 0;
    ColumnStats st = rel.columns().var(b.column()).stats();
    if (st != null && st.correlation() != null) correlation = Math.abs((double) st.correlation());
    double qualSelectivity = Selectivity.clauselist(indexQuals, rel.columns());
    double minimalRanges = Math.ceil(indexRanges * qualSelectivity);
    double estimatedRanges = correlation < 1.0e-10 ? indexRanges : Math.min(minimalRanges / correlation, indexRanges);
    double selec = Math.max(0.0, Math.min(1.0, estimatedRanges / indexRanges));
    double startup = s.seqPageCost() * b.revmapPages();
    double total = s.randomPageCost() * b.pages() + 0.1 * s.cpuOperatorCost() * estimatedRanges * b.pagesPerRange();
    return new Costs.IndexPath(new Costs.Cost(startup, total), total, selec);
  }
}
