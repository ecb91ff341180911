package sim.cassandra.compaction;

import java.util.List;

/** What a strategy decided: which SSTables (by generation) to merge, the level of the output, its split size. */
public record CompactionTask(String strategy, List<Integer> generations, int outputLevel, long maxOutputBytes, String reason) {
  public CompactionTask {
    generations = List.copyOf(generations);
  }
}
