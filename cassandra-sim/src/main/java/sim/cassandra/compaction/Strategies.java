package sim.cassandra.compaction;

import sim.cassandra.schema.TableMetadata;

/** The strategy a table's {@code compaction = {'class': …}} names. */
public final class Strategies {
  private Strategies() {}

  public static CompactionStrategy forTable(TableMetadata t) {
    return byName(t.compaction());
  }

  public static CompactionStrategy byName(String name) {
    return switch (name) {
      case "LeveledCompactionStrategy" -> new LeveledCompactionStrategy();
      case "TimeWindowCompactionStrategy" -> new TimeWindowCompactionStrategy();
      case "UnifiedCompactionStrategy" -> new UnifiedCompactionStrategy();
      default -> new SizeTieredCompactionStrategy();
    };
  }
}
