package sim.cassandra.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;
import sim.core.SimRandom;

/**
 * The range-movement policy on random rings: after a bootstrap or a decommission every range has exactly
 * min(RF, members) replicas, the moved ranges are exactly those whose replica sets differ, each gained
 * replica is streamed to from a replica of the old placement (the one giving the range up), and the
 * pending replicas of any token are what the moved range holding it gains.
 */
class RangeMovementProperties {
  private static List<Endpoint> endpoints(int n) {
    List<Endpoint> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add(new Endpoint(NodeId.of("n" + i), "dc1", "r" + ((i - 1) % 3 + 1)));
    return out;
  }

  private static KeyspaceMetadata simple(int rf) {
    return new KeyspaceMetadata("ks", "SimpleStrategy", Map.of("replication_factor", rf));
  }

  @Property(tries = 300)
  void bootstrapMovesExactlyTheChangedRangesToTheNewNode(@ForAll @IntRange(min = 1, max = 6) int nodes, @ForAll @IntRange(min = 1, max = 4) int rf,
      @ForAll long seed) {
    List<Endpoint> eps = endpoints(nodes + 1);
    SimRandom random = SimRandom.of(seed, "ring");
    TokenRing before = TokenRing.random(eps.subList(0, nodes), TokenRing.DEFAULT_NUM_TOKENS, random).withEndpoint(eps.get(nodes));
    Endpoint joining = eps.get(nodes);
    TokenRing after = before.withTokens(joining, before.drawTokens(TokenRing.DEFAULT_NUM_TOKENS, random));
    KeyspaceMetadata ks = simple(rf);
    checkPlacements(before, after, ks, nodes, nodes + 1);
    List<RangeMovement.Move> moves = RangeMovement.diff(before, after, ks);
    checkMovesAreTheDifference(before, after, ks, moves);
    for (RangeMovement.Move m : moves) assertEquals(List.of(joining.id()), m.gained(), "only the joining node gains " + m);
    checkStreams(moves);
    checkPending(before, after, ks, moves, random);
  }

  @Property(tries = 300)
  void decommissionMovesExactlyTheLeavingNodesRangesFromIt(@ForAll @IntRange(min = 2, max = 7) int nodes, @ForAll @IntRange(min = 1, max = 4) int rf,
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 6) int leaverIndex) {
    List<Endpoint> eps = endpoints(nodes);
    SimRandom random = SimRandom.of(seed, "ring");
    TokenRing before = TokenRing.random(eps, TokenRing.DEFAULT_NUM_TOKENS, random);
    NodeId leaving = eps.get(leaverIndex % nodes).id();
    TokenRing after = before.withoutTokensOf(leaving);
    KeyspaceMetadata ks = simple(rf);
    checkPlacements(before, after, ks, nodes, nodes - 1);
    List<RangeMovement.Move> moves = RangeMovement.diff(before, after, ks);
    checkMovesAreTheDifference(before, after, ks, moves);
    for (RangeMovement.Move m : moves) assertEquals(List.of(leaving), m.lost(), "only the leaving node gives ranges up " + m);
    for (RangeMovement.Stream s : RangeMovement.streams(moves, true)) assertEquals(leaving, s.source(), "the leaving node streams " + s);
    checkStreams(moves);
    checkPending(before, after, ks, moves, random);
  }

  /** Every range of the union ring has exactly min(RF, members) distinct replicas before and after. */
  private static void checkPlacements(TokenRing before, TokenRing after, KeyspaceMetadata ks, int membersBefore, int membersAfter) {
    int rf = ks.replicationFactor(null);
    for (RangeMovement.Move p : RangeMovement.placements(before, after, ks)) {
      assertEquals(Math.min(rf, membersBefore), p.before().size(), "replicas before of " + p);
      assertEquals(Math.min(rf, membersAfter), p.after().size(), "replicas after of " + p);
      assertEquals(p.before().size(), new HashSet<>(p.before()).size(), "distinct before " + p);
      assertEquals(p.after().size(), new HashSet<>(p.after()).size(), "distinct after " + p);
    }
  }

  /** A range moves if and only if its replica set changed; gained and lost are the two set differences. */
  private static void checkMovesAreTheDifference(TokenRing before, TokenRing after, KeyspaceMetadata ks, List<RangeMovement.Move> moves) {
    Set<Long> moved = new HashSet<>();
    for (RangeMovement.Move m : moves) moved.add(m.toInclusive());
    for (RangeMovement.Move p : RangeMovement.placements(before, after, ks)) {
      Set<NodeId> b = new HashSet<>(p.before());
      Set<NodeId> a = new HashSet<>(p.after());
      assertEquals(!a.equals(b), moved.contains(p.toInclusive()), "moved iff the replica set differs: " + p);
    }
    for (RangeMovement.Move m : moves) {
      Set<NodeId> gained = new HashSet<>(m.after());
      gained.removeAll(m.before());
      Set<NodeId> lost = new HashSet<>(m.before());
      lost.removeAll(m.after());
      assertEquals(gained, new HashSet<>(m.gained()), "gained of " + m);
      assertEquals(lost, new HashSet<>(m.lost()), "lost of " + m);
    }
  }

  /** Each gained replica gets one stream per range, from a replica of the old placement; strictly from the one giving it up. */
  private static void checkStreams(List<RangeMovement.Move> moves) {
    for (boolean strict : new boolean[] {true, false}) {
      List<RangeMovement.Stream> streams = RangeMovement.streams(moves, strict);
      int expected = 0;
      for (RangeMovement.Move m : moves) expected += m.gained().size();
      assertEquals(expected, streams.size(), "one stream per gained replica and range");
      for (RangeMovement.Stream s : streams) {
        RangeMovement.Move m = moves.stream().filter(x -> x.toInclusive() == s.toInclusive()).findFirst().orElseThrow();
        assertTrue(m.before().contains(s.source()), "source " + s.source() + " holds " + m);
        assertTrue(m.gained().contains(s.target()), "target " + s.target() + " gains " + m);
        if (strict && m.lost().size() == 1) assertEquals(m.lost().get(0), s.source(), "consistent range movement streams from the loser");
        if (!strict && m.lost().size() < m.before().size()) assertTrue(m.after().contains(s.source()), "non-strict picks a replica that keeps it");
      }
    }
  }

  /** The pending replicas of a random token are what the moved range holding it gains, and none outside every moved range. */
  private static void checkPending(TokenRing before, TokenRing after, KeyspaceMetadata ks, List<RangeMovement.Move> moves, SimRandom random) {
    for (int i = 0; i < 50; i++) {
      long t = random.nextLong();
      Set<NodeId> expected = new HashSet<>();
      for (RangeMovement.Move m : moves) if (contains(m, t)) expected.addAll(m.gained());
      assertEquals(expected, new HashSet<>(RangeMovement.pending(before, after, t, ks)), "pending of token " + t);
    }
  }

  private static boolean contains(RangeMovement.Move m, long t) {
    return m.wraps() ? t > m.fromExclusive() || t <= m.toInclusive() : t > m.fromExclusive() && t <= m.toInclusive();
  }
}
