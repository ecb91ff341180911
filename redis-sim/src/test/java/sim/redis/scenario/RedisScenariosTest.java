package sim.redis.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.testing.SimTesting;

class RedisScenariosTest {
  private static Scenario named(String name) {
    return new RedisScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void alwaysLosesNoAcknowledgedWriteAcrossSeeds() {
    SimTesting.assertHoldsForSeeds(named("redis.crash-appendfsync-always"), 1, 20);
  }

  @Test
  void everysecLossStaysWithinTheWindowAcrossSeeds() {
    SimTesting.assertHoldsForSeeds(named("redis.crash-appendfsync-everysec"), 1, 20);
  }

  @Test
  void noPolicyKeepsAPrefixAcrossSeeds() {
    SimTesting.assertHoldsForSeeds(named("redis.crash-appendfsync-no"), 1, 20);
  }

  @Test
  void bgsaveSnapshotIsTheForkInstant() {
    SimTesting.assertHoldsForSeeds(named("redis.bgsave-fork-snapshot"), 1, 10);
  }

  @Test
  void crashMidRewriteLosesNothing() {
    SimTesting.assertHoldsForSeeds(named("redis.aof-rewrite-crash"), 1, 10);
  }

  @Test
  void tornTailIsTrimmed() {
    SimTesting.assertHoldsForSeeds(named("redis.torn-aof-tail"), 1, 20);
  }

  @Test
  void corruptRdbIsRefused() {
    RunResult r = SimTesting.assertHolds(named("redis.corrupt-rdb"), 7);
    assertTrue(r.check("redis.recoveries").detail().contains("refused"), r.check("redis.recoveries").detail());
  }

  @Test
  void tradeoffAndLessonsHold() {
    SimTesting.assertHolds(named("redis.durability-tradeoff"), 3);
    SimTesting.assertHolds(named("redis.write-path"), 3);
    SimTesting.assertHolds(named("redis.failure-recovery"), 3);
  }

  @Test
  void aofWriteErrorsNeverLoseAcknowledgedWrites() {
    SimTesting.assertHoldsForSeeds(named("redis.aof-eio-always"), 1, 10);
    SimTesting.assertHoldsForSeeds(named("redis.aof-eio-everysec"), 1, 10);
    String detail = SimTesting.run(named("redis.aof-eio-everysec"), 1).check("redis.recoveries").detail();
    assertTrue(detail.contains("writes refused, last: -MISCONF Errors writing to the AOF file: "), detail);
  }

  @Test
  void randomFaultSwarmsKeepTheInvariants() {
    SimTesting.assertHoldsUnderSwarm(named("redis.crash-appendfsync-always"), 100, 10);
    SimTesting.assertHoldsUnderSwarm(named("redis.crash-appendfsync-everysec"), 100, 10);
  }

  @Test
  void sameSeedSameTrace() {
    Scenario s = named("redis.aof-rewrite-crash");
    assertEquals(SimTesting.run(s, 42).traceHash(), SimTesting.run(s, 42).traceHash());
  }
}
