package sim.postgres.planner;

/**
 * The other side of a join clause as a restriction on one relation sees it: a Var of another relation
 * ({@code a.x} in {@code b.y = a.x}), a PARAM_EXEC for a parameterized inner scan. Deparsed qualified.
 */
public record Param(String table, String column) {
  @Override
  public String toString() {
    return table + "." + column;
  }
}
