package sim.es.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.disk.SimDisk;

/**
 * Translog retention as Elasticsearch's Translog.getMinReferencedGen: after a commit, a generation stays while
 * it holds an operation above the safe commit's local checkpoint (minGenerationForSeqNo), not merely from the
 * generation the commit rolled to — an older generation can hold such operations (out of order on a replica, or
 * discarded from Lucene by a reset to the global checkpoint while they stay in the translog).
 */
class TranslogRetentionTest {
  private final SimDisk disk = SimDisk.standalone("es1", 1);
  private final Translog translog = new Translog(disk, "");

  private void add(long... seqNos) {
    for (long s : seqNos) translog.add(new Operation(s, 1, false, "d" + s, "{\"body\":\"doc " + s + "\"}"));
  }

  private List<Long> retainedSeqNos() {
    return translog.readWritten().stream().map(Operation::seqNo).sorted().toList();
  }

  /** Generation 1 holds 0..4 and 7 (5 and 6 arrive late, in generation 2); the safe commit's local checkpoint is 4. */
  private long twoGenerationsWithAGap() {
    translog.recover(new StringBuilder());
    add(0, 1, 2, 3, 4, 7);
    long commitGeneration = translog.rollGeneration(); // the commit with local_checkpoint 4 starts generation 2
    add(5, 6, 8);
    translog.rollGeneration();
    return commitGeneration;
  }

  @Test
  void keepsEveryGenerationHoldingAnOperationAboveTheSafeCommitsLocalCheckpoint() {
    long commitGeneration = twoGenerationsWithAGap();
    long keepFrom = translog.minGenerationForSeqNo(4 + 1);
    assertTrue(keepFrom < commitGeneration, "generation 1 holds seq_no 7 > 4: the commit's own generation is not enough");
    translog.trimBelow(keepFrom);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), retainedSeqNos());
  }

  @Test
  void theOldRuleTrimmingBelowTheCommitsGenerationLosesAnOperationAboveItsCheckpoint() {
    long commitGeneration = twoGenerationsWithAGap();
    translog.trimBelow(commitGeneration);
    assertFalse(retainedSeqNos().contains(7L), "seq_no 7 > local_checkpoint 4 went with generation 1");
  }

  @Test
  void deletesTheGenerationsWhoseOperationsAreAllAtOrBelowTheCheckpoint() {
    twoGenerationsWithAGap();
    long current = translog.generation();
    assertEquals(current, translog.minGenerationForSeqNo(8 + 1), "nothing above 8: only the writer's generation is referenced");
    assertEquals(2, translog.minGenerationForSeqNo(7 + 1), "generation 2 holds seq_no 8");
    List<String> deleted = translog.trimBelow(translog.minGenerationForSeqNo(8 + 1));
    assertEquals(List.of(translog.file(1), translog.file(2)), deleted);
    assertEquals(List.of(), retainedSeqNos());
  }

  @Test
  void aRestartedTranslogKnowsEachGenerationsMaxSeqNoFromItsFiles() {
    twoGenerationsWithAGap();
    for (String f : translog.filesToSync()) disk.fsync(f);
    for (long g = 1; g <= translog.generation(); g++) disk.fsync(translog.file(g));
    translog.prepareSync();
    for (String f : translog.filesToSync()) disk.fsync(f);
    Translog reopened = new Translog(disk, "");
    reopened.recover(new StringBuilder());
    assertEquals(1, reopened.minGenerationForSeqNo(4 + 1));
    assertEquals(2, reopened.minGenerationForSeqNo(7 + 1));
  }
}
