package sim.postgres.planner;

import java.util.List;

/**
 * A scan plan for one table. For a bitmap scan {@code bitmapIndexCost}/{@code bitmapIndexRows} are the
 * Bitmap Index Scan node's total cost and rows; {@code recheck} the heap node's Recheck Cond (the index quals)
 * and {@code filter} the quals no index condition covers.
 */
public record Plan(Kind kind, String table, String index, List<Qual> indexQuals, List<Qual> filter,
    double startupCost, double totalCost, double rows, int width, double bitmapIndexCost, double bitmapIndexRows) {
  public enum Kind {
    SEQ_SCAN("Seq Scan"), INDEX_SCAN("Index Scan"), INDEX_ONLY_SCAN("Index Only Scan"), BITMAP_HEAP_SCAN("Bitmap Heap Scan");

    public final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  public Plan {
    indexQuals = List.copyOf(indexQuals);
    filter = List.copyOf(filter);
  }
}
