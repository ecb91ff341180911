package sim.cassandra.compaction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import sim.cassandra.storage.SSTable;

/**
 * SizeTieredCompactionStrategy with its defaults: SSTables are bucketed by size (an SSTable joins a bucket
 * whose average size it is within {@code bucket_low} 0.5 … {@code bucket_high} 1.5 of; everything below
 * {@code min_sstable_size} 50 MiB shares one bucket), and the first bucket with at least
 * {@code min_threshold} 4 SSTables is compacted, at most {@code max_threshold} 32 of them, the bucket
 * with the most SSTables (then the smallest) first.
 */
public final class SizeTieredCompactionStrategy implements CompactionStrategy {
  private final int minThreshold;
  private final int maxThreshold;
  private final double bucketLow;
  private final double bucketHigh;
  private final long minSSTableSizeBytes;

  public SizeTieredCompactionStrategy() {
    this(4, 32, 0.5, 1.5, 50L << 20);
  }

  public SizeTieredCompactionStrategy(int minThreshold, int maxThreshold, double bucketLow, double bucketHigh, long minSSTableSizeBytes) {
    this.minThreshold = minThreshold;
    this.maxThreshold = maxThreshold;
    this.bucketLow = bucketLow;
    this.bucketHigh = bucketHigh;
    this.minSSTableSizeBytes = minSSTableSizeBytes;
  }

  @Override
  public String name() {
    return "SizeTieredCompactionStrategy";
  }

  /** {@code SizeTieredCompactionStrategy.getBuckets}: sorted by size, each joins the first bucket it fits. */
  public List<List<SSTable>> buckets(List<SSTable> live) {
    List<SSTable> sorted = new ArrayList<>(live);
    sorted.sort(Comparator.comparingLong((SSTable s) -> s.stats().dataSizeBytes()).thenComparingInt(s -> s.descriptor().generation()));
    List<List<SSTable>> buckets = new ArrayList<>();
    List<Double> averages = new ArrayList<>();
    for (SSTable s : sorted) {
      long size = s.stats().dataSizeBytes();
      boolean placed = false;
      for (int i = 0; i < buckets.size(); i++) {
        double avg = averages.get(i);
        if ((size > avg * bucketLow && size < avg * bucketHigh) || (size < minSSTableSizeBytes && avg < minSSTableSizeBytes)) {
          List<SSTable> b = buckets.get(i);
          b.add(s);
          averages.set(i, (avg * (b.size() - 1) + size) / b.size());
          placed = true;
          break;
        }
      }
      if (!placed) {
        buckets.add(new ArrayList<>(List.of(s)));
        averages.add((double) size);
      }
    }
    return buckets;
  }

  @Override
  public Optional<CompactionTask> next(List<SSTable> live, long nowInSec) {
    List<SSTable> best = null;
    for (List<SSTable> b : buckets(live)) {
      if (b.size() < minThreshold) continue;
      if (best == null || b.size() > best.size()) best = b;
    }
    if (best == null) return Optional.empty();
    List<Integer> gens = new ArrayList<>();
    for (SSTable s : best.subList(0, Math.min(maxThreshold, best.size()))) gens.add(s.descriptor().generation());
    return Optional.of(new CompactionTask(name(), gens, 0, Long.MAX_VALUE, gens.size() + " similar-sized SSTables"));
  }
}
