package sim.cassandra.ring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;

/**
 * Pure policy for a ring change (bootstrap or decommission): which token ranges change replicas between
 * two placements, and who streams each range to whom. Nothing here sends or applies anything.
 *
 * <p>Both placements are constant between consecutive tokens of the union of their rings, so the
 * difference is computed on that union's ranges {@code (previous, token]}: a range moves when its replica
 * set differs. The stream source follows Cassandra's consistent range movement
 * ({@code -Dcassandra.consistent.rangemovement=true}, the default): a gaining replica fetches the range
 * from the replica that gives it up, so the new replica set holds what the old one acknowledged. Only
 * when no single replica gives the range up (fewer nodes than RF) does it fall back to the first old
 * replica, as {@code RangeStreamer} does without strict movement.
 */
public final class RangeMovement {
  private RangeMovement() {}

  /** One range {@code (fromExclusive, toInclusive]} (wrapping when from ≥ to) and its replicas before and after. */
  public record Move(long fromExclusive, long toInclusive, List<NodeId> before, List<NodeId> after) {
    public Move {
      before = List.copyOf(before);
      after = List.copyOf(after);
    }

    /** Replicas the range gains: they must receive its data. */
    public List<NodeId> gained() {
      List<NodeId> out = new ArrayList<>(after);
      out.removeAll(before);
      return out;
    }

    /** Replicas that give the range up (they keep the data until {@code nodetool cleanup}). */
    public List<NodeId> lost() {
      List<NodeId> out = new ArrayList<>(before);
      out.removeAll(after);
      return out;
    }

    public boolean wraps() {
      return fromExclusive >= toInclusive;
    }

    @Override
    public String toString() {
      return "(" + fromExclusive + ", " + toInclusive + "] " + before + " -> " + after;
    }
  }

  /** One streaming of a range's data from {@code source} to {@code target}. */
  public record Stream(long fromExclusive, long toInclusive, NodeId source, NodeId target) {}

  /** The ranges whose replica set (as a set) differs between {@code before} and {@code after}, in token order. */
  public static List<Move> diff(TokenRing before, TokenRing after, KeyspaceMetadata ks) {
    TreeSet<Long> union = new TreeSet<>(before.tokens().keySet());
    union.addAll(after.tokens().keySet());
    List<Move> out = new ArrayList<>();
    if (union.isEmpty() || before.tokens().isEmpty() || after.tokens().isEmpty()) return out;
    long prev = union.last();
    for (long t : union) {
      List<NodeId> b = before.replicas(t, ks);
      List<NodeId> a = after.replicas(t, ks);
      if (!Set.copyOf(b).equals(Set.copyOf(a))) out.add(new Move(prev, t, b, a));
      prev = t;
    }
    return out;
  }

  /** Every range of the union ring with its replicas before and after, moved or not (for checking placements). */
  public static List<Move> placements(TokenRing before, TokenRing after, KeyspaceMetadata ks) {
    TreeSet<Long> union = new TreeSet<>(before.tokens().keySet());
    union.addAll(after.tokens().keySet());
    List<Move> out = new ArrayList<>();
    if (union.isEmpty()) return out;
    long prev = union.last();
    for (long t : union) {
      out.add(new Move(prev, t, before.replicas(t, ks), after.replicas(t, ks)));
      prev = t;
    }
    return out;
  }

  /**
   * The streams that carry every moved range to each replica it gains, one source per range and target:
   * with {@code strict} (consistent range movement) the replica giving the range up; without, the first
   * old replica that keeps it (any replica may serve; the one that keeps it is the one that can be stale
   * for the loser's acknowledged writes).
   */
  public static List<Stream> streams(List<Move> moves, boolean strict) {
    List<Stream> out = new ArrayList<>();
    for (Move m : moves) {
      List<NodeId> lost = m.lost();
      for (NodeId target : m.gained()) out.add(new Stream(m.fromExclusive(), m.toInclusive(), source(m, lost, strict), target));
    }
    return out;
  }

  private static NodeId source(Move m, List<NodeId> lost, boolean strict) {
    if (strict && lost.size() == 1) return lost.get(0);
    if (!strict) {
      for (NodeId n : m.before()) if (!lost.contains(n)) return n;
    }
    return m.before().get(0);
  }

  /** The streams {@code node} takes part in, as source or target. */
  public static List<Stream> involving(List<Stream> streams, NodeId node) {
    List<Stream> out = new ArrayList<>();
    for (Stream s : streams) if (s.source().equals(node) || s.target().equals(node)) out.add(s);
    return out;
  }

  /**
   * Pending replicas of {@code token}: the replicas it will have once the movement is done ({@code future})
   * that it does not have now ({@code current}); Cassandra's {@code TokenMetadata.pendingEndpointsFor}.
   */
  public static List<NodeId> pending(TokenRing current, TokenRing future, long token, KeyspaceMetadata ks) {
    LinkedHashSet<NodeId> out = new LinkedHashSet<>(future.replicas(token, ks));
    out.removeAll(current.replicas(token, ks));
    return new ArrayList<>(out);
  }
}
