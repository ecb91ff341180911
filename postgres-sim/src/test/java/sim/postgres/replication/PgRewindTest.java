package sim.postgres.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;
import sim.postgres.scenario.PgScenarios;
import sim.postgres.wal.ControlFile;
import sim.postgres.wal.Wal;

/** pg_rewind's decisions, and the scenario that runs it. */
class PgRewindTest {
  private static final String HISTORY_2 = "1\t0/0301A2B8\tno recovery target specified\n";

  @Test
  void serversOnTheSameTimelineNeedNoRewind() {
    PgRewind.Decision d = PgRewind.decide(2, HISTORY_2, 2, HISTORY_2, Long.MAX_VALUE);
    assertFalse(d.rewindNeeded());
    assertEquals(List.of("source and target cluster are on the same timeline", "no rewind required"), d.log());
  }

  @Test
  void theDivergencePointIsWhereTheSourcesHistoryLeftTheTargetsTimeline() {
    PgRewind.Decision d = PgRewind.decide(2, HISTORY_2, 1, "", Wal.parseLsn("0/0301A300"));
    assertTrue(d.rewindNeeded());
    assertEquals(Wal.parseLsn("0/0301A2B8"), d.divergeLsn());
    assertEquals(1, d.divergeTli());
    assertEquals(List.of("servers diverged at WAL location 0/301A2B8 on timeline 1"), d.log());
  }

  @Test
  void aTargetWhoseWalEndsAtTheForkNeedsNoRewind() {
    // a primary stopped cleanly: its shutdown checkpoint is the last record the standby got
    PgRewind.Decision d = PgRewind.decide(2, HISTORY_2, 1, "", Wal.parseLsn("0/0301A2B8"));
    assertFalse(d.rewindNeeded());
    assertEquals("no rewind required", d.log().get(1));
  }

  @Test
  void aTargetTwoTimelinesBehindDivergesOnItsOwnLastTimeline() {
    String history3 = HISTORY_2 + "2\t0/05000000\tno recovery target specified\n";
    PgRewind.Decision d = PgRewind.decide(3, history3, 2, HISTORY_2, Wal.parseLsn("0/06000000"));
    assertTrue(d.rewindNeeded());
    assertEquals(Wal.parseLsn("0/05000000"), d.divergeLsn());
    assertEquals(2, d.divergeTli());
  }

  @Test
  void historiesWithNothingInCommonAreRefused() {
    PgRewind.Fatal f = assertThrows(PgRewind.Fatal.class, () -> PgRewind.commonAncestor(
        PgRewind.history(2, "3\t0/01000000\tx\n"), PgRewind.history(1, "")));
    assertEquals("could not find common ancestor of the source and target cluster's timelines", f.getMessage());
  }

  @Test
  void theTargetMustLogHintBitsAndBeShutDownCleanly() {
    ControlFile noHints = new ControlFile(0, 0, 0, ControlFile.DB_SHUTDOWNED, 0, 1, 0, 0, false, 0);
    assertEquals("target server needs to use either data checksums or \"wal_log_hints = on\"",
        assertThrows(PgRewind.Fatal.class, () -> PgRewind.sanityChecks(noHints)).getMessage());
    ControlFile crashed = new ControlFile(0, 0, 0, ControlFile.DB_IN_PRODUCTION, 0, 1, 0, 0, true, 0);
    assertEquals("target server must be shut down cleanly", assertThrows(PgRewind.Fatal.class, () -> PgRewind.sanityChecks(crashed)).getMessage());
    PgRewind.sanityChecks(new ControlFile(0, 0, 0, ControlFile.DB_SHUTDOWNED, 0, 1, 0, 0, false, ControlFile.PG_DATA_CHECKSUM_VERSION));
  }

  @Test
  void rewindPrintsPgRewindsLinesAndTheFormerPrimaryFollowsTimeline2() {
    List<String> lines = new ArrayList<>();
    RunResult r = ScenarioRunner.run(scenario(), RunOptions.seed(1).withListeners(List.<TraceListener>of((TraceEvent e) -> {
      if (e.node().equals("pg") && e.kind().startsWith("pg.rewind.")) lines.add(e.detail());
    })));
    SimTesting.assertOk(r);
    assertEquals(4, lines.size(), lines.toString());
    assertEquals("pg_rewind: executing \"postgres\" for target server to complete crash recovery", lines.get(0));
    assertTrue(lines.get(1).matches("pg_rewind: servers diverged at WAL location [0-9A-F]+/[0-9A-F]+ on timeline 1"), lines.get(1));
    assertTrue(lines.get(2).matches("pg_rewind: rewinding from last common checkpoint at [0-9A-F]+/[0-9A-F]+ on timeline 1"), lines.get(2));
    assertEquals("pg_rewind: Done!", lines.get(3));
    assertTrue(r.check("pg.rewind-removed-unacknowledged-commits").ok(), r.check("pg.rewind-removed-unacknowledged-commits").render());
  }

  @Test
  void skippingTheTargetsOwnWalLeavesItsDivergedPages() {
    RunResult r = ScenarioRunner.run(scenario(), RunOptions.seed(1).withBreaks(Set.of("pg.rewind-skips-target-wal")));
    CheckResult c = r.check("pg.rewound-standby-matches-primary");
    assertEquals(CheckResult.Status.FAILED, c.status(), c.render());
    assertTrue(c.detail().contains("only on pg"), c.detail());
  }

  @Test
  void holdsOverSeedsWithAndWithoutRandomFaults() {
    SimTesting.assertHoldsForSeeds(scenario(), 1, 5);
    SimTesting.assertHoldsUnderSwarm(scenario(), 1, 10);
  }

  private static sim.core.scenario.Scenario scenario() {
    return new PgScenarios().scenarios().stream().filter(s -> s.name().equals("pg.failover-rewind")).findFirst().orElseThrow();
  }
}
