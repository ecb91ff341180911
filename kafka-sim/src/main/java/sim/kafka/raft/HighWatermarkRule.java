package sim.kafka.raft;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The leader's high watermark as a value (decide, then apply; LeaderState.maybeUpdateHighWatermark): the largest end
 * offset a majority of voters has durably, provided it is past the start of the leader's own epoch — an entry of an
 * earlier epoch is committed only together with one of the current epoch above it.
 */
final class HighWatermarkRule {
  private HighWatermarkRule() {}

  /** The new high watermark, or {@code current} when it may not move. */
  static long next(Collection<Long> voterEndOffsets, int majority, long epochStartOffset, long current) {
    List<Long> ends = new ArrayList<>(voterEndOffsets);
    ends.sort(Comparator.reverseOrder());
    long majorityEnd = ends.get(majority - 1);
    if (majorityEnd <= current || majorityEnd <= epochStartOffset) return current;
    return majorityEnd;
  }
}
