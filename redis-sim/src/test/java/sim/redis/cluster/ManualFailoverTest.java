package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CLUSTER FAILOVER in each form and state, on nodes wired by {@link BusHarness} (no simulation, no real server). */
class ManualFailoverTest {
  /** m1 owning every slot, r1 its replica; with {@code masters} more masters owning slots. */
  static BusHarness pair() {
    return new BusHarness(ClusterConfig.evenly(List.of("m1"), Map.of("r1", "m1")));
  }

  @Test
  void theDefaultFormPausesTheMasterWaitsForItsOffsetAndSwapsTheRoles() {
    BusHarness h = pair();
    h.hosts.get("m1").offset = 1000;
    h.hosts.get("r1").offset = 900; // r1 is behind
    assertEquals("+OK\r\n", h.command("r1", "CLUSTER", "FAILOVER"));
    assertTrue(h.hosts.get("m1").writesPaused, "MFSTART pauses the master's writers");
    h.run(1000);
    assertTrue(h.state("r1").me().slaveof.equals("m1"), "r1 has not processed m1's paused offset: it waits");
    assertTrue(h.hosts.get("r1").points.stream().anyMatch(p -> p.contains("paused master manual failover: 1000")), h.hosts.get("r1").points.toString());
    h.hosts.get("r1").offset = 1000; // caught up
    h.run(300);
    assertTrue(h.state("r1").me().master, h.hosts.get("r1").points.toString());
    assertEquals("r1", h.state("m1").me().slaveof);
    assertFalse(h.hosts.get("m1").writesPaused, "the old master lets its clients go when it turns replica");
    assertEquals(2, h.state("r1").me().configEpoch, "the election's epoch");
    assertTrue(h.hosts.get("m1").points.stream().anyMatch(p -> p.startsWith("redis.cluster.vote ")), "the master voted although it is up");
  }

  @Test
  void aPauseThatRunsOutAbortsTheFailoverOnBothSides() {
    BusHarness h = pair();
    h.hosts.get("m1").offset = 1000;
    h.hosts.get("r1").offset = 900;
    h.command("r1", "CLUSTER", "FAILOVER");
    h.run(ManualFailover.MF_TIMEOUT_MS + 300);
    assertFalse(h.hosts.get("m1").writesPaused);
    assertFalse(h.state("r1").me().master);
    assertTrue(h.hosts.get("r1").points.stream().anyMatch(p -> p.contains("Manual failover timed out.")));
    h.hosts.get("r1").offset = 1000; // too late: no failover in progress any more
    h.run(500);
    assertFalse(h.state("r1").me().master);
  }

  @Test
  void errorRepliesAsRedisGivesThem() {
    BusHarness h = pair();
    assertEquals("-ERR You should send CLUSTER FAILOVER to a replica\r\n", h.command("m1", "CLUSTER", "FAILOVER"));
    assertEquals("-ERR syntax error\r\n", h.command("r1", "CLUSTER", "FAILOVER", "NOW"));
    assertEquals("-ERR syntax error\r\n", h.command("m1", "CLUSTER", "FAILOVER", "NOW"), "the argument is checked before the role");
    h.kill("m1");
    assertEquals("-ERR Master is down or failed, please use CLUSTER FAILOVER FORCE\r\n", h.command("r1", "CLUSTER", "FAILOVER"));
    assertEquals("+OK\r\n", h.command("r1", "CLUSTER", "FAILOVER", "FORCE"));
    h.run(1000);
    assertFalse(h.state("r1").me().master, "FORCE still needs the votes of a majority of masters; m1 was the only one");
    long epoch = h.state("r1").currentEpoch; // the FORCE election took one
    assertEquals("+OK\r\n", h.command("r1", "CLUSTER", "FAILOVER", "TAKEOVER"));
    assertTrue(h.state("r1").me().master, "TAKEOVER needs no vote");
    assertEquals(epoch + 1, h.state("r1").me().configEpoch, "clusterBumpConfigEpochWithoutConsensus: currentEpoch + 1");
    ClusterState lonely = h.state("r1");
    lonely.me().setReplicaOf("nobody");
    assertEquals("-ERR I'm a replica but my master is unknown to me\r\n", h.command("r1", "CLUSTER", "FAILOVER"));
  }

  @Test
  void forceSkipsTheOffsetHandshake() {
    BusHarness h = new BusHarness(ClusterConfig.evenly(List.of("m1", "m2", "m3"), Map.of("r1", "m1")));
    h.hosts.get("m1").offset = 1000;
    h.hosts.get("r1").offset = 900;
    assertEquals("+OK\r\n", h.command("r1", "CLUSTER", "FAILOVER", "FORCE"));
    assertFalse(h.hosts.get("m1").writesPaused, "no MFSTART: the master never pauses");
    h.run(300);
    assertTrue(h.state("r1").me().master, "promoted without catching up: what m1 acknowledged since offset 900 is gone");
    assertEquals("r1", h.state("m1").me().slaveof);
  }
}
