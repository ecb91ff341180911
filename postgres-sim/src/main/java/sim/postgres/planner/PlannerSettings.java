package sim.postgres.planner;

/**
 * The GUCs the planner reads, with PostgreSQL 15's defaults. {@code effectiveCacheSizePages} is
 * effective_cache_size (4GB) in 8 kB pages.
 */
public record PlannerSettings(double seqPageCost, double randomPageCost, double cpuTupleCost,
    double cpuIndexTupleCost, double cpuOperatorCost, double effectiveCacheSizePages, boolean enableSeqscan,
    boolean enableIndexscan, boolean enableBitmapscan, boolean enableIndexonlyscan) {
  /** costsize.h's disable_cost, added to the startup cost of a path whose enable_* is off. */
  public static final double DISABLE_COST = 1.0e10;

  public static PlannerSettings defaults() {
    return new PlannerSettings(1.0, 4.0, 0.01, 0.005, 0.0025, 4.0 * 1024 * 1024 * 1024 / 8192, true, true, true, true);
  }

  /** A copy with one enable_* flag changed; null if the name is not one of them. */
  public PlannerSettings with(String name, boolean on) {
    return switch (name) {
      case "enable_seqscan" -> new PlannerSettings(seqPageCost, randomPageCost, cpuTupleCost, cpuIndexTupleCost,
          cpuOperatorCost, effectiveCacheSizePages, on, enableIndexscan, enableBitmapscan, enableIndexonlyscan);
      case "enable_indexscan" -> new PlannerSettings(seqPageCost, randomPageCost, cpuTupleCost, cpuIndexTupleCost,
          cpuOperatorCost, effectiveCacheSizePages, enableSeqscan, on, enableBitmapscan, enableIndexonlyscan);
      case "enable_bitmapscan" -> new PlannerSettings(seqPageCost, randomPageCost, cpuTupleCost, cpuIndexTupleCost,
          cpuOperatorCost, effectiveCacheSizePages, enableSeqscan, enableIndexscan, on, enableIndexonlyscan);
      case "enable_indexonlyscan" -> new PlannerSettings(seqPageCost, randomPageCost, cpuTupleCost, cpuIndexTupleCost,
          cpuOperatorCost, effectiveCacheSizePages, enableSeqscan, enableIndexscan, enableBitmapscan, on);
      default -> null;
    };
  }
}
