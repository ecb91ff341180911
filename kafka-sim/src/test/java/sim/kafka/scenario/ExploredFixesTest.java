package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;

/** Plans a 1,000-seed exploration of main found violating a safety check; each now holds. */
class ExploredFixesTest {
  /**
   * b1 falls behind b2's log start offset (retention), truncates fully and starts at 720, then leads epoch 2.
   * Kafka's truncateFullyAndStartAt clears the leader-epoch cache; the model kept epoch 0, so b1 answered b3's
   * OffsetsForLeaderEpoch(1) with "epoch 0 ends at 720" and b3, in the ISR, cut its log to 550, below the HW.
   */
  @Test
  void aReplicaThatStartedOverBehindTheLogStartForgetsItsOldEpochs() {
    List<String> truncations = new ArrayList<>();
    RunResult r = ScenarioRunner.run(RetentionScenarios.retention(), RunOptions.seed(490)
        .withFaults("at 31.5s crash b1; at 40s partition b1,b2,b3,controller|consumer,producer; at 50s restart b1; at 58s crash b2")
        .withListeners(List.of(e -> { if (e.kind().equals("kafka.log.truncate")) truncations.add(e.node() + " " + e.detail()); })));
    assertFalse(r.failed("kafka.hw-within-isr-leo"), r.describeFailure());
    assertTrue(r.ok(), r.describeFailure());
    assertTrue(truncations.stream().anyMatch(t -> t.startsWith("b1 ") && t.contains("truncate fully")), "b1 did not start over: " + truncations);
    assertTrue(truncations.stream().noneMatch(t -> t.startsWith("b3 ") && t.contains("-> 550")), "b3 still cut its epoch-1 records: " + truncations);
  }

  /**
   * v148 is written by b1 in epoch 0 and replicated to b2 and b3 (HW past it); its response is lost. b1 and b3
   * go down, b2 leads epoch 1 with HW 28, and answers the retry from producer state with the original offset 27,
   * as Kafka answers a committed duplicate. The check counted only epoch-1 agreement (b2 alone) and called it an
   * acks=all acknowledgement on one replica; it now counts the replicas of the epoch that wrote the batch.
   */
  @Test
  void aDuplicateAnsweredInALaterEpochCountsTheReplicasOfTheEpochThatWroteIt() {
    List<String> duplicates = new ArrayList<>();
    RunResult r = ScenarioRunner.run(GroupScenarios.coordinatorFailover(), RunOptions.seed(267)
        .withFaults("at 0s partition b1,b2,b3,c1,controller,producer|c2,c3; at 4.01s crash b3; at 6.82s restart b3; at 8.5s heal; "
            + "at 10s partition b1,b2,b3,c3,controller,producer|c1,c2; at 11s drop 0.15; at 19s crash b3")
        .withListeners(List.of(e -> { if (String.valueOf(e.detail()).contains("duplicate batch")) duplicates.add(e.node() + " " + e.detail()); })));
    assertFalse(r.failed("kafka.acks-all-on-min-insync"), r.describeFailure());
    assertTrue(duplicates.stream().anyMatch(d -> d.startsWith("b2 ") && d.contains("seq 27")), "the retry was not answered as a duplicate: " + duplicates);
  }
}
