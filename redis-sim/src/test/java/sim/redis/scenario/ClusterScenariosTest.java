package sim.redis.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.redis.cluster.ClusterBreaks;

/** Redis Cluster's failover and minority partition, run as a user would check them, and the rules' breaks. */
class ClusterScenariosTest {
  @Test
  void aCrashedMastersReplicaWinsTheElectionWithAGreaterConfigEpochAndWritesResume() {
    for (long seed = 1; seed <= 3; seed++) {
      RunResult r = ScenarioRunner.run(RedisScenariosTest.named("redis.cluster-master-failover"), RunOptions.seed(seed));
      assertTrue(r.ok(), r.describeFailure());
      CheckResult lesson = r.check("redis.cluster-failed-over");
      assertTrue(lesson.ok(), lesson.render());
      assertTrue(lesson.detail().contains("r1 took them with configEpoch"), lesson.render());
      assertTrue(lesson.detail().contains("m1 rejoined as a replica"), lesson.render());
    }
  }

  @Test
  void aMinorityMasterStopsWithClusterdownAndItsWindowOfWritesIsLostByName() {
    RunResult r = ScenarioRunner.run(RedisScenariosTest.named("redis.cluster-minority-partition"), RunOptions.seed(2));
    assertTrue(r.ok(), r.describeFailure());
    CheckResult lesson = r.check("redis.cluster-minority-loses-the-window");
    assertTrue(lesson.ok(), lesson.render());
    CheckResult loss = r.check("redis.cluster-acked-writes-survive");
    assertTrue(loss.expected(), loss.render());
    assertTrue(loss.excuse().rule().startsWith("asynchronous replication") || loss.excuse().rule().contains("minority window"), loss.render());
    assertTrue(!loss.excuse().records().isEmpty(), loss.render());
  }

  @Test
  void votingTwiceInOneEpochIsCaught() {
    RunResult r = SimTesting.assertBreakBites(RedisScenariosTest.named("redis.cluster-master-failover"), ClusterBreaks.VOTE_TWICE_PER_EPOCH, 5);
    assertTrue(r.failed("redis.cluster-one-vote-per-epoch"), r.describeFailure());
  }

  @Test
  void aPromotionWithoutANewConfigEpochIsCaught() {
    RunResult r = SimTesting.assertBreakBites(RedisScenariosTest.named("redis.cluster-master-failover"), ClusterBreaks.PROMOTE_KEEPS_CONFIG_EPOCH, 5);
    assertTrue(r.failed("redis.cluster-one-owner-per-slot-epoch"), r.describeFailure());
  }
}
