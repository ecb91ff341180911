package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.db.Mutation;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * The coordinator's hints (Cassandra's {@code HintsService}): a write for a replica that is down, or did
 * not answer in time, is kept and replayed when gossip says the replica is UP again. No hint is written
 * for a replica that has been down longer than {@code max_hint_window} (3 h): after that only repair can
 * bring it up to date. (Cassandra keeps hints in files under {@code hints_directory}; here they live in
 * the coordinator's memory, so a coordinator crash loses them.)
 */
final class Hints {
  private final CassandraNode node;
  private final TreeMap<Long, Hint> hints = new TreeMap<>();
  private final TreeMap<Long, Long> inFlight = new TreeMap<>();
  private long nextId = 1;
  private long written;
  private long replayed;

  Hints(CassandraNode node) {
    this.node = node;
  }

  /** Stores a hint unless hints are off or the target is past the hint window; true if stored. */
  boolean store(NodeContext ctx, NodeId target, Mutation m) {
    if (!node.config().hintedHandoffEnabled() || target.equals(node.self())) return false;
    long downNanos = node.gossiper().downForNanos(target, ctx.localTimeNanos());
    if (downNanos > node.config().maxHintWindowMs() * 1_000_000L) {
      ctx.point("cassandra.hint.skipped", target + " has been down longer than max_hint_window", "target", target.name());
      return false;
    }
    long id = nextId++;
    hints.put(id, new Hint(id, target, m, ctx.localTimeNanos()));
    written++;
    ctx.point("cassandra.hint.write", "hint for " + target + " " + m.qualifiedTable() + " key " + m.key(), "target", target.name(),
        "table", m.qualifiedTable(), "token", m.key().token());
    return true;
  }

  /** Replays every hint for replicas now UP (one in flight per hint). */
  void dispatch(NodeContext ctx) {
    for (Hint h : hints.values()) {
      if (!node.gossiper().isUp(h.target()) || inFlight.containsValue(h.id())) continue;
      long msgId = -(node.coordinator().newId());
      inFlight.put(msgId, h.id());
      ctx.point("cassandra.hint.replay", "replaying hint " + h.id() + " to " + h.target(), "target", h.target().name(), "token", h.mutation().key().token());
      ctx.send(h.target(), new CassandraMessage.MutationRequest(msgId, h.mutation(), h.target()));
    }
  }

  /** An ack for a replayed hint: the hint is done. */
  boolean onAck(long msgId) {
    Long hintId = inFlight.remove(msgId);
    if (hintId == null) return false;
    if (hints.remove(hintId) != null) replayed++;
    return true;
  }

  /** Hints whose replay went unanswered are tried again at the next dispatch. */
  void retryUnanswered() {
    inFlight.clear();
  }

  List<Hint> all() {
    return new ArrayList<>(hints.values());
  }

  long written() {
    return written;
  }

  long replayed() {
    return replayed;
  }
}
