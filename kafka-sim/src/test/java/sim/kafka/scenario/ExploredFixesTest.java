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
}
