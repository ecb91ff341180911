package sim.es.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;

class EsScenariosTest {
  static Scenario scenario(String name) {
    return new EsScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"es.write-path", "es.consistency-refresh", "es.crash-recovery-request", "es.translog-async-loses-acked",
      "es.merge-storm-deletes"})
  void holdsForSeedsWithItsPlan(String name) {
    SimTesting.assertHoldsForSeeds(scenario(name), 1, 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"es.write-path", "es.crash-recovery-request", "es.translog-async-loses-acked", "es.merge-storm-deletes"})
  void holdsUnderRandomFaults(String name) {
    SimTesting.assertHoldsUnderSwarm(scenario(name), 1, 15);
  }

  @Test
  void asyncDurabilityLosesAcknowledgedWritesAndSaysWhichRuleAllowsIt() {
    RunResult r = SimTesting.run(scenario("es.translog-async-loses-acked"), 1);
    CheckResult survive = r.checks().stream().filter(c -> c.name().equals("es.acknowledged-writes-survive")).findFirst().orElseThrow();
    assertTrue(survive.expected(), survive.render());
    assertTrue(survive.excuse().rule().startsWith("index.translog.durability=async"), survive.render());
  }

  @Test
  void requestDurabilityLosesNothingAcknowledged() {
    RunResult r = SimTesting.run(scenario("es.crash-recovery-request"), 1);
    CheckResult survive = r.checks().stream().filter(c -> c.name().equals("es.acknowledged-writes-survive")).findFirst().orElseThrow();
    assertEquals(CheckResult.Status.OK, survive.status(), survive.render());
  }

  @Test
  void aCrashedReplicaRecoversFromItsSafeCommitAndTheBrokenPolicyIsCaught() {
    RunResult r = SimTesting.run(scenario("es.safe-commit"), 1);
    assertTrue(r.ok(), r.toString());
    CheckResult lesson = check(r, "es.recovered-from-older-safe-commit");
    assertEquals(CheckResult.Status.OK, lesson.status(), lesson.render());
    RunResult broken = ScenarioRunner.run(scenario("es.safe-commit"), RunOptions.seed(1).withBreaks(Set.of("es.keep-only-last-commit")));
    assertTrue(broken.failed("es.safe-commit-retained"), broken.describeFailure());
  }

  @Test
  void aShortRestartRecoversByOperationsAndOneOutlivingItsLeaseByFiles() {
    RunResult r = SimTesting.run(scenario("es.recovery-ops-based"), 1);
    assertTrue(r.ok(), r.toString());
    CheckResult lesson = check(r, "es.recovery-by-operations-then-files");
    assertEquals(CheckResult.Status.OK, lesson.status(), lesson.render());
  }

  @Test
  void aReplicaRollsBackToTheGlobalCheckpointFromDiskAndTheBrokenReopenIsCaught() {
    RunResult r = SimTesting.run(scenario("es.replica-rollback"), 1);
    assertTrue(r.ok(), r.toString());
    CheckResult lesson = check(r, "es.replica-rolled-back");
    assertEquals(CheckResult.Status.OK, lesson.status(), lesson.render());
    assertTrue(lesson.render().contains("the safe commit"), lesson.render());
    RunResult broken = ScenarioRunner.run(scenario("es.replica-rollback"), RunOptions.seed(1).withBreaks(Set.of("es.reopen-past-global-checkpoint")));
    assertTrue(broken.failed("es.replicas-converge"), broken.describeFailure());
  }

  @Test
  void fiveNodesLosingTwoShrinkTheConfigurationToThreeAndSurviveAThirdLoss() {
    RunResult r = SimTesting.run(scenario("es.voting-config-shrink"), 1);
    assertTrue(r.ok(), r.toString());
    for (String lesson : List.of("es.voting-config-shrunk-to-three", "es.master-survived-third-loss")) {
      CheckResult c = check(r, lesson);
      assertEquals(CheckResult.Status.OK, c.status(), c.render());
    }
  }

  @Test
  void withoutAutoShrinkingTheConfigurationStaysFiveAndTheThirdLossLeavesNoMaster() {
    RunResult r = SimTesting.run(scenario("es.voting-config-no-shrink"), 1);
    assertTrue(r.ok(), r.toString());
    for (String lesson : List.of("es.voting-config-stayed-five", "es.no-master-after-third-loss")) {
      CheckResult c = check(r, lesson);
      assertEquals(CheckResult.Status.OK, c.status(), c.render());
    }
  }

  @Test
  void anExcludedMasterAbdicatesAndTheConfigurationLeavesItOut() {
    RunResult r = SimTesting.run(scenario("es.voting-exclusion"), 1);
    assertTrue(r.ok(), r.toString());
    for (String lesson : List.of("es.excluded-master-abdicated", "es.voting-config-excludes-old-master")) {
      CheckResult c = check(r, lesson);
      assertEquals(CheckResult.Status.OK, c.status(), c.render());
    }
  }

  @Test
  void committingTheShrunkConfigurationWithANewQuorumAloneIsCaught() {
    RunResult broken = ScenarioRunner.run(scenario("es.voting-config-shrink"), RunOptions.seed(1).withBreaks(Set.of("es.skip-joint-quorum")));
    assertTrue(broken.failed("es.committed-state-on-joint-quorum"), broken.describeFailure());
  }

  private static CheckResult check(RunResult r, String name) {
    return r.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + r));
  }

  /** Each rule break makes a safety check fail: the checks bite. */
  @Test
  void everyBreakRuleFailsASafetyCheck() {
    SimTesting.assertEveryBreakBites(new EsScenarios(), 1);
  }
}
