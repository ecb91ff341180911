package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CLUSTER MEET, the handshake and discovery through gossip, and CLUSTER FORGET, on nodes wired by {@link BusHarness}:
 * a fresh node m4 joins three masters.
 */
class HandshakeTest {
  static final List<String> ALL = List.of("m1", "m2", "m3", "m4");

  static BusHarness cluster() {
    ClusterConfig c = ClusterConfig.evenly(List.of("m1", "m2", "m3"), Map.of());
    c.settings.clusterNodeTimeoutMs = 2000;
    BusHarness h = new BusHarness(c);
    h.addFresh("m4", c.settings);
    return h;
  }

  static NodeCommands commands(BusHarness h, String node) {
    return new NodeCommands(h.state(node), host -> h.hosts.containsKey(host) || NodeCommands.ipv4(host));
  }

  static List<String> known(ClusterState s) {
    return s.nodes.values().stream().filter(n -> !n.handshake).map(n -> n.name).toList();
  }

  @Test
  void aFreshNodeIsAloneUntilMet() {
    BusHarness h = cluster();
    h.run(3000);
    ClusterState m4 = h.state("m4");
    assertEquals(List.of("m4"), known(m4));
    assertEquals(0, m4.me().configEpoch);
    assertEquals(0, m4.currentEpoch);
    assertFalse(m4.ok, "no slots covered: cluster_state:fail");
    assertEquals(List.of("m1", "m2", "m3"), known(h.state("m1")), "the others do not know it either");
  }

  @Test
  void meetStartsAHandshakeThatGossipTurnsIntoAFullMembership() {
    BusHarness h = cluster();
    assertEquals("+OK\r\n", commands(h, "m4").meet(List.of("CLUSTER", "MEET", "m1", "6379")));
    NodeView hs = h.state("m4").handshakes().get(0);
    assertEquals("m1", hs.address);
    assertEquals(40, hs.name.length(), "a random 40-hex name until the PONG names it");
    assertTrue(hs.meet);
    assertTrue(NodesConf.line(h.state("m4"), hs, false).matches("[0-9a-f]{40} m1:6379@16379 handshake - \\d+ 0 0 disconnected"),
        NodesConf.line(h.state("m4"), hs, false));
    assertEquals("+OK\r\n", commands(h, "m4").meet(List.of("CLUSTER", "MEET", "m1", "6379")), "EAGAIN is +OK");
    assertEquals(1, h.state("m4").handshakes().size(), "one handshake per address");
    h.run(3000);
    for (String n : ALL) {
      assertEquals(ALL, known(h.state(n)), n + " knows every node by its name");
      assertTrue(h.state(n).handshakes().isEmpty(), n + " has no handshake node left");
    }
    assertTrue(h.hosts.get("m4").points.stream().anyMatch(p -> p.startsWith("redis.cluster.handshake-completed Handshake with node m1")));
    assertTrue(h.hosts.get("m2").points.stream().anyMatch(p -> p.startsWith("redis.cluster.node-learned node m4")), "m2 learned m4 by gossip");
    assertTrue(h.state("m4").node("m2").master, "with the role the gossip carried");
    assertTrue(h.state("m4").ok, "m4 sees every slot covered");
    assertFalse(NodesConf.render(h.state("m1")).contains("handshake"), "handshake nodes are never saved");
  }

  @Test
  void aLostMeetLeavesAHandshakeThatTimesOutAndIsNeverResent() {
    BusHarness h = cluster();
    h.loses = e -> e[2] instanceof ClusterMessage.Meet;
    commands(h, "m4").meet(List.of("CLUSTER", "MEET", "m1", "6379"));
    h.run(1000);
    assertEquals(1, h.state("m4").handshakes().size(), "still in handshake within the node timeout");
    h.run(1500);
    assertTrue(h.state("m4").handshakes().isEmpty(), "deleted after the handshake timeout (node-timeout, 2000 ms)");
    assertEquals(List.of("m4"), known(h.state("m4")));
    h.loses = e -> false;
    commands(h, "m4").meet(List.of("CLUSTER", "MEET", "m1", "6379"));
    h.run(3000);
    assertEquals(ALL, known(h.state("m4")), "a second MEET joins it");
  }

