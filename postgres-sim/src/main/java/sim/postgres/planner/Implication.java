package sim.postgres.planner;

import java.util.Comparator;
import java.util.List;

/**
 * predtest.c's operator_predicate_proof for B-tree operators on one column, as create_indexscan_plan and
 * create_bitmap_scan_plan use it: a qual that some index condition proves (e.g. {@code id <> 1663} under
 * {@code id <= 1381}) is dropped from the Filter. Proof is over a total order, not over integers: {@code x < 5}
 * does not prove {@code x <= 4}, as BT_implic_table does not.
 */
final class Implication {
  private Implication() {}

  /** Whether any one of the conditions alone implies pred (an AND implies an atom if one of its items does). */
  static boolean impliedByAny(Qual pred, List<Qual> conditions, Comparator<Object> order) {
    return conditions.stream().anyMatch(c -> implies(c, pred, order));
  }

  static boolean implies(Qual clause, Qual pred, Comparator<Object> order) {
    if (!clause.column().equals(pred.column()) || clause.isBoolTest() || pred.isBoolTest()) return false;
    int c = order.compare(clause.constant(), pred.constant()); // clause const vs pred const
    return switch (clause.op()) {
      case "=" -> satisfies(c, pred.op());
      case "<" -> switch (pred.op()) {
        case "<", "<=" -> c <= 0;
        case "<>" -> c <= 0;
        default -> false;
      };
      case "<=" -> switch (pred.op()) {
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case "<>" -> c < 0;
        default -> false;
      };
      case ">" -> switch (pred.op()) {
        case ">", ">=" -> c >= 0;
        case "<>" -> c >= 0;
        default -> false;
      };
      case ">=" -> switch (pred.op()) {
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<>" -> c > 0;
        default -> false;
      };
      case "<>" -> pred.op().equals("<>") && c == 0;
      default -> false;
    };
  }

  /** Whether clause's constant k satisfies {@code k op predConst}, given c = compare(k, predConst). */
  private static boolean satisfies(int c, String op) {
    return switch (op) {
      case "=" -> c == 0;
      case "<>" -> c != 0;
      case "<" -> c < 0;
      case "<=" -> c <= 0;
      case ">" -> c > 0;
      default -> c >= 0;
    };
  }
}
