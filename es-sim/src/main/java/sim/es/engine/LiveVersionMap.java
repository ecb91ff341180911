package sim.es.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * The newest operation per document id, deletes included (Elasticsearch's LiveVersionMap, with the version
 * lookup InternalEngine does against it): an operation goes into Lucene only if it is newer than what this
 * holds for its id — a higher seq_no, or at an equal seq_no a higher primary term (a retried operation of a
 * newer primary). Replicas receive operations in any order, so an older one arriving late is kept out.
 */
final class LiveVersionMap {
  private final Map<String, Operation> latest = new HashMap<>(); // looked up by id only, never iterated

  /** Whether {@code op} is newer than the operation held for its id (no-ops have no id and never are). */
  boolean isNewer(Operation op) {
    if (op.isNoop()) return false;
    Operation prev = latest.get(op.id());
    return prev == null || op.seqNo() > prev.seqNo() || (op.seqNo() == prev.seqNo() && op.primaryTerm() > prev.primaryTerm());
  }

  /** {@code op} went into Lucene: it is the newest for its id now. */
  void put(Operation op) {
    latest.put(op.id(), op);
  }

  /** While rebuilding from a commit's history: keeps {@code op} if its seq_no is the highest seen for its id. */
  void remember(Operation op) {
    if (op.isNoop()) return;
    Operation prev = latest.get(op.id());
    if (prev == null || op.seqNo() > prev.seqNo()) latest.put(op.id(), op);
  }

  /** The seq_no of the operation held for {@code id}. */
  long seqNo(String id) {
    return latest.get(id).seqNo();
  }

  void clear() {
    latest.clear();
  }
}
