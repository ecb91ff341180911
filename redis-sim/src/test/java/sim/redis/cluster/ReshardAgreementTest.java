package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.redis.keyspace.RString;
import sim.redis.rdb.RdbWriter;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * Two real redis-server 7.0 cluster nodes, A owning 0-8191 and B 8192-16383, with one of A's slots in migration
 * (IMPORTING on B, MIGRATING on A), against the model in the same configuration: the exact -ASK, -TRYAGAIN and
 * -MOVED bytes, ASKING on the importing node, the error texts of CLUSTER SETSLOT / COUNTKEYSINSLOT / GETKEYSINSLOT
 * and MIGRATE, the DUMP payload of a string, and a MIGRATE that moves a key.
 */
class ReshardAgreementTest {
  @Test
  void redirectionsAndErrorsAgreeWithARealClusterDuringAMigration() throws Exception {
    RealRedis.require();
    try (RealRedis a = RealRedis.start(Files.createTempDirectory("redis-reshard-a"), ClusterAgreementTest.clusterArgs());
        RealRedis b = RealRedis.start(Files.createTempDirectory("redis-reshard-b"), ClusterAgreementTest.clusterArgs());
        RespClient ca = a.client(); RespClient cb = b.client(); RespClient cb2 = b.client()) {
      assertEquals("+OK\r\n", ca.call("CLUSTER", "ADDSLOTSRANGE", "0", "8191"));
      assertEquals("+OK\r\n", cb.call("CLUSTER", "ADDSLOTSRANGE", "8192", "16383"));
      assertEquals("+OK\r\n", ca.call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(b.port), busPort(cb)));
      String idA = ClusterAgreementTest.bulk(ca.call("CLUSTER", "MYID"));
      String idB = ClusterAgreementTest.bulk(cb.call("CLUSTER", "MYID"));
      waitUntilKnown(ca, cb);
      String present = ClusterAgreementTest.key(0, 8191);
      int slot = KeySlot.of(present);
      String missing = "{" + present + "}gone";
      String missing2 = "{" + present + "}gone2";
      assertEquals("+OK\r\n", ca.call("SET", present, "v"));

      // the model: A ("me") and B named by B's real node ID, and the key in A's keyspace
      ClusterAgreementTest.StubHost host = new ClusterAgreementTest.StubHost();
      ClusterState model = ClusterAgreementTest.lone(host, 0, 8191);
      NodeView nb = new NodeView(idB);
      nb.master = true;
      model.nodes.put(idB, nb);
      for (int j = 8192; j < Slots.COUNT; j++) model.addSlot(idB, j);
      model.updateState();
      host.keys.put(slot, List.of(present));
      SlotCommands cmds = new SlotCommands(model, null);
      Set<String> onA = Set.of(present);

      assertEquals("+OK\r\n", cb.call("CLUSTER", "SETSLOT", Integer.toString(slot), "IMPORTING", idA));
      assertEquals("+OK\r\n", ca.call("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", idB));
      assertEquals("+OK\r\n", cmds.setslot(List.of("CLUSTER", "SETSLOT", Integer.toString(slot), "MIGRATING", idB)));

      // on the MIGRATING source: a key it has is served, a missing one is -ASK, a mix is -TRYAGAIN
      assertEquals("$1\r\nv\r\n", ca.call("GET", present));
      assertNull(Redirect.check(model, List.of("GET", present), false, onA::contains));
      assertEquals("-" + Redirect.ask(slot, "127.0.0.1", b.port) + "\r\n", ca.call("GET", missing));
      assertEquals(Redirect.ask(slot, idB, 6379), Redirect.check(model, List.of("GET", missing), false, onA::contains));
      assertEquals("-" + Redirect.TRYAGAIN + "\r\n", ca.call("MGET", present, missing));
      assertEquals(Redirect.TRYAGAIN, Redirect.check(model, List.of("MGET", present, missing), false, onA::contains));

      // on the IMPORTING target: -MOVED without ASKING, served after it (once), -TRYAGAIN for several missing keys
      ClusterState target = importingTarget(idA, slot);
      assertEquals("-" + Redirect.moved(slot, "127.0.0.1", a.port) + "\r\n", cb.call("GET", missing));
      assertEquals(Redirect.moved(slot, idA), Redirect.check(target, List.of("GET", missing), false, k -> false));
      assertEquals("+OK\r\n", cb.call("ASKING"));
      assertEquals("$-1\r\n", cb.call("GET", missing));
      assertNull(Redirect.check(target, List.of("GET", missing), true, k -> false));
      assertEquals("-" + Redirect.moved(slot, "127.0.0.1", a.port) + "\r\n", cb.call("GET", missing)); // ASKING lasts one command
      assertEquals("+OK\r\n", cb2.call("ASKING"));
      assertEquals("-" + Redirect.TRYAGAIN + "\r\n", cb2.call("MGET", missing, missing2));
      assertEquals(Redirect.TRYAGAIN, Redirect.check(target, List.of("MGET", missing, missing2), true, k -> false));

      // CLUSTER SETSLOT / COUNTKEYSINSLOT / GETKEYSINSLOT errors, on A and on the model of A
      String s = Integer.toString(slot);
      String other = Integer.toString(KeySlot.of(ClusterAgreementTest.key(8192, 16383)));
      String mine = Integer.toString(slot == 0 ? 1 : 0);
      List<List<String>> bad = List.of(
          List.of("CLUSTER", "SETSLOT", "16384", "STABLE"),
          List.of("CLUSTER", "SETSLOT", "x", "STABLE"),
          List.of("CLUSTER", "SETSLOT", s, "FOO"),
          List.of("CLUSTER", "SETSLOT", s, "STABLE", "extra"),
          List.of("CLUSTER", "SETSLOT", other, "MIGRATING", idB),
          List.of("CLUSTER", "SETSLOT", mine, "IMPORTING", idB),
          List.of("CLUSTER", "SETSLOT", s, "MIGRATING", "nosuchnode"),
          List.of("CLUSTER", "SETSLOT", s, "NODE", "nosuchnode"),
          List.of("CLUSTER", "SETSLOT", s, "NODE", idB));
      for (List<String> argv : bad) assertEquals(ca.call(argv), cmds.setslot(argv), argv.toString());
      for (List<String> argv : List.of(List.of("CLUSTER", "COUNTKEYSINSLOT", "16384"), List.of("CLUSTER", "COUNTKEYSINSLOT", "abc"),
          List.of("CLUSTER", "COUNTKEYSINSLOT", s))) {
        assertEquals(ca.call(argv), cmds.countKeysInSlot(argv), argv.toString());
      }
      for (List<String> argv : List.of(List.of("CLUSTER", "GETKEYSINSLOT", s, "-1"), List.of("CLUSTER", "GETKEYSINSLOT", "-1", "10"),
          List.of("CLUSTER", "GETKEYSINSLOT", s, "x"), List.of("CLUSTER", "GETKEYSINSLOT", s, "10"))) {
        assertEquals(ca.call(argv), cmds.getKeysInSlot(argv), argv.toString());
      }

      // MIGRATE's argument errors, then the DUMP payload and a real move
      for (List<String> argv : List.of(List.of("MIGRATE", "127.0.0.1", "1", present, "0", "1000", "KEYS", present),
          List.of("MIGRATE", "127.0.0.1", "1", present, "0", "1000", "FOO"), List.of("MIGRATE", "127.0.0.1", "1", "", "0", "x", "KEYS", present),
          List.of("MIGRATE", "127.0.0.1", "1", "", "0", "1000", "KEYS", missing))) {
        assertEquals(ca.call(argv), Migrate.parse(argv, onA::contains, new Migrate.Spec[1]), argv.toString());
      }
      String dump = ca.call("DUMP", present);
      assertEquals(dump, "$" + RdbWriter.dump(new RString("v")).length + "\r\n"
          + new String(RdbWriter.dump(new RString("v")), StandardCharsets.ISO_8859_1) + "\r\n");
      assertEquals("+OK\r\n", ca.call("MIGRATE", "127.0.0.1", Integer.toString(b.port), "", "0", "5000", "KEYS", present));
      assertEquals("-" + Redirect.ask(slot, "127.0.0.1", b.port) + "\r\n", ca.call("GET", present));
      assertEquals("+OK\r\n", cb.call("ASKING"));
      assertEquals("$1\r\nv\r\n", cb.call("GET", present));
    }
  }

  /** The model of B: it owns 8192-16383 and imports {@code slot} from A (named by A's real ID). */
  private static ClusterState importingTarget(String idA, int slot) {
    ClusterState t = ClusterAgreementTest.lone(new ClusterAgreementTest.StubHost(), 8192, 16383);
    NodeView na = new NodeView(idA);
    na.master = true;
    t.nodes.put(idA, na);
    for (int j = 0; j < 8192; j++) t.addSlot(idA, j);
    t.updateState();
    t.importingFrom[slot] = idA;
    return t;
  }

  private static String busPort(RespClient c) throws Exception {
    String myself = ClusterAgreementTest.bulk(c.call("CLUSTER", "NODES")).lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
    String addr = myself.split(" ")[1];
    return addr.substring(addr.indexOf('@') + 1).split(",")[0];
  }

  /** Until each node knows the other as a master with its slots (SETSLOT looks the node up by ID). */
  private static void waitUntilKnown(RespClient ca, RespClient cb) throws Exception {
    for (int i = 0; i < 200; i++) {
      String na = ca.call("CLUSTER", "NODES");
      String nb = cb.call("CLUSTER", "NODES");
      String ia = ca.call("CLUSTER", "INFO");
      String ib = cb.call("CLUSTER", "INFO");
      if (na.contains("8192-16383") && nb.contains("0-8191") && ia.contains("cluster_state:ok") && ib.contains("cluster_state:ok")) return;
      Thread.sleep(50);
    }
    throw new AssertionError("the two nodes never met: " + ca.call("CLUSTER", "NODES"));
  }
}
