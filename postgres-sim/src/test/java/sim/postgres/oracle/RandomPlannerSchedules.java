package sim.postgres.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random planner schedules: a table of a few hundred to 25,000 rows built with generate_series (uniform,
 * scattered, clustered and skewed columns, some NULLs), up to three B-tree indexes, ANALYZE or VACUUM ANALYZE,
 * then EXPLAIN (COSTS OFF), EXPLAIN and the query itself for random conjunctions of {@code col op const}.
 * Up to three one-column indexes and maybe a two-column one, three conjuncts, so BitmapAnd is in play;
 * a column is never equated to two constants (PostgreSQL proves that false). Test-side only.
 */
final class RandomPlannerSchedules {
  private static final String[] OPS = {"=", "<", "<=", ">", ">=", "<>"};

  private RandomPlannerSchedules() {}

  static String generate(long seed) {
    Random rnd = new Random(seed);
    int n = 200 + rnd.nextInt(rnd.nextBoolean() ? 2_000 : 24_000);
    String table = "pl_rand";
    String[] exprs = new String[3];
    int[] ranges = new int[3];
    for (int c = 0; c < 3; c++) {
      int m = 2 + rnd.nextInt(rnd.nextBoolean() ? 50 : 5_000);
      ranges[c] = m;
      exprs[c] = switch (rnd.nextInt(4)) {
        case 0 -> "g % " + m;                                   // uniform, periodic
        case 1 -> "(g * 7919) % " + m;                          // scattered
        case 2 -> "g / " + Math.max(1, n / m);                  // clustered runs, correlated
        default -> "(g % " + m + ") * (g % 7) / 6";             // skewed towards small values
      };
    }
    List<String> lines = new ArrayList<>();
    lines.add("# random planner schedule, seed " + seed);
    lines.add("setup: drop table if exists " + table);
    lines.add("setup: create table " + table + " (id int, a int, b int, c int) with (autovacuum_enabled = false)");
    lines.add("setup: insert into " + table + " select g, " + String.join(", ", exprs) + " from generate_series(1, " + n + ") g");
    if (rnd.nextInt(3) == 0) {
      lines.add("setup: insert into " + table + " select g, null, " + exprs[1] + ", null from generate_series(" + (n + 1)
          + ", " + (n + 1 + rnd.nextInt(n / 5 + 1)) + ") g");
    }
    String[] cols = {"id", "a", "b", "c"};
    List<String> indexed = new ArrayList<>();
    for (String col : cols) {
      if (indexed.size() < 3 && rnd.nextInt(2) == 0) {
        lines.add("setup: create index " + table + "_" + col + " on " + table + " (" + col + ")");
        indexed.add(col);
      }
    }
    if (rnd.nextInt(3) == 0) { // a two-column index: btcostestimate's bound quals and 0.75 × correlation
      String first = cols[1 + rnd.nextInt(3)];
      String second = cols[rnd.nextInt(4)];
      if (!second.equals(first)) {
        lines.add("setup: create index " + table + "_" + first + "_" + second + " on " + table + " (" + first + ", " + second + ")");
      }
    }
    if (rnd.nextInt(4) == 0 && n > 300) lines.add("setup: delete from " + table + " where id % 5 = 0");
    // a fifth of the tables are never analyzed: estimate_rel_size's density guess and the default selectivities
    boolean analyzed = rnd.nextInt(5) > 0;
    if (analyzed) lines.add("T1: " + (rnd.nextBoolean() ? "vacuum analyze " : "analyze ") + table);
    for (int q = 0; q < 6; q++) {
      String where = predicate(rnd, cols, ranges, n, indexed);
      String list = rnd.nextInt(3) == 0 && !indexed.isEmpty() ? indexed.get(0) : "*";
      String sql = "select " + list + " from " + table + " where " + where;
      lines.add("T1: explain (costs off) " + sql);
      lines.add("T1: explain " + sql);
      if (analyzed && rnd.nextInt(3) == 0) lines.add("T1: " + sql); // unanalyzed: the executor keeps its old paths
    }
    return String.join("\n", lines) + "\n";
  }

  private static String predicate(Random rnd, String[] cols, int[] ranges, int n, List<String> indexed) {
    int conjuncts = 1 + rnd.nextInt(3);
    List<String> parts = new ArrayList<>();
    List<String> equated = new ArrayList<>(); // a second col = const would be a contradiction PostgreSQL proves false
    for (int i = 0; i < conjuncts; i++) {
      String col = cols[rnd.nextInt(cols.length)];
      int max = col.equals("id") ? n : ranges[col.charAt(0) - 'a'];
      int k = rnd.nextInt(max + 1);
      if (rnd.nextInt(6) == 0) {
        parts.add(col + " between " + k + " and " + (k + rnd.nextInt(max / 4 + 2)));
      } else {
        String op = OPS[rnd.nextInt(OPS.length)];
        if (op.equals("=") && equated.contains(col)) op = "<";
        if (op.equals("=")) equated.add(col);
        parts.add(col + " " + op + " " + k);
      }
    }
    return String.join(" and ", parts);
  }
}
