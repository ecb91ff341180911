package sim.kafka.broker;

import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.disk.SimIOException;
import sim.kafka.broker.BrokerTimer.FetchBackoff;
import sim.kafka.broker.BrokerTimer.FetchTimeout;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochRequest;
import sim.kafka.broker.KafkaMessage.OffsetsForLeaderEpochResponse;
import sim.kafka.log.LeaderEpochCache;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.RecordBatches;

/**
 * The follower side of replication ({@code ReplicaFetcherThread}): first truncate what diverged from the
 * leader (OffsetsForLeaderEpoch, KIP-101/279), then fetch from the log end offset in a loop, appending the
 * leader's batches as they are and taking the high watermark from each response.
 */
final class ReplicaFetcher {
  private final KafkaConfig config;
  private final RuleBreaks breaks;
  private long nextCorrelationId;

  ReplicaFetcher(KafkaConfig config, RuleBreaks breaks) {
    this.config = config;
    this.breaks = breaks;
  }

  /** KIP-101/279: ask the leader where my latest epoch ends before fetching; truncate what diverged. */
  void startTruncation(NodeContext ctx, Partition p) {
    if (breaks.skipEpochTruncation()) {
      ctx.note(p.tp + ": fetching from LEO " + p.logEndOffset() + " without asking where epoch " + p.log.epochs().latestEpoch()
          + " ended (rule broken: no OffsetsForLeaderEpoch truncation)");
      startFetching(ctx, p);
      return;
    }
    int latest = p.log.epochs().latestEpoch();
    if (latest == LeaderEpochCache.UNDEFINED_EPOCH) {
      if (p.logEndOffset() > 0) truncate(ctx, p, p.highWatermark, "no leader epochs known: truncate to the high watermark");
      startFetching(ctx, p);
      return;
    }
    p.phase = Partition.FollowerPhase.TRUNCATING;
    ctx.send(p.leader(), new OffsetsForLeaderEpochRequest(p.tp, p.leaderEpoch(), latest));
    long id = nextCorrelationId++;
    p.fetchCorrelationId = id;
    ctx.setTimer(new FetchTimeout(p.tp, p.generation, id), Durations.millis(config.replicaSocketTimeoutMs()));
  }

  void onOffsetsForLeaderEpochResponse(NodeContext ctx, Partition p, OffsetsForLeaderEpochResponse r) {
    if (p == null || p.role != Partition.Role.FOLLOWER || p.phase != Partition.FollowerPhase.TRUNCATING
        || r.currentLeaderEpoch() != p.leaderEpoch()) return;
    p.fetchCorrelationId = -1;
    if (r.error() != Errors.NONE) {
      backoff(ctx, p);
      return;
    }
    long leo = p.logEndOffset();
    if (r.endOffset() == LeaderEpochCache.UNDEFINED_EPOCH_OFFSET) {
      truncate(ctx, p, p.highWatermark, "leader knows no epoch <= ours: truncate to the high watermark");
    } else if (r.leaderEpoch() == LeaderEpochCache.UNDEFINED_EPOCH) {
      truncate(ctx, p, Math.min(r.endOffset(), leo), "leader's end offset " + r.endOffset());
    } else {
      LeaderEpochCache.EpochEnd mine = p.log.epochs().endOffsetFor(r.leaderEpoch(), leo);
      if (mine.endOffset() >= 0 && mine.epoch() != r.leaderEpoch()) {
        truncate(ctx, p, Math.min(mine.endOffset(), leo), "leader's epoch " + r.leaderEpoch() + " unknown here: truncate to the end of my epoch " + mine.epoch() + " and ask again");
        startTruncation(ctx, p);
        return;
      }
      long to = mine.endOffset() >= 0 ? Math.min(mine.endOffset(), r.endOffset()) : r.endOffset();
      truncate(ctx, p, Math.min(to, leo), "epoch " + r.leaderEpoch() + " ends at " + r.endOffset() + " on the leader");
    }
    startFetching(ctx, p);
  }

  private void truncate(NodeContext ctx, Partition p, long offset, String why) {
    long before = p.logEndOffset();
    if (offset >= before) {
      ctx.note(p.tp + ": nothing to truncate at LEO " + before + " (" + why + ")");
      return;
    }
    p.log.truncateTo(offset);
    p.clampHighWatermark();
    ctx.point("kafka.log.truncate", p.tp + " LEO " + before + " -> " + p.logEndOffset() + ": " + why,
        "partition", p.tp.toString(), "from", before, "to", p.logEndOffset(), "leader", p.leader().name());
  }

  private void startFetching(NodeContext ctx, Partition p) {
    p.phase = Partition.FollowerPhase.FETCHING;
    p.awaitingFlush = false;
    sendFetch(ctx, p);
  }

  void resume(NodeContext ctx, Partition p) {
    if (p.role != Partition.Role.FOLLOWER || p.leader() == null) return;
    if (p.phase == Partition.FollowerPhase.TRUNCATING) startTruncation(ctx, p);
    else sendFetch(ctx, p);
  }

