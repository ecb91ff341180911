package sim.es.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shard's operation history: what Elasticsearch keeps as soft-deleted Lucene documents so that a copy
 * which fell behind can catch up by replaying operations instead of copying files. Every operation at or above
 * {@code min_retained_seq_no} is kept (the retention leases decide that number); below it an operation is
 * kept only while it is the latest one for its id at the global checkpoint, so the documents as of the
 * global checkpoint can always be rebuilt from the history alone (a replica resetting its engine after a
 * failover does exactly that).
 */
public final class OperationHistory {
  private final TreeMap<Long, Operation> ops = new TreeMap<>();
  private long minRetainedSeqNo;

  /** Adds an operation; at a seq_no already held, the one of the higher primary term wins (a newer primary's). */
  public void add(Operation op) {
    Operation had = ops.get(op.seqNo());
    if (had == null || op.primaryTerm() > had.primaryTerm()) ops.put(op.seqNo(), op);
  }

  public Operation get(long seqNo) {
    return ops.get(seqNo);
  }

  public long minRetainedSeqNo() {
    return minRetainedSeqNo;
  }

  public int size() {
    return ops.size();
  }

  /** Every operation from {@code fromSeqNo} on, in seq_no order, or null if some were already trimmed. */
  public List<Operation> since(long fromSeqNo) {
    if (fromSeqNo < minRetainedSeqNo) return null;
    return new ArrayList<>(ops.tailMap(fromSeqNo, true).values());
  }

  /** Every operation up to {@code seqNo} that the documents at that point depend on, in seq_no order. */
  public List<Operation> upTo(long seqNo) {
    return new ArrayList<>(ops.headMap(seqNo, true).values());
  }

  public List<Operation> all() {
    return new ArrayList<>(ops.values());
  }

  /**
   * Drops what no retention lease needs any more: below {@code minRetained}, an operation superseded by a
   * later one for the same id at or below the global checkpoint, or a delete at or below it.
   */
  public int trim(long minRetained, long globalCheckpoint) {
    minRetainedSeqNo = Math.max(minRetainedSeqNo, Math.min(minRetained, globalCheckpoint + 1));
    Map<String, Long> latest = new HashMap<>();
    for (Operation op : ops.headMap(globalCheckpoint, true).values()) latest.put(op.id(), op.seqNo());
    int dropped = 0;
    for (Iterator<Operation> it = ops.headMap(minRetainedSeqNo, false).values().iterator(); it.hasNext(); ) {
      Operation op = it.next();
      boolean superseded = latest.getOrDefault(op.id(), op.seqNo()) > op.seqNo();
      if (superseded || (op.delete() && op.seqNo() <= globalCheckpoint)) {
        it.remove();
        dropped++;
      }
    }
    return dropped;
  }

  /** Replaces the whole history (a file-based recovery installs the primary's). */
  public void reset(List<Operation> retained, long minRetained) {
    ops.clear();
    for (Operation op : retained) ops.put(op.seqNo(), op);
    minRetainedSeqNo = minRetained;
  }

  /** Forgets operations above {@code seqNo} (an engine reset to the global checkpoint). */
  public void truncateAbove(long seqNo) {
    ops.tailMap(seqNo, false).clear();
  }
}
