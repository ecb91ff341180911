package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * Multi-key commands on a real one-node redis-server 7.0 cluster that owns every slot: a request is refused with
 * -CROSSSLOT exactly when {@link SlotQuery} says its keys span slots, and the error text is {@link SlotQuery#CROSSSLOT}.
 */
class SlotQueryAgreementTest {
  static final List<List<String>> COMMANDS = List.of(
      List.of("MSET", "a", "1", "b", "2"),
      List.of("MSET", "{t}a", "1", "{t}b", "2"),
      List.of("MGET", "a", "b"),
      List.of("MGET", "{t}a", "{t}b", "{t}c"),
      List.of("DEL", "x", "y", "z"),
      List.of("DEL", "{u}x", "{u}y"),
      List.of("SUNIONSTORE", "dst", "s1", "s2"),
      List.of("SUNIONSTORE", "{s}dst", "{s}1", "{s}2"),
      List.of("RENAME", "{r}a", "{r}b"),
      List.of("RENAME", "from", "to"),
      List.of("ZUNIONSTORE", "{z}out", "2", "{z}a", "zb"),
      List.of("LMOVE", "{l}a", "{l}b", "LEFT", "RIGHT"),
      List.of("SET", "k", "v"),
      List.of("GET", "k"),
      List.of("PING"));

  @Test
  void crossSlotRefusalsAgreeWithRealRedis() throws Exception {
    RealRedis.require();
    try (RealRedis real = RealRedis.start(Files.createTempDirectory("redis-crossslot"), "--cluster-enabled", "yes");
        RespClient c = real.client()) {
      assertEquals("+OK\r\n", c.call("CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
      waitUntilOk(c);
      int refused = 0;
      for (List<String> cmd : COMMANDS) {
        String reply = c.call(cmd);
        boolean cross = SlotQuery.slotOf(cmd) == SlotQuery.CROSS_SLOT;
        assertEquals(cross, reply.startsWith("-CROSSSLOT"), cmd + " -> " + reply);
        if (cross) {
          assertEquals("-" + SlotQuery.CROSSSLOT + "\r\n", reply);
          refused++;
        }
      }
      assertTrue(refused >= 4, "the list has cross-slot requests: " + refused);
    }
  }

  /** A fresh node answers -CLUSTERDOWN until its cron sees every slot covered. */
  private static void waitUntilOk(RespClient c) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (c.call("CLUSTER", "INFO").contains("cluster_state:ok")) return;
      Thread.sleep(50);
    }
    throw new AssertionError("cluster_state never became ok");
  }
}
