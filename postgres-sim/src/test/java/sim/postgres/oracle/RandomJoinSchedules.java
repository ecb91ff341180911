package sim.postgres.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random two-table join schedules: tables of 5 to 20,000 rows whose join columns are distinct, periodic,
 * scattered or skewed (so MCV lists, eqjoinsel's matching and the hash bucket skew are in play), some NULLs,
 * non-unique indexes on the join columns or not, ANALYZE; then EXPLAIN (COSTS OFF), EXPLAIN and the rows
 * (ordered on every output column) of joins with zero to two restrictions, sometimes with a join method
 * turned off. Test-side only.
 */
final class RandomJoinSchedules {
  private static final String[] OPS = {"=", "<", ">", "<>"};
  private static final String[] SETTINGS = {"enable_hashjoin", "enable_mergejoin", "enable_nestloop", "enable_material"};

  private RandomJoinSchedules() {}

  static String generate(long seed) {
    Random rnd = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add("# random join schedule, seed " + seed);
    int[] sizes = new int[2];
    String[] names = {"jr_l", "jr_r"};
    for (int t = 0; t < 2; t++) {
      int n = switch (rnd.nextInt(3)) {
        case 0 -> 5 + rnd.nextInt(60);
        case 1 -> 100 + rnd.nextInt(2_000);
        default -> 2_000 + rnd.nextInt(18_000);
      };
      sizes[t] = n;
      int m = 2 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3_000);
      String key = switch (rnd.nextInt(4)) {
        case 0 -> "g";                                  // distinct, correlated
        case 1 -> "g % " + m;                           // periodic
        case 2 -> "(g * 7919) % " + m;                  // scattered
        default -> "(g % " + m + ") * (g % 7) / 6";     // skewed
      };
      String other = "g % " + (2 + rnd.nextInt(20));
      lines.add("setup: drop table if exists " + names[t]);
      lines.add("setup: create table " + names[t] + " (id int, k int, v int) with (autovacuum_enabled = false)");
      lines.add("setup: insert into " + names[t] + " select g, " + key + ", " + other + " from generate_series(1, " + n + ") g");
      if (rnd.nextInt(4) == 0) {
        lines.add("setup: insert into " + names[t] + " select g, null, 1 from generate_series(" + (n + 1) + ", " + (n + 1 + n / 10) + ") g");
      }
      if (rnd.nextInt(3) > 0) lines.add("setup: create index " + names[t] + "_k on " + names[t] + " (k)");
      if (rnd.nextInt(3) == 0) lines.add("setup: create index " + names[t] + "_id on " + names[t] + " (id)");
    }
    lines.add("T1: analyze jr_l");
    lines.add("T1: analyze jr_r");
    for (int q = 0; q < 5; q++) {
      String setting = rnd.nextInt(4) == 0 ? SETTINGS[rnd.nextInt(SETTINGS.length)] : null;
      if (setting != null) lines.add("T1: set " + setting + " = off");
      List<String> where = new ArrayList<>();
      int restrictions = rnd.nextInt(3);
      for (int i = 0; i < restrictions; i++) {
        int t = rnd.nextInt(2);
        String col = rnd.nextBoolean() ? "id" : "v";
        int k = col.equals("id") ? rnd.nextInt(sizes[t] + 1) : rnd.nextInt(20);
        String op = OPS[rnd.nextInt(OPS.length)];
        if (op.equals("=") && col.equals("id")) op = "<";
        if (op.equals("=") && where.stream().anyMatch(w -> w.startsWith(names[t] + "." + col + " ="))) op = ">"; // no contradiction
        where.add(names[t] + "." + col + " " + op + " " + k);
      }
      String list = switch (rnd.nextInt(3)) {
        case 0 -> "*";
        case 1 -> "jr_l.id, jr_r.id";
        default -> "jr_l.v, jr_r.k";
      };
      String sql = rnd.nextBoolean()
          ? "select " + list + " from jr_l join jr_r on jr_l.k = jr_r.k" + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
          : "select " + list + " from jr_l, jr_r where jr_r.k = jr_l.k" + (where.isEmpty() ? "" : " and " + String.join(" and ", where));
      lines.add("T1: explain (costs off) " + sql);
      lines.add("T1: explain " + sql);
      if (rnd.nextInt(3) == 0 && Math.min(sizes[0], sizes[1]) < 200) { // small results: the server answers at once
        String order = list.equals("*") ? "1, 2, 3, 4, 5, 6" : "1, 2";
        lines.add("T1: " + sql + " order by " + order + " limit 20");
      }
      if (setting != null) lines.add("T1: set " + setting + " = on");
    }
    return String.join("\n", lines) + "\n";
  }
}
