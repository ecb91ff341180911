package sim.cassandra.storage;

/**
 * What compaction and the read path consult about an SSTable, taken from its own components: timestamps,
 * the commit log span it covers (replay skips it), the LCS level and the row count from Statistics.db;
 * the token range from Summary.db's first and last keys; the size of Data.db.
 */
public record SSTableStats(long minTimestamp, long maxTimestamp, long minToken, long maxToken, long partitions,
    long rows, long dataSizeBytes, CommitLogPosition commitLogUpperBound, int level) {

  public boolean overlapsTokens(SSTableStats o) {
    return minToken <= o.maxToken && o.minToken <= maxToken;
  }
}
