package sim.cassandra.storage;

/**
 * What {@code -Statistics.db} records and compaction and the read path consult: timestamps, tokens,
 * sizes, the latest local deletion time (tombstones droppable after gc_grace), the commit log span the
 * SSTable covers (replay skips it), the level (LeveledCompactionStrategy) and the write time (TWCS buckets).
 */
public record SSTableStats(long minTimestamp, long maxTimestamp, long minToken, long maxToken, int partitions,
    long rows, long tombstones, long maxLocalDeletionTime, long dataSizeBytes, CommitLogPosition commitLogUpperBound,
    int level, long createdAtSec) {

  public SSTableStats withLevel(int newLevel) {
    return new SSTableStats(minTimestamp, maxTimestamp, minToken, maxToken, partitions, rows, tombstones,
        maxLocalDeletionTime, dataSizeBytes, commitLogUpperBound, newLevel, createdAtSec);
  }

  public boolean overlapsTokens(SSTableStats o) {
    return minToken <= o.maxToken && o.minToken <= maxToken;
  }
}
