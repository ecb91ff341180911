package sim.cassandra.compaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import sim.cassandra.storage.SSTable;

/**
 * Cassandra 5.0's UnifiedCompactionStrategy, in its tiered form ({@code scaling_parameters: T4}, the
 * default): SSTables are assigned levels by size, level i holding sizes in [m·f^i, m·f^(i+1)) with fanout
 * f = 4 and m = {@code min_sstable_size} (100 MiB); a level with at least t = 4 SSTables is compacted
 * into one. (Real UCS also shards its output by token ranges, {@code base_shard_count} 4 and
 * {@code target_sstable_size} 1 GiB, and with negative W behaves leveled; neither is modelled.)
 */
public final class UnifiedCompactionStrategy implements CompactionStrategy {
  private final int fanout;
  private final int threshold;
  private final long minSSTableSizeBytes;

  public UnifiedCompactionStrategy() {
    this(4, 4, 100L << 20);
  }

  public UnifiedCompactionStrategy(int fanout, int threshold, long minSSTableSizeBytes) {
    this.fanout = fanout;
    this.threshold = threshold;
    this.minSSTableSizeBytes = minSSTableSizeBytes;
  }

  @Override
  public String name() {
    return "UnifiedCompactionStrategy";
  }

  public int levelOf(long sizeBytes) {
    double r = Math.max(1.0, (double) sizeBytes / minSSTableSizeBytes);
    return (int) Math.floor(Math.log(r) / Math.log(fanout));
  }

  @Override
  public Optional<CompactionTask> next(List<SSTable> live, long nowInSec) {
    TreeMap<Integer, List<SSTable>> levels = new TreeMap<>();
    for (SSTable s : live) levels.computeIfAbsent(levelOf(s.stats().dataSizeBytes()), k -> new ArrayList<>()).add(s);
    for (var e : levels.entrySet()) {
      if (e.getValue().size() < threshold) continue;
      List<Integer> gens = new ArrayList<>();
      for (SSTable s : e.getValue()) gens.add(s.descriptor().generation());
      return Optional.of(new CompactionTask(name(), gens, 0, Long.MAX_VALUE, e.getValue().size() + " SSTables in level " + e.getKey()));
    }
    return Optional.empty();
  }
}
