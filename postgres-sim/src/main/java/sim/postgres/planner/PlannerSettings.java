package sim.postgres.planner;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The GUCs the planner reads, with PostgreSQL 15's defaults. {@code effectiveCacheSizePages} is
 * effective_cache_size (4GB) in 8 kB pages; {@code disabled} holds the enable_* settings turned off.
 */
public record PlannerSettings(double seqPageCost, double randomPageCost, double cpuTupleCost,
    double cpuIndexTupleCost, double cpuOperatorCost, double effectiveCacheSizePages, Set<String> disabled) {
  /** costsize.h's disable_cost, added to the startup cost of a path whose enable_* is off. */
  public static final double DISABLE_COST = 1.0e10;

  /** The enable_* settings modelled. */
  public static final List<String> ENABLE = List.of("enable_seqscan", "enable_indexscan", "enable_bitmapscan",
      "enable_indexonlyscan", "enable_nestloop", "enable_hashjoin", "enable_mergejoin", "enable_material", "enable_memoize",
      "enable_hashagg");

  public PlannerSettings {
    disabled = java.util.Collections.unmodifiableSet(new TreeSet<>(disabled));
  }

  public static PlannerSettings defaults() {
    return new PlannerSettings(1.0, 4.0, 0.01, 0.005, 0.0025, 4.0 * 1024 * 1024 * 1024 / 8192, Set.of());
  }

  /** A copy with one enable_* flag changed; null if the name is not one of them. */
  public PlannerSettings with(String name, boolean on) {
    if (!ENABLE.contains(name)) return null;
    Set<String> d = new TreeSet<>(disabled);
    if (on) d.remove(name);
    else d.add(name);
    return new PlannerSettings(seqPageCost, randomPageCost, cpuTupleCost, cpuIndexTupleCost, cpuOperatorCost,
        effectiveCacheSizePages, d);
  }

  private boolean on(String name) {
    return !disabled.contains(name);
  }

  public boolean enableSeqscan() {
    return on("enable_seqscan");
  }

  public boolean enableIndexscan() {
    return on("enable_indexscan");
  }

  public boolean enableBitmapscan() {
    return on("enable_bitmapscan");
  }

  public boolean enableIndexonlyscan() {
    return on("enable_indexonlyscan");
  }

  public boolean enableNestloop() {
    return on("enable_nestloop");
  }

  public boolean enableHashjoin() {
    return on("enable_hashjoin");
  }

  public boolean enableMergejoin() {
    return on("enable_mergejoin");
  }

  public boolean enableMemoize() {
    return on("enable_memoize");
  }

  public boolean enableHashagg() {
    return on("enable_hashagg");
  }

  public boolean enableMaterial() {
    return on("enable_material");
  }
}
