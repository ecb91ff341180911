package sim.cassandra.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;

/**
 * One node's view of the ring (Cassandra's {@code TokenMetadata}): the normal tokens, the endpoints
 * bootstrapping with the tokens they will own, and the endpoints leaving. Natural replicas come from the
 * normal ring; pending replicas of a token are the ones it gains in the ring after every movement
 * completes (bootstrapping tokens added, leaving endpoints removed). Gossip's STATUS values drive it.
 */
public final class TokenMetadata {
  private TokenRing ring;
  private final TreeMap<NodeId, List<Long>> bootstrapping = new TreeMap<>();
  private final TreeSet<NodeId> leaving = new TreeSet<>();
  private final TreeMap<NodeId, String> status = new TreeMap<>();
  private TokenRing future;

  public TokenMetadata(TokenRing initial) {
    this.ring = initial;
    for (NodeId n : initial.members()) status.put(n, "NORMAL");
    this.future = initial;
  }

  public TokenRing ring() {
    return ring;
  }

  /** The ring once every pending movement is done. */
  public TokenRing future() {
    return future;
  }

  public boolean moving() {
    return !bootstrapping.isEmpty() || !leaving.isEmpty();
  }

  /** The endpoint's gossip STATUS as this node knows it ({@code null}: not a member, never heard of a status). */
  public String status(NodeId n) {
    return status.get(n);
  }

  public Map<NodeId, String> statuses() {
    return new TreeMap<>(status);
  }

  /**
   * Applies a STATUS value (BOOT with the tokens to own, NORMAL with the tokens owned, LEAVING, LEFT);
   * returns whether the view changed.
   */
  public boolean apply(NodeId n, String value, List<Long> tokens) {
    if (value.equals(status.get(n)) && (!value.equals("NORMAL") || ring.tokensOf(n).equals(sorted(tokens)))) return false;
    Endpoint e = ring.endpoint(n);
    if (e == null) return false;
    switch (value) {
      case "BOOT" -> {
        if ("NORMAL".equals(status.get(n)) || "LEAVING".equals(status.get(n))) return false;
        bootstrapping.put(n, List.copyOf(tokens));
      }
      case "NORMAL" -> {
        ring = ring.withoutTokensOf(n).withTokens(e, tokens);
        bootstrapping.remove(n);
        leaving.remove(n);
      }
      case "LEAVING" -> {
        if (ring.tokensOf(n).isEmpty()) return false;
        leaving.add(n);
      }
      case "LEFT" -> {
        ring = ring.withoutTokensOf(n);
        bootstrapping.remove(n);
        leaving.remove(n);
      }
      default -> {
        return false;
      }
    }
    status.put(n, value);
    future = computeFuture();
    return true;
  }

  private static List<Long> sorted(List<Long> tokens) {
    return new ArrayList<>(new TreeSet<>(tokens));
  }

  private TokenRing computeFuture() {
    TokenRing f = ring;
    for (NodeId n : leaving) f = f.withoutTokensOf(n);
    for (Map.Entry<NodeId, List<Long>> b : bootstrapping.entrySet()) f = f.withTokens(ring.endpoint(b.getKey()), b.getValue());
    return f;
  }

  /** Natural replicas of {@code token}: from the normal ring. */
  public List<NodeId> naturalReplicas(long token, KeyspaceMetadata ks) {
    return ring.replicas(token, ks);
  }

  /** Pending replicas of {@code token}: writes go to them too, and blockFor is raised by their count. */
  public List<NodeId> pendingReplicas(long token, KeyspaceMetadata ks) {
    if (!moving()) return List.of();
    return RangeMovement.pending(ring, future, token, ks);
  }

  /** The ranges with pending replicas, each with the endpoints it is pending for ({@code nodetool describering}'s view). */
  public List<RangeMovement.Move> pendingRanges(KeyspaceMetadata ks) {
    if (!moving()) return List.of();
    List<RangeMovement.Move> out = new ArrayList<>();
    for (RangeMovement.Move m : RangeMovement.diff(ring, future, ks)) if (!m.gained().isEmpty()) out.add(m);
    return out;
  }

  /** A short signature of the view: every endpoint's status (what differs between two nodes' views). */
  public String signature() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<NodeId, String> e : status.entrySet()) b.append(e.getKey()).append('=').append(e.getValue()).append(' ');
    return b.toString().strip();
  }
}
