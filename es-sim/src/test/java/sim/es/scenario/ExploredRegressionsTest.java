package sim.es.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;

/** Plans a 1,000-seed exploration of main found violating a safety check; each now holds. */
class ExploredRegressionsTest {
  private final List<String> trace = new ArrayList<>();

  private RunResult replay(String scenario, long seed, String faults) {
    return ScenarioRunner.run(EsScenariosTest.scenario(scenario),
        RunOptions.seed(seed).withFaults(faults).withListeners(List.of(e -> trace.add(e.kind() + " " + e.detail()))));
  }

  private static void assertCheckOk(RunResult r, String check) {
    assertFalse(r.failed(check), r.describeFailure());
    assertTrue(r.ok(), r.describeFailure());
  }

  private boolean traced(String text) {
    return trace.stream().anyMatch(t -> t.contains(text));
  }

  /**
   * A replica relocating (its target recovered from the old primary) is promoted when the primary's node
   * goes; the target must be failed with the old primary, not complete the relocation as the new primary's
   * hand-over without the new term's writes.
   */
  @Test
  void relocationTargetOfAPromotedReplicaIsFailedNotMadePrimary() {
    RunResult r = replay("es.disk-watermark", 243, "at 10s crash es1; at 20s partition es3|client,es1,es2; at 20s restart es1; at 30s crash es2");
    assertCheckOk(r, "es.stale-primary-never-promoted");
    assertTrue(traced("(relocating from s0-a7) failed: primary failed while replica initializing"), "the relocation target was not failed");
  }

  @Test
  void relocationTargetOfAPromotedReplicaIsFailedUnderAMasterPartition() {
    RunResult r = replay("es.master-partition", 416,
        "at 20s heal; at 30s crash es3; at 40s partition es2|client,es1,es3; at 40s restart es3; at 43s crash es1");
    assertCheckOk(r, "es.stale-primary-never-promoted");
    assertTrue(traced("(relocating from s0-a3) failed: primary failed while replica initializing"), "the relocation target was not failed");
  }

  /** A node the master removed (it restarted) rejoins at once with its in-sync copy, which becomes primary again. */
  @Test
  void aRemovedNodeRejoinsAndItsInSyncCopyIsPrimaryAgain() {
    RunResult r = replay("es.scoring-dfs", 594,
        "at 500ms partition es1,es2,searcher|client,es3; at 500ms crash es3; at 1s restart es3; at 2s crash es1; at 5s restart es1");
    assertCheckOk(r, "es.replicas-converge");
    assertTrue(traced("node-join es3 with shard copies on disk {2=s2-a2}"), "es3 did not rejoin with its copy");
  }

  /** Routing a waiting write to a local primary can acknowledge other waiting writes at once; the retry loop skips them. */
  @Test
  void coordinatorRetryLoopSurvivesWritesFinishedMeanwhile() {
    RunResult r = ScenarioRunner.run(EsScenariosTest.scenario("es.failover-primary"), RunOptions.seed(651).withSwarm(true));
    assertFalse(r.failed("no-exceptions"), r.describeFailure());
    assertTrue(r.ok(), r.describeFailure());
  }

  /**
   * A replica paused while the others went on flushed above the global checkpoint before it had any safe
   * commit; when the new primary took over, its reset must go back to the empty first commit (Store.createEmpty)
   * and its translog, not to that unsafe commit.
   */
  @Test
  void aReplicaWithoutASafeCommitOfItsOwnResetsToTheEmptyFirstCommit() {
    RunResult r = replay("es.replica-rollback", 58, "at 1s pause es3; at 10s resume es3; at 13s crash es3");
    assertCheckOk(r, "es.replicas-converge");
    assertTrue(traced("reset: commit segments_0 (local_checkpoint -1, max_seq_no -1 <= global checkpoint 22"), "es3 did not reset to segments_0");
  }

  /**
   * A replica that rolled back and then restarted replays its translog, which still holds the old primary's
   * discarded operations: the new primary's resync trimmed them (trimOperationOfPreviousPrimaryTerms), and at
   * one seq_no the newer term's operation wins.
   */
  @Test
  void aRestartAfterARollbackDoesNotReplayTheDiscardedOperations() {
    RunResult r = replay("es.replica-rollback", 80, "at 0s crash es3; at 3s restart es3; at 13s pause es2; at 20s crash es3");
    assertCheckOk(r, "es.replicas-converge");
    assertTrue(traced("reset: commit segments_2 (local_checkpoint 105"), "es3 did not roll back");
  }

