package sim.cassandra.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;
import sim.core.SimRandom;

/** A node's ring view through a bootstrap and a decommission, driven by gossip STATUS values. */
class TokenMetadataTest {
  private static final KeyspaceMetadata RF3 = new KeyspaceMetadata("ks", "SimpleStrategy", Map.of("replication_factor", 3));
  private static final NodeId N4 = NodeId.of("n4");

  private static TokenRing threeNodesAndN4Outside(SimRandom random) {
    List<Endpoint> eps = List.of(new Endpoint(NodeId.of("n1"), "dc1", "r1"), new Endpoint(NodeId.of("n2"), "dc1", "r2"),
        new Endpoint(NodeId.of("n3"), "dc1", "r3"));
    return TokenRing.random(eps, 16, random).withEndpoint(new Endpoint(N4, "dc1", "r1"));
  }

  @Test
  void bootThenNormalMakesTheJoiningNodePendingThenNatural() {
    SimRandom random = SimRandom.of(7, "ring");
    TokenRing ring = threeNodesAndN4Outside(random);
    TokenMetadata tm = new TokenMetadata(ring);
    List<Long> tokens = ring.drawTokens(16, random);
    assertTrue(tm.pendingRanges(RF3).isEmpty(), "nothing pending before BOOT");
    assertTrue(tm.apply(N4, "BOOT", tokens));
    assertEquals("BOOT", tm.status(N4));
    int pendingTokens = 0;
    for (long t : tokens) {
      List<NodeId> pending = tm.pendingReplicas(t, RF3);
      assertEquals(List.of(N4), pending, "n4 is pending for its own token " + t);
      assertFalse(tm.naturalReplicas(t, RF3).contains(N4), "not natural while joining");
      pendingTokens++;
    }
    assertEquals(16, pendingTokens);
    assertFalse(tm.pendingRanges(RF3).isEmpty());
    assertTrue(tm.apply(N4, "NORMAL", tokens));
    assertFalse(tm.apply(N4, "NORMAL", tokens), "the same STATUS again changes nothing");
    assertTrue(tm.pendingRanges(RF3).isEmpty(), "nothing pending once NORMAL");
    for (long t : tokens) assertEquals(N4, tm.naturalReplicas(t, RF3).get(0), "n4 is the primary replica of its own token");
  }

  @Test
  void leavingThenLeftHandsTheRangesToTheNextNodes() {
    SimRandom random = SimRandom.of(11, "ring");
    TokenRing ring = threeNodesAndN4Outside(random);
    ring = ring.withTokens(ring.endpoint(N4), ring.drawTokens(16, random));
    TokenMetadata tm = new TokenMetadata(ring);
    List<Long> mine = ring.tokensOf(N4);
    assertTrue(tm.apply(N4, "LEAVING", mine));
    for (long t : mine) {
      List<NodeId> pending = tm.pendingReplicas(t, RF3);
      assertEquals(1, pending.size(), "one node gains each of n4's ranges");
      assertFalse(new HashSet<>(tm.naturalReplicas(t, RF3)).contains(pending.get(0)));
      assertTrue(tm.naturalReplicas(t, RF3).contains(N4), "still natural while leaving");
    }
    assertTrue(tm.apply(N4, "LEFT", mine));
    assertTrue(tm.ring().tokensOf(N4).isEmpty());
    assertTrue(tm.pendingRanges(RF3).isEmpty());
    for (long t : mine) assertFalse(tm.naturalReplicas(t, RF3).contains(N4));
  }
}
