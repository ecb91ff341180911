package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;

class PgScenariosTest {
  static Scenario scenario(String name) {
    return new PgScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyScenarioTellsItsStoryUnderItsOwnPlanAtTheDefaultSeed() {
    for (Scenario s : new PgScenarios().scenarios()) {
      RunResult r = SimTesting.assertHolds(s, 1);
      assertTrue(r.checks().stream().anyMatch(CheckResult::isLesson), s.name() + " has no lesson check");
      assertTrue(r.checks().stream().anyMatch(c -> !c.isLesson()), s.name() + " has no safety check");
      for (CheckResult c : r.checks()) assertFalse(c.status() == CheckResult.Status.NOT_DEMONSTRATED, c.render());
    }
  }

  @Test
  void crashRedoBringsBackEveryAcknowledgedCommitOverManySeeds() {
    SimTesting.assertHoldsForSeeds(scenario("pg.crash-redo"), 1, 8);
  }

  @Test
  void everyScenarioHoldsUnderRandomFaults() {
    for (var scenario : new PgScenarios().scenarios()) SimTesting.assertHoldsUnderSwarm(scenario, 100, 25);
  }

  @Test
  void asyncCommitLosesExactlyTheCommitsAfterTheLastWalFlush() {
    for (long seed = 1; seed <= 8; seed++) {
      RunResult r = SimTesting.assertHolds(scenario("pg.async-commit-loss"), seed);
      CheckResult loss = r.check("pg.acknowledged-commits-survive");
      assertTrue(loss.expected(), "seed " + seed + ": " + loss.render());
      assertTrue(loss.excuse().rule().contains("synchronous_commit=off"), loss.render());
      assertFalse(loss.excuse().records().isEmpty(), "the excuse names the lost inserts");
      for (String rec : loss.excuse().records()) assertTrue(rec.startsWith("insert "), rec);
    }
  }

  @Test
  void writePathRepairsATornPageAtItsDefaultSeed() {
    RunResult r = SimTesting.assertHolds(scenario("pg.write-path"), 1);
    assertTrue(r.check("pg.torn-page-repaired").detail().contains("repaired torn [base/"), r.check("pg.torn-page-repaired").render());
  }

  @Test
  void serializablePreventsWriteSkewThatRepeatableReadAllows() {
    RunResult r = SimTesting.assertHolds(scenario("pg.isolation-levels"), 1);
    assertTrue(r.check("pg.repeatable-read-allows-write-skew").ok());
    assertTrue(r.check("pg.serializable-prevents-write-skew").detail().startsWith("1 of 2"));
  }

  @Test
  void aLongReportHoldsBackAutovacuumUntilItCommits() {
    SimTesting.assertHoldsForSeeds(scenario("pg.vacuum-horizon"), 1, 3);
  }

  @Test
  void vacuumHorizonSeed37IsALessonNotDemonstratedNotAViolation() {
    RunResult r = SimTesting.runUnderSwarm(scenario("pg.vacuum-horizon"), 37);
    assertTrue(r.ok(), r.describeFailure());
    assertTrue(r.check("pg.snapshot-reads-repeat").ok());
  }

  @Test
  void theDeadlockDetectorFailsExactlyOneTransfer() {
    SimTesting.assertHoldsForSeeds(scenario("pg.deadlock"), 1, 3);
  }

  @Test
  void groupCommitSharesFsyncsAndTheCrashLosesNothingAcknowledged() {
    RunResult r = SimTesting.assertHolds(scenario("pg.group-commit"), 1);
    assertTrue(r.check("pg.group-commit-shares-fsyncs").ok(), r.check("pg.group-commit-shares-fsyncs").render());
    assertTrue(r.check("pg.crash-loses-only-unacknowledged").ok());
  }

  /** Each rule break makes a safety check fail under the scenario that shows it, at the default seed. */
  @Test
  void everyBreakIsCaughtByASafetyCheckUnderItsScenario() {
    SimTesting.assertEveryBreakBites(new PgScenarios(), 1);
  }

  @Test
  void sameSeedSameTrace() {
    RunResult a = SimTesting.run(scenario("pg.crash-redo"), 7);
    RunResult b = SimTesting.run(scenario("pg.crash-redo"), 7);
    assertEquals(a.traceHash(), b.traceHash());
  }

  /**
   * Exploration (swarm seed 323, shrunk): the first XLogData s1 sent s2 on timeline 2 carried the history file and
   * was dropped. The walsender streamed again from s2's position but without the history, so s2 followed
   * timeline 2 with no 00000002.history and read its WAL below the switch point from the new timeline's empty
   * segment: pg.downstream-wal-is-prefix failed. A resend now carries the history again when the message that
   * carried it is among what was lost.
   */
  @Test
  void aDroppedFirstMessageOfTheNewTimelineIsResentWithItsHistory() {
    Scenario s = new PgScenarios().scenarios().stream().filter(x -> x.name().equals("pg.cascading-standby")).findFirst().orElseThrow();
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(323).withFaults("at 1s crash pg; at 1.5s restart pg; at 2s drop 0.15"));
    assertTrue(r.ok(), r.describeFailure()); // pg.downstream-wal-is-prefix is checked after every event
    assertTrue(r.check("pg.downstream-follows-promotion").ok(), r.check("pg.downstream-follows-promotion").render());
  }

  /**
   * Exploration (swarm seed 328, shrunk): the message carrying timeline 2's history was lost, and the next data
   * message of timeline 2 came without it. s2 followed timeline 2 at once, with no 00000002.history, and
   * pg.downstream-wal-is-prefix failed. The walreceiver now follows a newer timeline only with its history
   * (WalRcvFetchTimeLineHistoryFiles): without one it reports its position, and the walsender resends.
   */
  @Test
  void dataOfANewerTimelineWithoutItsHistoryIsNotFollowed() {
    Scenario s = new PgScenarios().scenarios().stream().filter(x -> x.name().equals("pg.cascading-standby")).findFirst().orElseThrow();
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(328).withFaults("at 570ms drop 0.22; at 1s crash pg; at 1.5s restart pg"));
    assertTrue(r.ok(), r.describeFailure());
    assertTrue(r.check("pg.downstream-follows-promotion").ok(), r.check("pg.downstream-follows-promotion").render());
  }
}
