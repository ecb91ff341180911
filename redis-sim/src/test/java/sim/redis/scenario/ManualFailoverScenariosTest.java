package sim.redis.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.redis.cluster.ClusterBreaks;

/** CLUSTER FAILOVER run as an operator would: the roles swap, the replica catches up first, nothing is lost. */
class ManualFailoverScenariosTest {
  @Test
  void aManualFailoverWaitsForTheLaggingReplicaAndLosesNoAcknowledgedWrite() {
    for (long seed = 1; seed <= 3; seed++) {
      RunResult r = ScenarioRunner.run(RedisScenariosTest.named("redis.cluster-manual-failover"), RunOptions.seed(seed));
      assertTrue(r.ok(), r.describeFailure());
      CheckResult lesson = r.check("redis.cluster-manually-failed-over");
      assertTrue(lesson.ok(), lesson.render());
      assertTrue(lesson.detail().contains("r1 took m1's slots"), lesson.render());
      assertTrue(r.check("redis.cluster-acked-writes-survive").status() == CheckResult.Status.OK, r.describeFailure());
    }
  }

  @Test
  void startingWithoutTheOffsetWaitLosesWritesAndIsCaught() {
    RunResult r = SimTesting.assertBreakBites(RedisScenariosTest.named("redis.cluster-manual-failover"), ClusterBreaks.MF_SKIPS_OFFSET_WAIT, 5);
    assertTrue(r.failed("redis.cluster-manual-failover-loses-nothing"), r.describeFailure());
  }

  @Test
  void aSpareReplicaMigratesToTheMasterThatLostItsOnlyReplica() {
    RunResult r = ScenarioRunner.run(RedisScenariosTest.named("redis.cluster-replica-migration"), RunOptions.seed(1));
    assertTrue(r.ok(), r.describeFailure());
    CheckResult lesson = r.check("redis.cluster-replica-migrated");
    assertTrue(lesson.ok(), lesson.render());
    assertTrue(lesson.detail().contains("[r3: m3 -> m1]"), lesson.render());
  }
}
