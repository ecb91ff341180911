package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * Real redis-server 7.0 nodes in cluster mode, started by the test, against the model: the exact bytes of -MOVED
 * (two nodes sharing the slots), of -CLUSTERDOWN (a node owning only some slots: "Hash slot not served" for an
 * unowned slot, "The cluster is down" for an owned one while cluster_state is fail), and CLUSTER INFO's lines.
 */
class ClusterAgreementTest {
  /** A host for a ClusterState outside the simulation: a clock the test moves, nothing sent. */
  static class StubHost implements ClusterHost {
    long nowMs = 1_000_000;
    final java.util.TreeMap<Integer, List<String>> keys = new java.util.TreeMap<>();

    @Override public long nowMs() { return nowMs; }
    @Override public boolean listening(String host, int port) { return port == 6379; }
    @Override public void send(String node, ClusterMessage m) { }
    @Override public int random(int bound) { return 0; }
    @Override public void point(String name, String detail, Object... attributes) { }
    @Override public void replicateFrom(String master) { }
    @Override public void stopReplicating() { }
    @Override public boolean replicating() { return false; }
    @Override public long replOffset() { return 0; }
    @Override public void saveConfig() { }
    @Override public List<String> keysInSlot(int slot) { return keys.getOrDefault(slot, List.of()); }
  }

  /** The model's view of a lone master owning {@code from..to} with configEpoch 0, after its writable delay. */
  static ClusterState lone(StubHost host, int from, int to) {
    ClusterState s = new ClusterState(host, new ClusterSettings(), "me");
    NodeView me = new NodeView("me");
    me.master = true;
    s.nodes.put("me", me);
    for (int j = from; j <= to; j++) s.addSlot("me", j);
    s.updateState();
    host.nowMs += ClusterState.WRITABLE_DELAY_MS + 1;
    s.updateState();
    return s;
  }

  static String key(int fromSlot, int toSlot) {
    for (int i = 0; ; i++) {
      int slot = KeySlot.of("key" + i);
      if (slot >= fromSlot && slot <= toSlot) return "key" + i;
    }
  }

  static String[] clusterArgs() throws Exception {
    return new String[] {"--cluster-enabled", "yes", "--cluster-port", Integer.toString(RealRedis.freePort()), "--cluster-node-timeout", "15000"};
  }

  @Test
  void clusterdownRepliesAndClusterInfoAgreeWithALoneNodeOwningSomeSlots() throws Exception {
    RealRedis.require();
    try (RealRedis real = RealRedis.start(Files.createTempDirectory("redis-clusterdown"), clusterArgs()); RespClient c = real.client()) {
      assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "100"));
      Thread.sleep(300); // a few clusterCron runs
      ClusterState model = lone(new StubHost(), 0, 100);
      for (String k : List.of(key(0, 100), key(101, 16383))) {
        assertEquals(c.call("SET", k, "v"), "-" + Redirect.check(model, List.of("SET", k, "v")) + "\r\n", k);
      }
      assertEquals("+PONG\r\n", c.call("PING")); // no key: served even when down, as the model does
      assertEquals(null, Redirect.check(model, List.of("PING")));
      assertEquals(infoLines(bulk(c.call("CLUSTER", "INFO")), 9), infoLines(new ClusterInfo().render(model), 9));
      assertTrue(new ClusterInfo().render(model).contains("cluster_state:fail\r\n"));
    }
  }

  @Test
  void movedAndClusterInfoAgreeWithTwoNodesSharingTheSlots() throws Exception {
    RealRedis.require();
    try (RealRedis a = RealRedis.start(Files.createTempDirectory("redis-moved-a"), clusterArgs());
        RealRedis b = RealRedis.start(Files.createTempDirectory("redis-moved-b"), clusterArgs());
        RespClient ca = a.client(); RespClient cb = b.client()) {
      assertEquals("+OK\r\n", ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
      assertEquals("+OK\r\n", cb.call("CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
      String bBusPort = busPort(cb);
      assertEquals("+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port), bBusPort));
      waitForOk(ca);
      waitForOk(cb);
      String k = key(8192, 16383);
      int slot = KeySlot.of(k);
      assertEquals("-" + Redirect.moved(slot, "127.0.0.1", b.port) + "\r\n", ca.call("SET", k, "v"));
      assertEquals("+OK\r\n", cb.call("SET", k, "v"));
      // the model, in the same configuration, redirects the same key with the same slot from the same side
      ClusterState model = lone(new StubHost(), 0, 8191);
      NodeView other = new NodeView("127.0.0.1");
      other.master = true;
      model.nodes.put(other.name, other);
      for (int j = 8192; j < Slots.COUNT; j++) model.addSlot(other.name, j);
      model.updateState();
      assertEquals(Redirect.moved(slot, "127.0.0.1"), Redirect.check(model, List.of("SET", k, "v")));
      List<String> real = infoLines(bulk(ca.call("CLUSTER", "INFO")), 9);
      List<String> ours = infoLines(new ClusterInfo().render(model), 9);
      assertEquals("cluster_state:ok", real.get(0));
      assertEquals(real.get(0), ours.get(0));
      assertEquals(names(real), names(ours)); // the same lines in the same order
      assertTrue(real.get(7).startsWith("cluster_current_epoch:"), real.toString());
      // MEET between two configEpoch-0 masters: clusterHandleConfigEpochCollision bumps one to currentEpoch 1
      model.currentEpoch = 1;
      assertEquals(real.get(7), infoLines(new ClusterInfo().render(model), 9).get(7));
    }
  }

  private static String busPort(RespClient c) throws Exception {
    String myself = bulk(c.call("CLUSTER", "NODES")).lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
    String addr = myself.split(" ")[1]; // ip:port@cport
    return addr.substring(addr.indexOf('@') + 1).split(",")[0];
  }

  private static void waitForOk(RespClient c) throws Exception {
    for (int i = 0; i < 200; i++) {
      String info = c.call("CLUSTER", "INFO");
      if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:2") && !info.contains("cluster_current_epoch:0")) return;
      Thread.sleep(50);
    }
    throw new AssertionError("cluster never became ok: " + c.call("CLUSTER", "INFO"));
  }

  /** The text of a RESP2 bulk string reply. */
  static String bulk(String resp) {
    assertTrue(resp.startsWith("$"), resp);
    return resp.substring(resp.indexOf("\r\n") + 2, resp.length() - 2);
  }

  static List<String> infoLines(String info, int n) {
    List<String> out = new ArrayList<>(List.of(info.split("\r\n")));
    return out.subList(0, Math.min(n, out.size()));
  }

  private static List<String> names(List<String> lines) {
    return lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
  }
}
