package sim.redis.scenario;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.redis.cluster.ClusterBreaks;

/** Live resharding: slots move from m1 to m2 while the client writes through -ASK, and MIGRATE's rule's break. */
class ReshardScenariosTest {
  @Test
  void slotsMoveKeyByKeyWhileWritesFollowAskAndNoAcknowledgedWriteIsLost() {
    for (long seed = 1; seed <= 3; seed++) {
      RunResult r = ScenarioRunner.run(RedisScenariosTest.named("redis.cluster-resharding"), RunOptions.seed(seed));
      assertTrue(r.ok(), r.describeFailure());
      CheckResult lesson = r.check("redis.cluster-slots-resharded");
      assertTrue(lesson.ok(), lesson.render());
      assertTrue(lesson.detail().contains("owned by m2 at the end: true"), lesson.render());
      assertTrue(lesson.detail().contains("left on m1: 0"), lesson.render());
      assertTrue(r.check("redis.cluster-acked-writes-survive").ok(), r.describeFailure());
    }
  }

  @Test
  void deletingMigratedKeysBeforeTheTargetsOkIsCaught() {
    RunResult r = SimTesting.assertBreakBites(RedisScenariosTest.named("redis.cluster-resharding"), ClusterBreaks.MIGRATE_DELETES_BEFORE_RESTORE, 5);
    assertTrue(r.failed("redis.cluster-migrate-keeps-a-copy"), r.describeFailure());
  }
}
