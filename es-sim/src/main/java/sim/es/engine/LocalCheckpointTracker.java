package sim.es.engine;

import java.util.TreeSet;

/**
 * Elasticsearch's LocalCheckpointTracker: operations may complete out of order (a replica receives seq_no 7
 * before a retransmitted 6), so the checkpoint is the highest seq_no below which every operation is done.
 * A shard keeps two: processed (applied to Lucene and the translog) and persisted (fsynced).
 */
public final class LocalCheckpointTracker {
  private long checkpoint;
  private final TreeSet<Long> above = new TreeSet<>();

  public LocalCheckpointTracker(long checkpoint) {
    this.checkpoint = checkpoint;
  }

  public void mark(long seqNo) {
    if (seqNo <= checkpoint) return;
    above.add(seqNo);
    while (!above.isEmpty() && above.first() == checkpoint + 1) checkpoint = above.pollFirst();
  }

  /** Marks every seq_no up to {@code seqNo} done (a commit or a recovery covered them). */
  public void markAllUpTo(long seqNo) {
    if (seqNo <= checkpoint) return;
    checkpoint = seqNo;
    above.headSet(seqNo, true).clear();
    while (!above.isEmpty() && above.first() == checkpoint + 1) checkpoint = above.pollFirst();
  }

  public boolean contains(long seqNo) {
    return seqNo <= checkpoint || above.contains(seqNo);
  }

  public long checkpoint() {
    return checkpoint;
  }

  /** Done operations above the checkpoint (the gaps below them are still missing). */
  public int pendingAbove() {
    return above.size();
  }
}
