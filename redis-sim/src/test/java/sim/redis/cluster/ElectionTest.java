package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A master's vote (clusterSendFailoverAuthIfNeeded) and the configEpoch rule, without a simulation. */
class ElectionTest {
  /** Records what the node sends and the trace points it makes. */
  static final class Recording extends ClusterAgreementTest.StubHost {
    final List<ClusterMessage> sent = new ArrayList<>();
    final List<String> points = new ArrayList<>();

    @Override public void send(String node, ClusterMessage m) { sent.add(m); }
    @Override public void point(String name, String detail, Object... attributes) { points.add(name + " " + detail); }
  }

  /** m2's view: m1 (0-99, configEpoch 1) with replica r1, m2 (100-16383, configEpoch 2), currentEpoch 2. */
  static ClusterState m2View(Recording host) {
    ClusterState s = new ClusterState(host, new ClusterSettings(), "m2");
    for (String n : List.of("m1", "m2", "r1")) s.nodes.put(n, new NodeView(n));
    s.nodes.get("m1").master = true;
    s.nodes.get("m1").configEpoch = 1;
    s.nodes.get("m2").master = true;
    s.nodes.get("m2").configEpoch = 2;
    s.nodes.get("r1").slaveof = "m1";
    for (int j = 0; j < Slots.COUNT; j++) s.addSlot(j < 100 ? "m1" : "m2", j);
    s.currentEpoch = 2;
    s.updateState();
    return s;
  }

  static ClusterMessage.Header request(long epoch) {
    return new ClusterMessage.Header("r1", epoch, 1, Slots.range(0, 99), "m1", 0, false);
  }

  @Test
  void aMasterVotesOncePerEpochAndOnlyForTheReplicaOfAFailedMaster() {
    Recording host = new Recording();
    ClusterState s = m2View(host);
    Election e = new ClusterBus(s).election;
    e.onRequest(s.node("r1"), request(3));
    assertTrue(host.points.get(host.points.size() - 1).contains("its master is up"), host.points.toString());
    s.node("m1").fail = true;
    s.currentEpoch = 3;
    e.onRequest(s.node("r1"), request(3));
    assertEquals(1, host.sent.stream().filter(m -> m instanceof ClusterMessage.AuthAck).count());
    assertEquals(3, s.lastVoteEpoch);
    e.onRequest(s.node("r1"), request(3)); // the same request again: refused
    assertTrue(host.points.get(host.points.size() - 1).contains("already voted for epoch 3"), host.points.toString());
    s.currentEpoch = 4;
    e.onRequest(s.node("r1"), request(4)); // a new epoch, but within node-timeout * 2 of the vote for m1's replica
    assertTrue(host.points.get(host.points.size() - 1).contains("can't vote about this master before"), host.points.toString());
    host.nowMs += 2 * s.settings.clusterNodeTimeoutMs;
    e.onRequest(s.node("r1"), request(2)); // an older epoch than ours
    assertTrue(host.points.get(host.points.size() - 1).contains("reqEpoch (2) < curEpoch(4)"), host.points.toString());
    e.onRequest(s.node("r1"), request(4));
    assertEquals(2, host.sent.stream().filter(m -> m instanceof ClusterMessage.AuthAck).count());
  }

  @Test
  void slotsMoveOnlyToAGreaterConfigEpochAndTheLoserFollowsTheWinner() {
    Recording host = new Recording();
    ClusterState s = m2View(host);
    NodeView r1 = s.node("r1");
    r1.setMaster();
    s.updateSlotsConfigWith(r1, 1, Slots.range(0, 99)); // the same configEpoch as m1's: nothing moves
    assertEquals("m1", s.slots[0]);
    s.updateSlotsConfigWith(r1, 2, Slots.range(0, 199)); // greater than m1's 1, only equal to m2's 2 for 100-199
    assertEquals("r1", s.slots[0]);
    assertEquals("m2", s.slots[150]);
    assertTrue(s.me().master, "m2 kept its slots, so it stays a master");
    s.updateSlotsConfigWith(r1, 3, Slots.range(100, 16383)); // r1's claim on m2's slots with a greater epoch
    assertTrue(!s.me().master && "r1".equals(s.me().slaveof), "m2 lost its last slot: it follows r1");
    assertTrue(host.points.stream().anyMatch(p -> p.contains("Reconfiguring myself as a replica of r1")), host.points.toString());
  }
}
