package sim.kafka.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The leader's high watermark: a majority's durable end offset, and only past the leader's own epoch start. */
class HighWatermarkRuleTest {
  @Test
  void theHighWatermarkIsWhatAMajorityHas() {
    assertEquals(7, HighWatermarkRule.next(List.of(9L, 7L, 3L), 2, 5, 0), "two of three voters have 7");
    assertEquals(3, HighWatermarkRule.next(List.of(9L, 7L, 3L), 3, 0, 0), "a majority of three out of three: all have 3");
  }

  @Test
  void entriesOfEarlierEpochsCommitOnlyWithOneOfTheLeadersOwnEpoch() {
    // Raft's Figure 8: the new leader of epoch 4 starts at offset 6; a majority having offsets 0..5 (end 6) commits nothing yet.
    assertEquals(2, HighWatermarkRule.next(List.of(7L, 6L, 2L), 2, 6, 2), "end offset 6 is not past the epoch start 6");
    assertEquals(7, HighWatermarkRule.next(List.of(7L, 7L, 2L), 2, 6, 2), "the leader-change record at 6 is on a majority: 0..6 commit");
  }

  @Test
  void theHighWatermarkNeverGoesBack() {
    assertEquals(8, HighWatermarkRule.next(List.of(9L, 5L, 3L), 2, 0, 8), "a lagging fetch offset does not lower it");
  }
}
