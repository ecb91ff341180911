package sim.postgres.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random aggregate schedules: a table of 5 to 20,000 rows with few-valued, many-valued, skewed and boolean
 * grouping columns, some NULLs, indexes on a grouping column, on two of them or on neither, ANALYZE or VACUUM
 * ANALYZE; then EXPLAIN (COSTS OFF), EXPLAIN and the rows (ordered on every output column) of aggregate queries
 * with zero to two GROUP BY columns, zero or two restrictions, sometimes a HAVING and sometimes enable_hashagg
 * off. What the model refuses is not generated: a GROUP BY whose first column only an index leads (PostgreSQL
 * adds an Incremental Sort) and min/max without GROUP BY over an indexed column (an InitPlan). Test-side only.
 */
final class RandomAggregateSchedules {
  private static final String[] AGGS = {"count(*)", "count(v)", "sum(v)", "avg(v)", "min(v)", "max(x)", "sum(x)",
      "avg(x)", "min(s)", "max(v)"};

  private RandomAggregateSchedules() {}

  static String generate(long seed) {
    Random rnd = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add("# random aggregate schedule, seed " + seed);
    int n = switch (rnd.nextInt(3)) {
      case 0 -> 5 + rnd.nextInt(60);
      case 1 -> 100 + rnd.nextInt(2_000);
      default -> 2_000 + rnd.nextInt(18_000);
    };
    int m = 2 + rnd.nextInt(rnd.nextBoolean() ? 30 : 3_000);
    String g = switch (rnd.nextInt(4)) {
      case 0 -> "i";
      case 1 -> "i % " + m;
      case 2 -> "(i * 7919) % " + m;
      default -> "(i % " + m + ") * (i % 7) / 6";
    };
    String h = "i % " + (2 + rnd.nextInt(rnd.nextBoolean() ? 10 : 500));
    lines.add("setup: drop table if exists ar_t");
    lines.add("setup: create table ar_t (id int, g int, h int, v int, x bigint, f boolean, s text) with (autovacuum_enabled = false)");
    lines.add("setup: insert into ar_t select i, " + g + ", " + h + ", i % " + (1 + rnd.nextInt(1000)) + ", i * "
        + (1 + rnd.nextInt(5)) + ", i % 3 = 0, 's' || (i % " + (1 + rnd.nextInt(40)) + ") from generate_series(1, " + n + ") i");
    if (rnd.nextInt(4) == 0) lines.add("setup: insert into ar_t select i, null, null, null, null, null, null from generate_series(" + (n + 1) + ", " + (n + 1 + n / 10) + ") i");
    int index = rnd.nextInt(4); // 0 none, 1 on g, 2 on (g, h), 3 on id
    if (index == 1) lines.add("setup: create index ar_t_g on ar_t (g)");
    if (index == 2) lines.add("setup: create index ar_t_gh on ar_t (g, h)");
    if (index == 3) lines.add("setup: create index ar_t_id on ar_t (id)");
    lines.add(rnd.nextBoolean() ? "T1: vacuum analyze ar_t" : "T1: analyze ar_t");
    for (int q = 0; q < 5; q++) {
      boolean off = rnd.nextInt(4) == 0;
      if (off) lines.add("T1: set enable_hashagg = off");
      List<String> keys = switch (rnd.nextInt(6)) {
        case 0 -> List.of();
        case 1, 2 -> List.of(rnd.nextBoolean() ? "g" : "h");
        case 3 -> List.of(rnd.nextBoolean() ? "f" : "s");
        case 4 -> index == 1 ? List.of("h", "g") : List.of("g", "h");
        default -> List.of("f", "h");
      };
      List<String> aggs = new ArrayList<>();
      int count = 1 + rnd.nextInt(3);
      for (int i = 0; i < count; i++) aggs.add(AGGS[rnd.nextInt(AGGS.length)]);
      List<String> where = new ArrayList<>();
      for (int i = rnd.nextInt(3); i > 0; i--) {
        where.add(rnd.nextBoolean() ? "id " + (rnd.nextBoolean() ? "<" : ">") + " " + rnd.nextInt(n + 1)
            : "v " + (rnd.nextBoolean() ? "<" : ">=") + " " + rnd.nextInt(1000));
      }
      String having = switch (rnd.nextInt(4)) {
        case 0 -> " having count(*) > " + rnd.nextInt(20);
        case 1 -> " having sum(v) < " + rnd.nextInt(100_000);
        default -> "";
      };
      List<String> list = new ArrayList<>(keys);
      list.addAll(aggs);
      String sql = "select " + String.join(", ", list) + " from ar_t"
          + (where.isEmpty() ? "" : " where " + String.join(" and ", where))
          + (keys.isEmpty() ? "" : " group by " + String.join(", ", keys)) + having;
      lines.add("T1: explain (costs off) " + sql);
      lines.add("T1: explain " + sql);
      List<String> order = new ArrayList<>();
      for (int i = 1; i <= list.size(); i++) order.add(Integer.toString(i));
      lines.add("T1: " + sql + " order by " + String.join(", ", order) + " limit 30");
      if (off) lines.add("T1: set enable_hashagg = on");
    }
    return String.join("\n", lines) + "\n";
  }
}
