package sim.cassandra.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import sim.cassandra.storage.SSTable;

/**
 * TimeWindowCompactionStrategy: SSTables are grouped by the time window ({@code compaction_window_unit}
 * DAYS × {@code compaction_window_size} 1) their newest write falls in. The current window is compacted
 * size-tiered; each older window is compacted once into a single SSTable and then left alone, so
 * time-series data expires window by window.
 */
public final class TimeWindowCompactionStrategy implements CompactionStrategy {
  private final long windowMicros;
  private final SizeTieredCompactionStrategy current;

  public TimeWindowCompactionStrategy() {
    this(86_400L * 1_000_000L, new SizeTieredCompactionStrategy());
  }

  public TimeWindowCompactionStrategy(long windowMicros, SizeTieredCompactionStrategy current) {
    this.windowMicros = windowMicros;
    this.current = current;
  }

  @Override
  public String name() {
    return "TimeWindowCompactionStrategy";
  }

  @Override
  public Optional<CompactionTask> next(List<SSTable> live, long nowInSec) {
    TreeMap<Long, List<SSTable>> windows = new TreeMap<>();
    for (SSTable s : live) windows.computeIfAbsent(Math.floorDiv(s.stats().maxTimestamp(), windowMicros), k -> new ArrayList<>()).add(s);
    if (windows.isEmpty()) return Optional.empty();
    long newest = windows.lastKey();
    Optional<CompactionTask> now = current.next(windows.get(newest), nowInSec)
        .map(t -> new CompactionTask(name(), t.generations(), 0, Long.MAX_VALUE, "current window: " + t.reason()));
    if (now.isPresent()) return now;
    for (var e : windows.headMap(newest, false).entrySet()) {
      if (e.getValue().size() < 2) continue;
      List<Integer> gens = new ArrayList<>();
      for (SSTable s : e.getValue()) gens.add(s.descriptor().generation());
      return Optional.of(new CompactionTask(name(), gens, 0, Long.MAX_VALUE, "window " + e.getKey() + " is closed: compact it into one"));
    }
    return Optional.empty();
  }
}
