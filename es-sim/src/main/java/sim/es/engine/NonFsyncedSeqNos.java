package sim.es.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Which seq_nos each translog fsync makes durable, as Elasticsearch's TranslogWriter keeps its
 * nonFsyncedSequenceNumbers and hands them to the persisted LocalCheckpointTracker once the fsync returns.
 * One fsync at a time: operations written while it runs wait for the next (group commit).
 */
final class NonFsyncedSeqNos {
  private final List<Long> pending = new ArrayList<>();
  private final TreeMap<Long, long[]> inFlight = new TreeMap<>();
  private long nextId;

  void add(long seqNo) {
    pending.add(seqNo);
  }

  boolean syncing() {
    return !inFlight.isEmpty();
  }

  /** An fsync starts: it covers every seq_no written so far; returns its id. */
  long begin() {
    long id = nextId++;
    long[] covered = new long[pending.size()];
    for (int i = 0; i < covered.length; i++) covered[i] = pending.get(i);
    pending.clear();
    inFlight.put(id, covered);
    return id;
  }

  /** The fsync {@code id} returned: the seq_nos it made durable, or null if it was issued before {@link #clear}. */
  long[] done(long id) {
    return inFlight.remove(id);
  }

  /** An engine reset discarded the operations above {@code seqNo}: their seq_nos are durable only once their successors are. */
  void dropAbove(long seqNo) {
    pending.removeIf(s -> s > seqNo);
    inFlight.replaceAll((id, covered) -> Arrays.stream(covered).filter(s -> s <= seqNo).toArray());
  }

  /** The translog was replaced (a file-based recovery): no fsync under way vouches for anything any more. */
  void clear() {
    pending.clear();
    inFlight.clear();
  }
}
