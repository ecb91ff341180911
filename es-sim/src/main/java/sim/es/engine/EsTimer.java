package sim.es.engine;

import sim.core.Timer;

/**
 * A shard engine's own schedule — refresh, translog sync, fsync completions, merges — each naming the shard
 * it belongs to, so a node holding several shards routes it to the right engine.
 */
public sealed interface EsTimer extends Timer {
  /** The shard ("" for the single-shard node, "idx[0]" in a cluster). */
  String shard();

  record RefreshTick(String shard) implements EsTimer {}

  record SyncTick(String shard) implements EsTimer {}

  /** The translog fsync number {@code syncId} (covering the checkpoint it names) completed. */
  record TranslogSynced(String shard, long generation, long offset, int numOps, long minGeneration, long globalCheckpoint, long syncId)
      implements EsTimer {}

  /** The commit's files are durable: publish it and trim the translog. */
  record CommitDurable(String shard, long commitGeneration, long translogGeneration, long localCheckpoint, long maxSeqNo, long globalCheckpoint)
      implements EsTimer {}

  /** A running merge finished rewriting its segments. */
  record MergeDone(String shard, long mergeId) implements EsTimer {}

  /** The empty first commit (Store.createEmpty) is durable; nothing waits for it. */
  record EmptyCommitDurable(String shard) implements EsTimer {}

  /** The translog's trimmed-operations file is durable; nothing waits for it. */
  record TrimDurable(String shard) implements EsTimer {}

  /** The client's next step. */
  record ClientTick() implements EsTimer {
    @Override
    public String shard() {
      return "";
    }
  }
}
