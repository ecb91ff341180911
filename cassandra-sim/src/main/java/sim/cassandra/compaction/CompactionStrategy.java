package sim.cassandra.compaction;

import java.util.List;
import java.util.Optional;
import sim.cassandra.storage.SSTable;

/**
 * A compaction strategy is pure policy: given the live SSTables (their sizes, levels, timestamps), it
 * decides what to compact next, if anything. Applying the decision (merging, purging, writing, deleting)
 * is the table store's job, so a strategy can be tested on lists of SSTable statistics alone.
 */
public interface CompactionStrategy {
  String name();

  Optional<CompactionTask> next(List<SSTable> live, long nowInSec);
}
