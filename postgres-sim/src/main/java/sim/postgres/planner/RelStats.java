package sim.postgres.planner;

import java.util.Map;
import java.util.TreeMap;

/**
 * What ANALYZE (or VACUUM) left in pg_class and pg_statistic for one table: relpages, reltuples,
 * relallvisible and the per-column statistics by column name (sorted, so iteration is deterministic).
 */
public record RelStats(int relPages, double relTuples, int relAllVisible, Map<String, ColumnStats> columns) {
  public RelStats {
    columns = new TreeMap<>(columns);
  }
}