  @Test
  void meetingAKnownNodeEndsWithTheHandshakeNodeDeleted() {
    BusHarness h = cluster();
    commands(h, "m1").meet(List.of("CLUSTER", "MEET", "m2", "6379"));
    h.run(1000);
    assertEquals(List.of("m1", "m2", "m3"), known(h.state("m1")));
    assertTrue(h.state("m1").handshakes().isEmpty());
    assertTrue(h.hosts.get("m1").points.stream().anyMatch(p -> p.startsWith("redis.cluster.handshake-known Handshake: we already know node m2")));
  }

  @Test
  void anAddressWhereNothingListensNeverConnects() {
    BusHarness h = cluster();
    assertEquals("+OK\r\n", commands(h, "m4").meet(List.of("CLUSTER", "MEET", "127.0.0.1", "6379")));
    assertEquals("+OK\r\n", commands(h, "m4").meet(List.of("CLUSTER", "MEET", "m1", "7000")));
    h.run(1000);
    assertEquals(2, h.state("m4").handshakes().size());
    assertEquals(List.of("m4"), known(h.state("m4")));
    h.run(1500);
    assertTrue(h.state("m4").handshakes().isEmpty());
  }

  @Test
  void meetErrorsNameTheArgument() {
    BusHarness h = cluster();
    NodeCommands c = commands(h, "m4");
    assertEquals("-ERR Invalid TCP base port specified: x\r\n", c.meet(List.of("CLUSTER", "MEET", "m1", "x")));
    assertEquals("-ERR Invalid TCP bus port specified: y\r\n", c.meet(List.of("CLUSTER", "MEET", "m1", "6379", "y")));
    assertEquals("-ERR Invalid node address specified: nohost:6379\r\n", c.meet(List.of("CLUSTER", "MEET", "nohost", "6379")));
    assertEquals("-ERR Invalid node address specified: m1:0\r\n", c.meet(List.of("CLUSTER", "MEET", "m1", "0")));
    assertEquals("-ERR Invalid node address specified: m1:70000\r\n", c.meet(List.of("CLUSTER", "MEET", "m1", "70000")));
    assertEquals("-ERR Invalid node address specified: 127.0.0.01:6379\r\n", c.meet(List.of("CLUSTER", "MEET", "127.0.0.01", "6379")));
    assertTrue(h.state("m4").handshakes().isEmpty(), "no handshake from a refused MEET");
  }

  @Test
  void forgetDropsANodeAndGossipCannotBringItBackFor60Seconds() {
    BusHarness h = cluster();
    assertEquals("-ERR Unknown node zz\r\n", commands(h, "m1").forget(List.of("CLUSTER", "FORGET", "zz")));
    assertEquals("-ERR I tried hard but I can't forget myself...\r\n", commands(h, "m1").forget(List.of("CLUSTER", "FORGET", "m1")));
    assertEquals("+OK\r\n", commands(h, "m1").forget(List.of("CLUSTER", "FORGET", "m3")));
    assertNull(h.state("m1").node("m3"));
    assertTrue(h.state("m1").slots[16000] == null, "its slots are unassigned in m1's view");
    h.run(20_000); // m2 keeps gossiping m3 to m1
    assertNull(h.state("m1").node("m3"), "blacklisted");
    h.run(45_000);
    assertNotNull(h.state("m1").node("m3"), "learned again from gossip once the blacklist entry expired");
    h.run(2000);
    assertEquals("m3", h.state("m1").slots[16000], "and its slots with its next PING");
  }

  @Test
  void aReplicaCannotForgetItsMaster() {
    ClusterConfig c = ClusterConfig.evenly(List.of("m1", "m2"), Map.of("r1", "m1"));
    BusHarness h = new BusHarness(c);
    NodeCommands r1 = new NodeCommands(h.state("r1"), host -> true);
    assertEquals("-ERR Can't forget my master!\r\n", r1.forget(List.of("CLUSTER", "FORGET", "m1")));
    assertEquals("+OK\r\n", r1.forget(List.of("CLUSTER", "FORGET", "m2")));
  }
}
