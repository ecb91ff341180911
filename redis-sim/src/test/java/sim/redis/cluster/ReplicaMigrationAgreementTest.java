package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * Replica migration on a real redis-server 7.0 cluster and in the model, with the same node IDs: masters A and C,
 * A's only replica RA, C's two replicas. RA dies; once it is FAIL and A has been orphaned for 5 s, the replica of C
 * with the smaller node ID moves to A, in both; the other stays with C. cluster-node-timeout 1000 to be quick.
 */
class ReplicaMigrationAgreementTest {
  static String[] args() throws Exception {
    return new String[] {"--cluster-enabled", "yes", "--cluster-port", Integer.toString(RealRedis.freePort()), "--cluster-node-timeout", "1000",
        "--repl-diskless-sync-delay", "0"};
  }

  @Test
  void theSpareReplicaWithTheSmallestIdMigratesToTheOrphanedMasterAsInRealRedis() throws Exception {
    RealRedis.require();
    List<RealRedis> servers = new ArrayList<>();
    List<RespClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        servers.add(RealRedis.start(Files.createTempDirectory("redis-migration-" + i), args()));
        clients.add(servers.get(i).client());
      }
      RespClient a = clients.get(0);
      RespClient c = clients.get(1);
      List<String> ids = new ArrayList<>();
      for (RespClient x : clients) ids.add(ClusterAgreementTest.bulk(x.call("CLUSTER", "MYID")));
      assertEquals("+OK\r\n", a.call("CLUSTER", "SET-CONFIG-EPOCH", "1"));
      assertEquals("+OK\r\n", c.call("CLUSTER", "SET-CONFIG-EPOCH", "2"));
      assertEquals("+OK\r\n", a.call("CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
      assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
      for (int i = 1; i < 5; i++) {
        String bus = ClusterAgreementTest.bulk(clients.get(i).call("CLUSTER", "NODES")).lines().filter(l -> l.contains("myself"))
            .findFirst().orElseThrow().split(" ")[1].split("@")[1].split(",")[0];
        assertEquals("+OK\r\n", a.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(servers.get(i).port), bus));
      }
      for (RespClient x : clients) {
        ManualFailoverAgreementTest.waitFor(() -> x.call("CLUSTER", "INFO").contains("cluster_known_nodes:5"), "5 nodes known", x);
      }
      String[] masterOf = {null, null, ids.get(0), ids.get(1), ids.get(1)};
      for (int i = 2; i < 5; i++) {
        RespClient x = clients.get(i);
        String m = masterOf[i];
        ManualFailoverAgreementTest.waitFor(() -> x.call("CLUSTER", "REPLICATE", m).equals("+OK\r\n"), "replicate", x);
      }
      for (int i = 2; i < 5; i++) {
        RespClient x = clients.get(i);
        ManualFailoverAgreementTest.waitFor(() -> x.call("ROLE").contains("connected"), "link up", x);
      }
      for (RespClient x : clients) {
        ManualFailoverAgreementTest.waitFor(() -> x.call("CLUSTER", "INFO").contains("cluster_state:ok"), "state ok", x);
      }
      Thread.sleep(1500); // everyone has heard every replica's master

      ClusterConfig cfg = new ClusterConfig();
      cfg.masters.put(ids.get(0), Slots.range(0, 8191));
      cfg.masters.put(ids.get(1), Slots.range(8192, 16383));
      Map<String, String> replicas = new LinkedHashMap<>();
      for (int i = 2; i < 5; i++) replicas.put(ids.get(i), masterOf[i]);
      cfg.replicas.putAll(replicas);
      cfg.settings.clusterNodeTimeoutMs = 1000;
      BusHarness model = new BusHarness(cfg);

      servers.get(2).close(); // RA, A's only replica, dies
      model.kill(ids.get(2));
      String real = null;
      for (int i = 0; i < 300 && real == null; i++) {
        Thread.sleep(100);
        real = migrated(ClusterAgreementTest.bulk(a.call("CLUSTER", "NODES")), ids, ids.get(0));
      }
      assertTrue(real != null, "no replica migrated on the real cluster: " + a.call("CLUSTER", "NODES"));
      model.run(15_000);
      String ours = migrated(model.nodes(ids.get(0)), ids, ids.get(0));
      String smaller = ids.get(3).compareTo(ids.get(4)) < 0 ? ids.get(3) : ids.get(4);
      assertEquals(real, ours, "the same replica migrates");
      assertEquals(smaller, real, "the smaller node ID of C's replicas");
      assertTrue(model.hosts.get(ours).points.stream().anyMatch(p -> p.contains("Migrating to orphaned master " + ids.get(0))));
      assertTrue(servers.get(ids.indexOf(real)).log().contains("Migrating to orphaned master " + ids.get(0)), "Redis's log line");
      String other = real.equals(ids.get(3)) ? ids.get(4) : ids.get(3);
      assertEquals(ids.get(1), model.state(other).me().slaveof, "the other stays with C");
    } finally {
      for (RespClient x : clients) {
        try {
          x.close();
        } catch (Exception e) {
          // the server is gone
        }
      }
      for (RealRedis s : servers) s.close();
    }
  }

  /** Which of C's former replicas (ids 3 and 4) the CLUSTER NODES text shows replicating {@code master}, or null. */
  static String migrated(String nodes, List<String> ids, String master) {
    for (String l : nodes.split("\n")) {
      String[] w = l.split(" ");
      if (w.length > 3 && (w[0].equals(ids.get(3)) || w[0].equals(ids.get(4))) && w[3].equals(master)) return w[0];
    }
    return null;
  }
}
