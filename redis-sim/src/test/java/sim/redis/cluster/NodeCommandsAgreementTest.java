package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * CLUSTER MEET and CLUSTER FORGET against real redis-server 7.0 cluster nodes: every error reply byte for byte, +OK for
 * a MEET whose handshake is already in progress, the CLUSTER NODES line of a handshake node, and the membership two
 * real nodes end with after a MEET, compared with the model's run of the same steps.
 */
class NodeCommandsAgreementTest {
  /** The same argument vector on the real node and on the model's m1 (whose peers are m2, m3, m4). */
  private static void sameReply(RespClient real, NodeCommands model, String... argv) throws Exception {
    List<String> a = List.of(argv);
    String ours = a.get(1).equalsIgnoreCase("meet") ? model.meet(a) : model.forget(a);
    assertEquals(real.call(argv), ours, String.join(" ", argv));
  }

  @Test
  void meetAndForgetErrorsAreRedisOwn() throws Exception {
    RealRedis.require();
    BusHarness h = HandshakeTest.cluster();
    NodeCommands model = HandshakeTest.commands(h, "m1");
    try (RealRedis real = RealRedis.start(Files.createTempDirectory("redis-meet"), ClusterAgreementTest.clusterArgs()); RespClient c = real.client()) {
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.1", "x");
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.1", "6379", "y");
      sameReply(c, model, "CLUSTER", "MEET", "nohost", "6379");
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.1", "0");
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.1", "70000");
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.01", "6379");
      sameReply(c, model, "CLUSTER", "MEET", "127.0.0.1", "6379", "0");
      sameReply(c, model, "CLUSTER", "FORGET", "0123456789012345678901234567890123456789");
      String myId = ClusterAgreementTest.bulk(c.call("CLUSTER", "MYID"));
      assertEquals("-ERR I tried hard but I can't forget myself...\r\n", c.call("CLUSTER", "FORGET", myId));
      assertEquals(c.call("CLUSTER", "FORGET", myId), model.forget(List.of("CLUSTER", "FORGET", "m1")));
    }
  }

  @Test
  void aHandshakeNodeLooksTheSameInClusterNodes() throws Exception {
    RealRedis.require();
    try (RealRedis real = RealRedis.start(Files.createTempDirectory("redis-handshake"), ClusterAgreementTest.clusterArgs()); RespClient c = real.client()) {
      int nobody = RealRedis.freePort();
      assertEquals("+OK\r\n", c.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nobody)));
      assertEquals("+OK\r\n", c.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nobody)), "a handshake in progress: +OK");
      List<String> lines = ClusterAgreementTest.bulk(c.call("CLUSTER", "NODES")).lines().filter(l -> l.contains("handshake")).toList();
      assertEquals(1, lines.size(), "one handshake node per address: " + lines);
      BusHarness h = HandshakeTest.cluster();
      HandshakeTest.commands(h, "m4").meet(List.of("CLUSTER", "MEET", "127.0.0.1", Integer.toString(nobody)));
      String ours = NodesConf.line(h.state("m4"), h.state("m4").handshakes().get(0), false);
      // <40-hex id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state>: all but the id,
      // the ping time and the link state (connected for the instant a connect is pending) equal
      String[] r = lines.get(0).split(" ");
      String[] o = ours.split(" ");
      assertEquals(8, r.length, lines.get(0));
      assertEquals(r.length, o.length, ours);
      assertTrue(r[0].matches("[0-9a-f]{40}") && o[0].matches("[0-9a-f]{40}"), r[0] + " / " + o[0]);
      for (int i : new int[] {1, 2, 3, 5, 6}) assertEquals(r[i], o[i], "field " + i + ": " + lines.get(0) + " vs " + ours);
    }
  }

  @Test
  void twoMetNodesEndKnowingEachOtherAsTheModelsDo() throws Exception {
    RealRedis.require();
    try (RealRedis a = RealRedis.start(Files.createTempDirectory("redis-meet-a"), ClusterAgreementTest.clusterArgs());
        RealRedis b = RealRedis.start(Files.createTempDirectory("redis-meet-b"), ClusterAgreementTest.clusterArgs());
        RealRedis d = RealRedis.start(Files.createTempDirectory("redis-meet-c"), ClusterAgreementTest.clusterArgs());
        RespClient ca = a.client(); RespClient cb = b.client(); RespClient cd = d.client()) {
      assertEquals("+OK\r\n", ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
      assertEquals("+OK\r\n", cb.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(a.port), busPort(ca)));
      assertEquals("+OK\r\n", cd.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port), busPort(cb)));
      String real = waitForMembers(cd, 3);
      // d met only b; it learned a (the slot owner) from b's gossip, by its exact name
      String aId = ClusterAgreementTest.bulk(ca.call("CLUSTER", "MYID"));
      assertTrue(real.contains(aId), real);
      ClusterConfig c = new ClusterConfig();
      c.masters.put("m1", Slots.range(0, 16383));
      c.settings.clusterNodeTimeoutMs = 15000;
      BusHarness h = new BusHarness(c);
      h.addFresh("m2", c.settings);
      h.addFresh("m3", c.settings);
      HandshakeTest.commands(h, "m2").meet(List.of("CLUSTER", "MEET", "m1", "6379"));
      HandshakeTest.commands(h, "m3").meet(List.of("CLUSTER", "MEET", "m2", "6379"));
      h.run(5000);
      ClusterState m3 = h.state("m3");
      assertEquals(List.of("m1", "m2", "m3"), HandshakeTest.known(m3));
      assertEquals(flagsByOwner(real, aId), flagsOfModel(m3));
    }
  }

  /** The flags and slots of each line, the slot owner first: "master 0-16383", then the others sorted. */
  private static List<String> flagsByOwner(String nodes, String ownerId) {
    List<String> out = new java.util.ArrayList<>();
    List<String> rest = new java.util.ArrayList<>();
    for (String line : nodes.lines().toList()) {
      String[] w = line.split(" ");
      String entry = w[2] + (w.length > 8 ? " " + w[8] : "");
      if (w[0].equals(ownerId)) out.add(entry);
      else rest.add(entry);
    }
    rest.sort(null);
    out.addAll(rest);
    return out;
  }

  private static List<String> flagsOfModel(ClusterState s) {
    StringBuilder sb = new StringBuilder();
    for (NodeView n : s.nodes.values()) sb.append(NodesConf.line(s, n, false)).append('\n');
    return flagsByOwner(sb.toString(), "m1");
  }

  private static String waitForMembers(RespClient c, int n) throws Exception {
    for (int i = 0; i < 200; i++) {
      String nodes = ClusterAgreementTest.bulk(c.call("CLUSTER", "NODES"));
      if (nodes.lines().count() == n && !nodes.contains("handshake") && nodes.contains(" 0-16383")) return nodes; // and the owner's slots
      Thread.sleep(50);
    }
    throw new AssertionError("never " + n + " members with the slots known: " + c.call("CLUSTER", "NODES"));
  }

  private static String busPort(RespClient c) throws Exception {
    String myself = ClusterAgreementTest.bulk(c.call("CLUSTER", "NODES")).lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
    String addr = myself.split(" ")[1];
    return addr.substring(addr.indexOf('@') + 1).split(",")[0];
  }

}
