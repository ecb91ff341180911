package sim.cassandra.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import sim.cassandra.storage.SSTable;

/**
 * LeveledCompactionStrategy: flushed SSTables land in L0; once L0 holds {@code min_threshold} (4) they are
 * compacted with the overlapping L1 SSTables into L1. Level n may hold {@code fanout_size}^n ×
 * {@code sstable_size_in_mb} (10^n × 160 MiB); a level over its size has one SSTable (the oldest) merged
 * with the ones it overlaps in the next level. Outputs are split at {@code sstable_size_in_mb}, and SSTables
 * within a level (above L0) never overlap, so a read touches at most one per level.
 */
public final class LeveledCompactionStrategy implements CompactionStrategy {
  private final long sstableSizeBytes;
  private final int fanout;
  private final int l0Threshold;

  public LeveledCompactionStrategy() {
    this(160L << 20, 10, 4);
  }

  public LeveledCompactionStrategy(long sstableSizeBytes, int fanout, int l0Threshold) {
    this.sstableSizeBytes = sstableSizeBytes;
    this.fanout = fanout;
    this.l0Threshold = l0Threshold;
  }

  @Override
  public String name() {
    return "LeveledCompactionStrategy";
  }

  public long maxBytesForLevel(int level) {
    return (long) Math.pow(fanout, level) * sstableSizeBytes;
  }

  @Override
  public Optional<CompactionTask> next(List<SSTable> live, long nowInSec) {
    int maxLevel = 0;
    for (SSTable s : live) maxLevel = Math.max(maxLevel, s.stats().level());
    for (int level = maxLevel; level >= 1; level--) {
      List<SSTable> inLevel = level(live, level);
      long bytes = inLevel.stream().mapToLong(s -> s.stats().dataSizeBytes()).sum();
      if (bytes <= maxBytesForLevel(level)) continue;
      SSTable pick = inLevel.stream().min(Comparator.comparingInt(s -> s.descriptor().generation())).orElseThrow();
      return Optional.of(task(List.of(pick), level(live, level + 1), level + 1, "L" + level + " over " + maxBytesForLevel(level) + "B"));
    }
    List<SSTable> l0 = level(live, 0);
    if (l0.size() >= l0Threshold) return Optional.of(task(l0, level(live, 1), 1, l0.size() + " SSTables in L0"));
    return Optional.empty();
  }

  private Optional<CompactionTask> none() {
    return Optional.empty();
  }

  private CompactionTask task(List<SSTable> from, List<SSTable> next, int outputLevel, String reason) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (SSTable s : from) {
      min = Math.min(min, s.stats().minToken());
      max = Math.max(max, s.stats().maxToken());
    }
    List<Integer> gens = new ArrayList<>();
    for (SSTable s : from) gens.add(s.descriptor().generation());
    for (SSTable s : next) if (s.stats().minToken() <= max && min <= s.stats().maxToken()) gens.add(s.descriptor().generation());
    return new CompactionTask(name(), gens, outputLevel, sstableSizeBytes, reason);
  }

  private static List<SSTable> level(List<SSTable> live, int level) {
    List<SSTable> out = new ArrayList<>();
    for (SSTable s : live) if (s.stats().level() == level) out.add(s);
    return out;
  }
}
