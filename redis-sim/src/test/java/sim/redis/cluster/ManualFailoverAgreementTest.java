package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * CLUSTER FAILOVER on a real redis-server 7.0 master A (every slot) and its replica B, and on the model's m1 and r1
 * wired by {@link BusHarness}: the reply of each form in each state (error texts byte for byte), the roles swapped
 * by the default form (ROLE, CLUSTER NODES flags and master column), CLUSTER INFO's epochs and MFSTART counters,
 * then with the new master dead: the refusal of the default form, FORCE that cannot win without a voting master,
 * and TAKEOVER's configEpoch bumped without consensus.
 */
class ManualFailoverAgreementTest {
  static String[] args() throws Exception {
    String[] c = ClusterAgreementTest.clusterArgs();
    String[] out = java.util.Arrays.copyOf(c, c.length + 2);
    out[c.length] = "--repl-diskless-sync-delay";
    out[c.length + 1] = "0";
    return out;
  }

  @Test
  void clusterFailoverInEachFormAgreesWithARealMasterAndReplica() throws Exception {
    RealRedis.require();
    try (RealRedis a = RealRedis.start(Files.createTempDirectory("redis-mf-a"), args());
        RealRedis b = RealRedis.start(Files.createTempDirectory("redis-mf-b"), args());
        RespClient ca = a.client(); RespClient cb = b.client()) {
      String aId = replicaOf(ca, cb, b);
      String bId = ClusterAgreementTest.bulk(cb.call("CLUSTER", "MYID"));
      BusHarness model = ManualFailoverTest.pair();
      assertEquals(ca.call("CLUSTER", "FAILOVER"), model.command("m1", "CLUSTER", "FAILOVER"));
      assertEquals(ca.call("CLUSTER", "FAILOVER", "NOW"), model.command("m1", "CLUSTER", "FAILOVER", "NOW"));
      assertEquals(cb.call("CLUSTER", "FAILOVER", "NOW"), model.command("r1", "CLUSTER", "FAILOVER", "NOW"));
      assertEquals("+OK\r\n", ca.call("SET", "k", "v"));

      assertEquals(cb.call("CLUSTER", "FAILOVER"), model.command("r1", "CLUSTER", "FAILOVER"));
      waitFor(() -> role(cb).equals("master") && role(ca).equals("slave"), "B promoted, A its replica", cb);
      model.run(3000); // the old master's next PING tells r1 it is a replica now
      Thread.sleep(1000);
      assertEquals(role(cb), model.state("r1").me().master ? "master" : "slave");
      assertEquals(role(ca), model.state("m1").me().master ? "master" : "slave");
      assertEquals(nodeLine(cb, bId, aId, bId), nodeLine(model.nodes("r1"), "r1", "m1", "r1"));
      assertEquals(nodeLine(cb, aId, aId, bId), nodeLine(model.nodes("r1"), "m1", "m1", "r1"));
      assertEquals(nodeLine(ca, aId, aId, bId), nodeLine(model.nodes("m1"), "m1", "m1", "r1"));
      for (String field : List.of("cluster_state", "cluster_known_nodes", "cluster_size", "cluster_current_epoch", "cluster_my_epoch",
          "cluster_stats_messages_mfstart_sent", "cluster_stats_messages_mfstart_received")) {
        assertEquals(field(ca.call("CLUSTER", "INFO"), field), field(model.info("m1"), field), "A / m1 " + field);
        assertEquals(field(cb.call("CLUSTER", "INFO"), field), field(model.info("r1"), field), "B / r1 " + field);
      }

      cb.call("SHUTDOWN", "NOSAVE"); // the new master dies; A's bus link to it closes
      model.kill("r1");
      String expected = model.command("m1", "CLUSTER", "FAILOVER");
      assertEquals("-ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\r\n", expected);
      waitFor(() -> ca.call("CLUSTER", "FAILOVER").equals(expected), "A refuses the default form", ca);
      assertEquals(ca.call("CLUSTER", "FAILOVER", "FORCE"), model.command("m1", "CLUSTER", "FAILOVER", "FORCE"));
      Thread.sleep(1000);
      model.run(1000);
      assertEquals("slave", role(ca), "no master left to vote");
      assertEquals(role(ca), model.state("m1").me().master ? "master" : "slave");
      assertEquals(ca.call("CLUSTER", "FAILOVER", "TAKEOVER"), model.command("m1", "CLUSTER", "FAILOVER", "TAKEOVER"));
      waitFor(() -> role(ca).equals("master"), "A took over", ca);
      assertTrue(model.state("m1").me().master);
      for (String field : List.of("cluster_current_epoch", "cluster_my_epoch")) {
        assertEquals(field(ca.call("CLUSTER", "INFO"), field), field(model.info("m1"), field), "after TAKEOVER " + field);
      }
    }
  }

