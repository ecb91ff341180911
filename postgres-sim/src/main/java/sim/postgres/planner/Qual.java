package sim.postgres.planner;

/**
 * A restriction clause {@code column op constant} (op one of =, <>, <, <=, >, >=), the var on the left as
 * the parser normalises it. {@code text} is how EXPLAIN deparses it, e.g. {@code (a < 100)}.
 */
public record Qual(String column, String op, Object constant) {
  /** {@code f = true} / {@code f = false} after simplify_boolean_equality: the Var itself or NOT it, costing nothing. */
  public boolean isBoolTest() {
    return constant instanceof Boolean && op.equals("=");
  }

  public boolean isInequality() {
    return op.equals("<") || op.equals("<=") || op.equals(">") || op.equals(">=");
  }

  /** The operator seen from the other side ({@code 5 < a} is {@code a > 5}). */
  public static String commute(String op) {
    return switch (op) {
      case "<" -> ">";
      case "<=" -> ">=";
      case ">" -> "<";
      case ">=" -> "<=";
      default -> op;
    };
  }
}
