package sim.core.fault;

/** A fault plan that does not parse: says where (1-based column in the plan text) and what was expected. */
public final class FaultPlanSyntaxException extends InvalidFaultPlanException {
  private final int column;

  public FaultPlanSyntaxException(String plan, int column, String problem) {
    super("fault plan, column " + column + ": " + problem + "\n  " + plan.replace('\n', ' ') + "\n  "
        + " ".repeat(Math.max(0, column - 1)) + "^");
    this.column = column;
  }

  public int column() {
    return column;
  }
}
