package sim.postgres.planner;

import java.util.List;

/**
 * A scan plan for one table. A bitmap scan has one Bitmap Index Scan in {@code bitmapIndexes}, or several
 * under a BitmapAnd ({@code bitmapAndCost}/{@code bitmapAndRows} its node's cost and rows); its
 * {@code indexQuals} are the heap node's Recheck Cond. {@code filter} holds the quals no index condition covers.
 */
public record Plan(Kind kind, String table, String index, List<Qual> indexQuals, List<Qual> filter,
    double startupCost, double totalCost, double rows, int width, List<BitmapIndex> bitmapIndexes,
    double bitmapAndCost, double bitmapAndRows, boolean backward, Upper sort, String sortKey, Upper limit) {
  /** A node above the scan (Sort, Limit): its costs and rows; its width is the scan's. */
  public record Upper(double startupCost, double totalCost, double rows) {}

  public Plan(Kind kind, String table, String index, List<Qual> indexQuals, List<Qual> filter, double startupCost,
      double totalCost, double rows, int width, List<BitmapIndex> bitmapIndexes, double bitmapAndCost,
      double bitmapAndRows) {
    this(kind, table, index, indexQuals, filter, startupCost, totalCost, rows, width, bitmapIndexes, bitmapAndCost,
        bitmapAndRows, false, null, null, null);
  }

  Plan backwardScan() {
    return new Plan(kind, table, index, indexQuals, filter, startupCost, totalCost, rows, width, bitmapIndexes,
        bitmapAndCost, bitmapAndRows, true, sort, sortKey, limit);
  }

  Plan withSort(Upper s, String key) {
    return new Plan(kind, table, index, indexQuals, filter, startupCost, totalCost, rows, width, bitmapIndexes,
        bitmapAndCost, bitmapAndRows, backward, s, key, limit);
  }

  Plan withLimit(Upper l) {
    return new Plan(kind, table, index, indexQuals, filter, startupCost, totalCost, rows, width, bitmapIndexes,
        bitmapAndCost, bitmapAndRows, backward, sort, sortKey, l);
  }

  /** The top node's costs: the Limit's, else the Sort's, else the scan's. */
  public Costs.Cost topCost() {
    if (limit != null) return new Costs.Cost(limit.startupCost(), limit.totalCost());
    if (sort != null) return new Costs.Cost(sort.startupCost(), sort.totalCost());
    return new Costs.Cost(startupCost, totalCost);
  }

  public enum Kind {
    SEQ_SCAN("Seq Scan"), INDEX_SCAN("Index Scan"), INDEX_ONLY_SCAN("Index Only Scan"), BITMAP_HEAP_SCAN("Bitmap Heap Scan");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** A Bitmap Index Scan node: startup 0, total the index path's indextotalcost, width 0. */
  public record BitmapIndex(String index, List<Qual> quals, double totalCost, double rows) {
    public BitmapIndex {
      quals = List.copyOf(quals);
    }
  }

  public Plan {
    indexQuals = List.copyOf(indexQuals);
    filter = List.copyOf(filter);
    bitmapIndexes = List.copyOf(bitmapIndexes);
  }

  static Plan scan(Kind kind, String table, String index, List<Qual> indexQuals, List<Qual> filter, Costs.Cost cost,
      double rows, int width) {
    return new Plan(kind, table, index, indexQuals, filter, cost.startup(), cost.total(), rows, width, List.of(), 0, 0);
  }
}
