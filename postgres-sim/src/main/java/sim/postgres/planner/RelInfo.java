package sim.postgres.planner;

import java.util.List;

/**
 * The table as plancat.c's get_relation_info and estimate_rel_size hand it to the planner: the page count
 * now, the estimated tuples, the all-visible fraction, the column widths, and each B-tree index's size.
 */
public record RelInfo(String name, double pages, double tuples, double allVisFrac, List<IndexInfo> indexes,
    Selectivity.Columns columns, java.util.function.ToIntFunction<String> width, List<BrinCosts.BrinInfo> brins) {
  public RelInfo {
    indexes = List.copyOf(indexes);
    brins = List.copyOf(brins);
  }

  /** A table without BRIN indexes. */
  public RelInfo(String name, double pages, double tuples, double allVisFrac, List<IndexInfo> indexes,
      Selectivity.Columns columns, java.util.function.ToIntFunction<String> width) {
    this(name, pages, tuples, allVisFrac, indexes, columns, width, List.of());
  }

  /** IndexOptInfo: key columns in order, pages = RelationGetNumberOfBlocks, tree_height = _bt_getrootheight. */
  public record IndexInfo(String name, List<String> columns, boolean unique, double pages, double tuples, int treeHeight) {
    public IndexInfo {
      columns = List.copyOf(columns);
    }
  }
}
