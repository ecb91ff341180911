package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;
import sim.core.testing.SimTesting;

class PgScenariosTest {
  @Test
  void crashRedoBringsBackEveryAcknowledgedCommitOverManySeeds() {
    SimTesting.assertHoldsForSeeds(new PgScenarios.CrashRedo(true), 1, 8);
  }

  @Test
  void everyScenarioHoldsUnderRandomFaults() {
    for (var scenario : new PgScenarios().scenarios()) SimTesting.assertHoldsUnderSwarm(scenario, 100, 4);
  }

  @Test
  void asyncCommitLosesOnlyCommitsAcknowledgedJustBeforeACrash() {
    int lossySeeds = 0;
    for (long seed = 1; seed <= 8; seed++) {
      RunResult r = SimTesting.assertHolds(new PgScenarios.CrashRedo(false), seed);
      if (!r.expectedAnomalies().isEmpty()) lossySeeds++;
    }
    assertTrue(lossySeeds > 0, "synchronous_commit=off never lost an acknowledged commit; the scenario shows nothing");
  }

  @Test
  void writePathRepairsTornPagesFromFullPageImages() {
    int repaired = 0;
    for (long seed = 1; seed <= 10; seed++) {
      RunResult r = SimTesting.assertHolds(new PgScenarios.WritePath(), seed);
      if (r.check("pg.acknowledged-commits-survive").detail().contains("repaired torn pages [base/")) repaired++;
    }
    assertTrue(repaired > 0, "no seed tore a page write; the scenario shows no repair");
  }

  @Test
  void serializablePreventsWriteSkewThatRepeatableReadAllows() {
    RunResult r = SimTesting.assertHolds(new PgScenarios.IsolationLevels(), 1);
    assertEquals(1, r.expectedAnomalies().size());
    CheckResult skew = r.expectedAnomalies().get(0);
    assertEquals("pg.repeatable-read-write-skew", skew.name());
    assertTrue(r.check("pg.serializable-prevents-write-skew").ok());
  }

  @Test
  void aLongReportHoldsBackAutovacuumUntilItCommits() {
    SimTesting.assertHoldsForSeeds(new PgScenarios.VacuumHorizon(), 1, 3);
  }

  @Test
  void theDeadlockDetectorFailsExactlyOneTransfer() {
    SimTesting.assertHoldsForSeeds(new PgScenarios.Deadlock(), 1, 3);
  }

  @Test
  void sameSeedSameTrace() {
    RunResult a = SimTesting.run(new PgScenarios.CrashRedo(true), 7);
    RunResult b = SimTesting.run(new PgScenarios.CrashRedo(true), 7);
    assertEquals(a.traceHash(), b.traceHash());
  }
}
