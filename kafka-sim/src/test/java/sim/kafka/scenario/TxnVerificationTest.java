package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.RuleBreaks;

/** KIP-890 part 1 in {@code kafka.eos-verification-prevents-hanging}, with verification on, off, and skipped by the break. */
class TxnVerificationTest {
  @Test
  void theLateAppendIsRefusedAndNothingHangs() {
    for (long seed = 1; seed <= 3; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(EosVerificationScenario.scenario(), RunOptions.seed(seed).withListeners(List.of(events::add)));
      SimTesting.assertOk(r);
      for (String lesson : List.of("kafka.story.batch-expired-and-aborted", "kafka.story.late-append-refused", "kafka.story.no-lso-held-back")) {
        CheckResult c = r.check(lesson);
        assertTrue(c.ok(), "seed " + seed + ": " + c.render());
      }
      // The coordinator was asked (verifyOnly) and answered TRANSACTION_ABORTABLE for the aborted transaction's partition;
      // the leader then refused the batch with that error, and never appended it.
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.txn.verify") && e.detail().contains(EosScenarios.TXN_ID)
          && e.detail().contains("TRANSACTION_ABORTABLE")), "seed " + seed + ": the coordinator answered TRANSACTION_ABORTABLE");
      // Refused after the producer's abort returned: the batch arrived late, for a transaction that had ended.
      TraceEvent expired = events.stream().filter(e -> e.kind().equals("kafka.producer.batch-expired")).findFirst().orElseThrow();
      TraceEvent abort = events.stream().filter(e -> e.kind().equals("kafka.producer.abort") && e.node().equals("txn-producer")
          && e.timeNanos() >= expired.timeNanos()).findFirst().orElseThrow();
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.leader.txn-unverified") && e.timeNanos() > abort.timeNanos()),
          "seed " + seed + ": refused after the abort at " + abort.timeNanos());
    }
  }

  @Test
  void withVerificationDisabledTheLateAppendHangsThePartition() {
    RunResult r = ScenarioRunner.run(EosVerificationScenario.scenario(false), RunOptions.seed(1));
    assertFalse(r.ok());
    assertNotNull(r.failure(), r.checks().toString());
    assertEquals(HangingTxnCheck.NAME, r.failure().invariant(), r.describeFailure());
  }

  @Test
  void theBreakSkipsVerificationAndTheInvariantBites() {
    for (long seed = 1; seed <= 2; seed++) {
      RunResult r = ScenarioRunner.run(EosVerificationScenario.scenario(), RunOptions.seed(seed).withBreaks(Set.of(RuleBreaks.TXN_VERIFICATION_SKIPPED)));
      assertFalse(r.ok(), "seed " + seed);
      assertEquals(HangingTxnCheck.NAME, r.failure().invariant(), r.describeFailure());
    }
  }
}