  /**
   * Found by the 1,000-seed sweep of es.master-partition (seed 650, swarm): es3's engine reset at 26.7 s opened its
   * safe commit segments_3 and deleted segments_4, whose max_seq_no 230 was above the global checkpoint 229, as
   * InternalEngine's trimUnsafeCommits does. The check still counted segments_4 as durable, so when a new copy on
   * es3 recovered from segments_3 at 40 s with a global checkpoint of 386 it called the safe commit lost. A reset
   * now forgets the commits it deleted (and would report one that was safe).
   */
  @Test
  void anEngineResetForgetsTheUnsafeCommitsItDeleted() {
    RunResult r = replay("es.master-partition", 650,
        "at 2.55s drop 0.19; at 3.66s crash es1; at 8.06s restart es1; at 20s heal; at 25s partition client,es3|es1,es2; at 39.05s heal; at 40s crash es1");
    assertCheckOk(r, "es.safe-commit-retained");
    assertTrue(traced("local recovery: commit segments_3"), "es3's engine did not reset to segments_3");
  }

  /**
   * A restarted replica went back to its global checkpoint (511), then recovered from the new primary while it
   * flushed commits with local_checkpoint 511; the operations above it it had made durable before the crash are
   * in generations older than those commits. Translog.getMinReferencedGen keeps them (minGenerationForSeqNo of the
   * safe commit's local checkpoint + 1), so the next restart recovers them.
   */
  @Test
  void translogGenerationsAboveTheSafeCommitsLocalCheckpointAreKept() {
    RunResult r = replay("es.safe-commit", 696, "at 200ms pause es3; at 6.23s crash es2; at 7.3s resume es3; at 8s restart es2; "
        + "at 8.1s partition es3|client,es1,es2; at 8.75s drop 0.2; at 9.22s heal; at 10s crash es1; at 15.1s drop 0.06; at 16s restart es1; "
        + "at 20s crash es2");
    assertCheckOk(r, "es.safe-commit-retained");
    assertTrue(traced("local recovery: commit segments_"), "es1 did not recover locally");
  }

  /**
   * A crash under message drops at 2.5s left es.scoring-dfs red at the end of a 2s healed phase: the cluster had
   * no time to converge (leader checks alone may take 3 x (1s + 10s) to give up). The phase is 20s now.
   */
  @Test
  void theHealedPhaseIsLongEnoughForTheClusterToConverge() {
    RunResult r = replay("es.scoring-dfs", 647, "at 1s drop 0.2; at 2.5s crash es1; at 3s restart es1");
    assertCheckOk(r, "es.replicas-converge");
  }

  /**
   * The old primary es1 crashed holding seq_no 129 of term 1, which the promoted es3 never had; es3's requests
   * trimmed it from es1's translog (trimOperationOfPreviousPrimaryTerms above 128), so es1's next restart
   * recovers to 128. Elasticsearch allows it: the operation exists on no primary and was never acknowledged;
   * es.safe-commit-retained excuses exactly the seq_nos above the trim point.
   */
  @Test
  void operationsAboveANewerPrimarysTrimPointAreNotCountedAsLost() {
    RunResult r = replay("es.failover-primary", 654, "at 700ms crash es3; at 1.5s restart es3; at 3.75s crash es3; at 6.166s restart es3; "
        + "at 6.25s crash es3; at 6.481s restart es3; at 7s block es2->es1; at 7s block es2->es3; at 7.25s crash es2; at 10s heal; "
        + "at 10.95s drop 0.18; at 14s drop 0.19930454621026633; at 14.7s pause es1; at 15.01s resume es1; at 16.75s crash es1; "
        + "at 20s restart es1; at 21.65s restart es2; at 24s crash es3");
    assertCheckOk(r, "es.safe-commit-retained");
    assertTrue(traced("operations of terms below 2 above seq_no 128 are void"), "es1's translog was not trimmed at 128");
  }

  /**
   * es1 and es5 voted for es2 in term 2 after accepting a state es2 had not, so es2 rejected their votes and won
   * with es3's and es4's. Elasticsearch fails such a join request with its vote (processJoinRequest), the nodes ask
   * again once they find the master, repeating their vote (joinWithDestination), and the leader, counting it now,
   * grows the voting configuration back (scheduleReconfigurationIfNeeded). The model used to keep the requests
   * without the votes: the five stayed shrunk to three, and the two crashed at 8s were voters.
   */
  @Test
  void votesRejectedDuringTheElectionAreCountedWhenTheirNodesRejoin() {
    RunResult r = ScenarioRunner.run(EsScenariosTest.scenario("es.voting-config-shrink"),
        RunOptions.seed(53).withListeners(List.of(e -> trace.add(e.kind() + " " + e.detail()))));
    assertTrue(r.ok(), r.describeFailure());
    int shrunk = indexOf("reconfigures the voting configuration [es1, es2, es3, es4, es5] -> [es2, es3, es4]");
    int grown = indexOf("reconfigures the voting configuration [es2, es3, es4] -> [es1, es2, es3, es4, es5]");
    assertTrue(shrunk >= 0, "the configuration did not shrink to the three voters of the election");
    assertTrue(grown > shrunk, "the configuration did not grow back once es1 and es5 rejoined with their votes");
  }

  private int indexOf(String text) {
    for (int i = 0; i < trace.size(); i++) if (trace.get(i).contains(text)) return i;
    return -1;
  }
}