  private void sendFetch(NodeContext ctx, Partition p) {
    long id = nextCorrelationId++;
    p.fetchCorrelationId = id;
    ctx.send(p.leader(), new FetchRequest(id, ctx.self(), p.tp, p.logEndOffset(), p.leaderEpoch(), config.replicaFetchMaxBytes()));
    ctx.setTimer(new FetchTimeout(p.tp, p.generation, id), Durations.millis(config.replicaSocketTimeoutMs()));
  }

  void backoff(NodeContext ctx, Partition p) {
    ctx.setTimer(new FetchBackoff(p.tp, p.generation), Durations.millis(config.replicaFetchBackoffMs()));
  }

  void onFetchResponse(NodeContext ctx, Partition p, FetchResponse r) {
    if (p == null || p.role != Partition.Role.FOLLOWER || r.correlationId() != p.fetchCorrelationId) return;
    p.fetchCorrelationId = -1;
    if (r.error() == Errors.OFFSET_OUT_OF_RANGE && r.logStartOffset() > p.logEndOffset()) {
      startAtLeaderLogStart(ctx, p, r.logStartOffset());
      return;
    }
    if (r.error() == Errors.OFFSET_OUT_OF_RANGE) {
      if (breaks.skipEpochTruncation()) {
        truncate(ctx, p, p.highWatermark, "fetch offset out of range: truncate to the high watermark (rule broken)");
        sendFetch(ctx, p);
        return;
      }
      startTruncation(ctx, p);
      return;
    }
    if (r.error() != Errors.NONE) {
      backoff(ctx, p);
      return;
    }
    if (!appendFetched(ctx, p, r.records().bytes())) {
      startTruncation(ctx, p);
      return;
    }
    long hw = Math.min(r.highWatermark(), p.logEndOffset());
    if (hw > p.highWatermark) p.highWatermark = hw;
    followLogStart(p, r.logStartOffset());
    if (p.log.awaitsFlush(p.logEndOffset())) {
      p.awaitingFlush = true; // flush.messages: the fetcher thread is in the fsync; the next fetch follows it
      return;
    }
    sendFetch(ctx, p);
  }

  /**
   * Kafka's follower takes the leader's log start offset from each fetch response (retention and DeleteRecords on
   * the leader reach the followers this way), bounded by its own high watermark; its own retention check then
   * deletes the segments below it.
   */
  private static void followLogStart(Partition p, long leaderLogStartOffset) {
    if (leaderLogStartOffset > p.log.logStartOffset()) p.log.maybeIncrementLogStartOffset(Math.min(leaderLogStartOffset, p.highWatermark));
  }

  /**
   * The follower's log ends below the leader's log start offset (it was away while retention deleted what it
   * lacks): Kafka's {@code truncateFullyAndStartAt} — everything here is dropped and the log starts again at the
   * leader's log start, from where it fetches. (Kafka asks with ListOffsets; the fetch response here carries it.)
   */
  private void startAtLeaderLogStart(NodeContext ctx, Partition p, long leaderLogStartOffset) {
    long before = p.logEndOffset();
    p.log.truncateFullyAndStartAt(leaderLogStartOffset);
    p.clampHighWatermark();
    ctx.point("kafka.log.truncate", p.tp + " LEO " + before + " -> " + p.logEndOffset() + ": behind the leader's log start offset "
            + leaderLogStartOffset + ", truncate fully and start there",
        "partition", p.tp.toString(), "from", before, "to", p.logEndOffset(), "leader", p.leader().name());
    sendFetch(ctx, p);
  }

  /** The flush the last append asked for returned: the fetcher goes on. */
  void onFlushed(NodeContext ctx, Partition p) {
    if (!p.awaitingFlush || p.log.awaitsFlush(p.logEndOffset())) return;
    p.awaitingFlush = false;
    if (p.role == Partition.Role.FOLLOWER && p.phase == Partition.FollowerPhase.FETCHING && p.fetchCorrelationId < 0) sendFetch(ctx, p);
  }

  /** Appends the leader's batches as they are; false when they do not continue this log. */
  private boolean appendFetched(NodeContext ctx, Partition p, byte[] data) {
    if (data.length == 0) return true;
    long from = p.logEndOffset();
    int pos = 0;
    try {
      while (pos < data.length) {
        BatchHeader h = RecordBatches.validate(data, pos, data.length);
        if (h.baseOffset() != p.logEndOffset()) return false;
        byte[] batch = new byte[h.sizeInBytes()];
        System.arraycopy(data, pos, batch, 0, batch.length);
        p.log.append(batch);
        pos += batch.length;
      }
    } catch (CorruptRecordException | SimIOException e) {
      ctx.note(p.tp + ": fetched data rejected: " + e.getMessage());
    }
    ctx.point("kafka.follower.fetch", p.tp + " appended offsets " + from + ".." + (p.logEndOffset() - 1) + " from leader " + p.leader()
        + ", LEO now " + p.logEndOffset(), "partition", p.tp.toString(), "fromOffset", from, "lastOffset", p.logEndOffset() - 1,
        "leader", p.leader().name(), "logEndOffset", p.logEndOffset());
    return true;
  }

}
