package sim.postgres.planner;

import java.util.ArrayList;
import java.util.List;

/**
 * explain.c's text format for the scan plans: the node line with
 * {@code (cost=%.2f..%.2f rows=%.0f width=%d)} unless COSTS OFF, then its conditions indented under it
 * (Index Cond, Recheck Cond, Filter), a child node after {@code ->}. Conditions deparse as ruleutils.c
 * prints them: {@code (a < 100)}, several ANDed as {@code ((a >= 10) AND (a <= 20))}.
 */
public final class Explain {
  private Explain() {}

  /** The plan's text: a Limit over a Sort over the scan, each present or not, a child after {@code ->}. */
  public static List<String> text(Plan p, boolean costs) {
    List<String> out = scan(p, costs, "");
    if (p.sort() != null) {
      List<String> sort = new ArrayList<>();
      sort.add("Sort" + cost(costs, p.sort().startupCost(), p.sort().totalCost(), p.sort().rows(), p.width()));
      sort.add("  Sort Key: " + p.sortKey());
      out = nest(sort, out);
    }
    if (p.limit() != null) {
      out = nest(List.of("Limit" + cost(costs, p.limit().startupCost(), p.limit().totalCost(), p.limit().rows(), p.width())), out);
    }
    return out;
  }

  /** explain.c's indentation: the child's first line after {@code "  ->  "}, the rest six spaces further in. */
  static List<String> nest(List<String> parent, List<String> child) {
    List<String> out = new ArrayList<>(parent);
    for (int i = 0; i < child.size(); i++) out.add((i == 0 ? "  ->  " : "      ") + child.get(i));
    return out;
  }

  /** A scan node; {@code prefix} qualifies its columns ({@code "a."}) when the query has several relations. */
  static List<String> scan(Plan p, boolean costs, String prefix) {
    List<String> out = new ArrayList<>();
    String head = switch (p.kind()) {
      case SEQ_SCAN -> "Seq Scan on " + p.table();
      case INDEX_SCAN, INDEX_ONLY_SCAN -> p.kind().label + (p.backward() ? " Backward" : "") + " using " + p.index()
          + " on " + p.table();
      case BITMAP_HEAP_SCAN -> "Bitmap Heap Scan on " + p.table();
    };
    out.add(head + cost(costs, p.startupCost(), p.totalCost(), p.rows(), p.width()));
    switch (p.kind()) {
      case SEQ_SCAN -> condition(out, "  ", "Filter", p.filter(), prefix);
      case INDEX_SCAN, INDEX_ONLY_SCAN -> {
        condition(out, "  ", "Index Cond", p.indexQuals(), prefix);
        condition(out, "  ", "Filter", p.filter(), prefix);
      }
      case BITMAP_HEAP_SCAN -> {
        condition(out, "  ", "Recheck Cond", p.indexQuals(), prefix);
        condition(out, "  ", "Filter", p.filter(), prefix);
        String indent = "  ";
        if (p.bitmapIndexes().size() > 1) {
          out.add("  ->  BitmapAnd" + cost(costs, p.bitmapAndCost(), p.bitmapAndCost(), p.bitmapAndRows(), 0));
          indent = "        ";
        }
        for (Plan.BitmapIndex b : p.bitmapIndexes()) {
          out.add(indent + "->  Bitmap Index Scan on " + b.index() + cost(costs, 0, b.totalCost(), b.rows(), 0));
          condition(out, indent + "      ", "Index Cond", b.quals(), prefix);
        }
      }
    }
    return out;
  }

  static String cost(boolean costs, double startup, double total, double rows, int width) {
    if (!costs) return "";
    return "  (cost=" + PgText.fixed(startup, 2) + ".." + PgText.fixed(total, 2) + " rows=" + PgText.fixed(rows, 0)
        + " width=" + width + ")";
  }

  private static void condition(List<String> out, String indent, String label, List<Qual> quals, String prefix) {
    if (quals.isEmpty()) return;
    out.add(indent + label + ": " + deparse(quals, prefix));
  }

  static String deparse(List<Qual> quals) {
    return deparse(quals, "");
  }

  static String deparse(List<Qual> quals, String prefix) {
    if (quals.size() == 1) return deparse(quals.get(0), prefix);
    List<String> parts = new ArrayList<>();
    for (Qual q : quals) parts.add(deparse(q, prefix));
    return "(" + String.join(" AND ", parts) + ")";
  }

  static String deparse(Qual q) {
    return deparse(q, "");
  }

  static String deparse(Qual q, String prefix) {
    String col = prefix + q.column();
    if (q.isBoolTest()) return (Boolean) q.constant() ? col : "(NOT " + col + ")";
    return "(" + col + " " + q.op() + " " + constant(q.constant()) + ")";
  }

  /** get_const_expr: non-negative int4 plain, negative ones and int8 quoted with a cast, text as a literal. */
  static String constant(Object v) {
    if (v instanceof Param p) return p.toString();
    if (v instanceof Long n) {
      boolean int4 = n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE;
      if (int4 && n >= 0) return Long.toString(n);
      return "'" + n + "'::" + (int4 ? "integer" : "bigint");
    }
    if (v instanceof Boolean b) return b.toString();
    return "'" + v.toString().replace("'", "''") + "'::text";
  }
}
