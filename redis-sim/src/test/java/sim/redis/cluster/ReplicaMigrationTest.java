package sim.redis.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** clusterHandleSlaveMigration's rules on nodes wired by {@link BusHarness}: the barrier, the delay, the candidate. */
class ReplicaMigrationTest {
  static BusHarness cluster(int barrier) {
    ClusterConfig c = ClusterConfig.evenly(List.of("m1", "m2"), Map.of("r1", "m1", "r2", "m2", "r3", "m2"));
    c.settings.clusterNodeTimeoutMs = 1000;
    c.settings.migrationBarrier = barrier;
    return new BusHarness(c);
  }

  @Test
  void theSpareReplicaWithTheSmallestNameMovesAfterTheOrphanDelay() {
    BusHarness h = cluster(1);
    h.kill("r1");
    h.run(4000); // r1 FAIL after node-timeout and the masters' reports; m1 orphaned from then on
    assertTrue(h.state("r2").node("r1").fail, "r1 is FAIL");
    assertEquals("m2", h.state("r2").me().slaveof, "not before m1 has been orphaned for 5 s");
    h.run(ReplicaMigration.MIGRATION_DELAY_MS + 1000);
    assertEquals("m1", h.state("r2").me().slaveof, "r2 < r3: r2 moves");
    assertEquals("m1", h.hosts.get("r2").replicatingFrom);
    assertEquals("m2", h.state("r3").me().slaveof, "one is enough");
    h.run(2000);
    assertEquals("m1", h.state("m2").node("r2").slaveof, "its PINGs tell the others");
  }

  @Test
  void noReplicaMovesWhenItsMasterWouldKeepNoMoreThanTheBarrier() {
    BusHarness h = cluster(2);
    h.kill("r1");
    h.run(15_000);
    assertEquals("m2", h.state("r2").me().slaveof);
    assertEquals("m2", h.state("r3").me().slaveof);
  }
}
