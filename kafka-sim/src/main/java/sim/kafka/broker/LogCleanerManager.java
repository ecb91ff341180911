package sim.kafka.broker;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.kafka.log.CleanerPolicy;
import sim.kafka.log.LogCleaner;

/**
 * The broker's log cleaner thread and Kafka's LogCleanerManager: every {@code log.cleaner.backoff.ms} it
 * asks the pure {@link CleanerPolicy} which compacted log to clean and from where, lets {@link LogCleaner}
 * copy it, and records how far each log is clean in {@code cleaner-offset-checkpoint} (the next round starts
 * from there). Every replica cleans its own logs, leader or follower.
 */
final class LogCleanerManager {
  static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
  static final long LOG_CLEANER_BACKOFF_MS = 15_000;

  private final TreeMap<TopicPartition, Long> cleanerCheckpoints = new TreeMap<>();

  void readCheckpoint(NodeContext ctx) {
    cleanerCheckpoints.putAll(OffsetCheckpoint.read(ctx.disk(), CLEANER_CHECKPOINT));
  }

  /** The first round; each round schedules the next. */
  void schedule(NodeContext ctx) {
    ctx.setTimer(new BrokerTimer.CleanerTick(), Durations.millis(LOG_CLEANER_BACKOFF_MS));
  }

  /** One round over the broker's replicas: choose (CleanerPolicy), copy (LogCleaner), checkpoint. */
  void run(NodeContext ctx, Collection<Partition> partitions) {
    schedule(ctx);
    boolean changed = false;
    for (Partition p : partitions) {
      if (!p.log.config().compact() || p.state == null) continue;
      CleanerPolicy.Decision d = CleanerPolicy.decide(p.log.segmentInfos(), p.log.logStartOffset(),
          p.logEndOffset(), p.highWatermark, Optional.ofNullable(cleanerCheckpoints.get(p.tp)), p.log.config(), ctx.localTimeMs());
      if (!d.clean()) continue;
      LogCleaner.Result r = LogCleaner.clean(p.log, d, ctx.localTimeMs());
      cleanerCheckpoints.put(p.tp, r.endOffset());
      changed = true;
      ctx.point("kafka.log.clean", p.tp + " " + d + ": " + r, "partition", p.tp.toString(), "firstDirtyOffset", d.firstDirtyOffset(),
          "endOffset", r.endOffset(), "recordsRead", r.recordsRead(), "recordsKept", r.recordsKept(), "dirtyRatio", d.dirtyRatio());
    }
    if (changed) OffsetCheckpoint.write(ctx.disk(), CLEANER_CHECKPOINT, cleanerCheckpoints);
  }
}