  /** A owns every slot, meets B, and B replicates A until its link is up; A's node id. */
  static String replicaOf(RespClient ca, RespClient cb, RealRedis b) throws Exception {
    assertEquals("+OK\r\n", ca.call("CLUSTER", "SET-CONFIG-EPOCH", "1")); // as redis-cli --cluster create numbers the masters
    assertEquals("+OK\r\n", ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
    String busPort = ClusterAgreementTest.bulk(cb.call("CLUSTER", "NODES")).lines().filter(l -> l.contains("myself")).findFirst()
        .orElseThrow().split(" ")[1].split("@")[1].split(",")[0];
    assertEquals("+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port), busPort));
    String aId = ClusterAgreementTest.bulk(ca.call("CLUSTER", "MYID"));
    waitFor(() -> ClusterAgreementTest.bulk(cb.call("CLUSTER", "NODES")).contains(aId + " 127.0.0.1"), "B knows A", cb);
    waitFor(() -> cb.call("CLUSTER", "REPLICATE", aId).equals("+OK\r\n"), "B replicates A", cb);
    waitFor(() -> cb.call("ROLE").contains("connected"), "B's link up", cb);
    waitFor(() -> ca.call("CLUSTER", "INFO").contains("cluster_state:ok"), "A's state ok", ca);
    waitFor(() -> cb.call("CLUSTER", "INFO").contains("cluster_current_epoch:1"), "B's currentEpoch 1", cb);
    return aId;
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  static void waitFor(Condition c, String what, RespClient client) throws Exception {
    for (int i = 0; i < 200; i++) {
      if (c.holds()) return;
      Thread.sleep(50);
    }
    throw new AssertionError("never: " + what + "; " + client.call("CLUSTER", "NODES") + client.call("ROLE"));
  }

  /** ROLE's first element. */
  static String role(RespClient c) throws Exception {
    return c.call("ROLE").split("\r\n")[2];
  }

  static String nodeLine(RespClient c, String id, String aId, String bId) throws Exception {
    return nodeLine(ClusterAgreementTest.bulk(c.call("CLUSTER", "NODES")), id, aId, bId);
  }

  /** The node's CLUSTER NODES flags, master column, configEpoch and slots, node ids renamed A and B. */
  static String nodeLine(String nodes, String id, String aId, String bId) {
    String line = nodes.lines().filter(l -> l.startsWith(id + " ")).findFirst().orElseThrow(() -> new AssertionError(id + " in " + nodes));
    String[] w = line.split(" ");
    StringBuilder sb = new StringBuilder(w[2]).append(' ').append(w[3].replace(aId, "A").replace(bId, "B")).append(" e").append(w[6]);
    for (int i = 8; i < w.length; i++) sb.append(' ').append(w[i]);
    return sb.toString();
  }

  /** One CLUSTER INFO field's value, or "absent". */
  static String field(String info, String name) {
    for (String l : info.split("\r\n")) if (l.startsWith(name + ":")) return l.substring(name.length() + 1);
    return "absent";
  }
}
