package sim.kafka.raft;

import sim.core.NodeContext;
import sim.kafka.log.LeaderEpochCache;
import sim.kafka.log.Log;

/** KafkaRaftClient's truncation on a diverging epoch, the same for a follower and an observer. */
final class DivergingEpoch {
  private DivergingEpoch() {}

  /** Truncates {@code log} to the end of {@code divergingEpoch} in both logs, whichever is smaller; returns that offset. */
  static long truncate(NodeContext ctx, Log log, int divergingEpoch, long divergingEndOffset, String who) {
    LeaderEpochCache.EpochEnd mine = log.epochs().endOffsetFor(divergingEpoch, log.logEndOffset());
    long to = mine.epoch() == divergingEpoch ? Math.min(mine.endOffset(), divergingEndOffset) : Math.min(Math.max(0, mine.endOffset()), divergingEndOffset);
    long before = log.logEndOffset();
    log.truncateTo(to);
    ctx.point("kafka.kraft.truncate", who + " truncates " + RaftNode.LOG_DIR + " from " + before + " to " + to + " (diverging epoch " + divergingEpoch
        + " ends at " + divergingEndOffset + " in the leader's log)", "from", before, "to", to, "divergingEpoch", divergingEpoch);
    return to;
  }
}
