package sim.es.engine;

import sim.core.Timer;

/** The shard's own schedule: refresh, translog sync, flush checks, and fsync completions. */
public sealed interface EsTimer extends Timer {
  record RefreshTick() implements EsTimer {}

  record SyncTick() implements EsTimer {}

  /** The translog fsync covering operations up to {@code seqNo} completed. */
  record TranslogSynced(long generation, long offset, int numOps, long minGeneration, long seqNo) implements EsTimer {}

  /** The commit's files are durable: publish it and trim the translog. */
  record CommitDurable(long commitGeneration, long translogGeneration, long localCheckpoint) implements EsTimer {}

  /** The client's next step. */
  record ClientTick() implements EsTimer {}
}
