package sim.es.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.trace.TraceEvent;

/**
 * es.safe-commit-retained's excuse for a newer primary's trim (trimOperationOfPreviousPrimaryTerms) covers
 * exactly the operations Elasticsearch voids: above the trim point and of a term below the trim's term.
 */
class SafeCommitCheckTest {
  private static final String DIR = "indices/idx/0";
  private final SafeCommitCheck check = new SafeCommitCheck();
  private long index;

  private void event(String kind, Object... attrs) {
    check.observe(new TraceEvent(index++, index, "es1", kind, kind, null, null, null, -1, List.of(attrs)));
  }

  private void append(long seqNo, long term) {
    event("es.translog.append", "shard", 0, "dir", DIR, "seqNo", seqNo, "term", term, "generation", 1L, "offset", 0L);
  }

  /** seq_nos 0..3 durable, a trim of terms below 2 above seq_no 1, then a restart that recovers up to seq_no 1. */
  private void runWith(long termOfSeqNo3) {
    for (long s = 0; s <= 2; s++) append(s, 1);
    append(3, termOfSeqNo3);
    event("es.translog.fsync", "shard", 0, "seqNo", 3L, "generation", 1L, "offset", 0L, "dir", DIR);
    event("es.translog.trim-terms", "shard", 0, "dir", DIR, "term", 2L, "aboveSeqNo", 1L);
    event("es.recovery", "shard", 0, "localCheckpoint", 1L, "replayed", 2L, "maxSeqNo", 1L, "checkpoint", 1L, "globalCheckpoint", 3L,
        "dir", DIR, "source", "store", "commitGeneration", -1L, "commitMaxSeqNo", -1L);
  }

  @Test
  void operationsOfOlderTermsAboveTheTrimPointMayBeLost() {
    runWith(1);
    assertNull(check.violation());
    assertEquals(1, check.excusedByTrim);
  }

  @Test
  void anOperationOfTheTrimsOwnTermAboveItsPointMustNotBeLost() {
    runWith(2); // the new primary's own operation at seq_no 3: the trim does not void it
    assertNotNull(check.violation(), "the loss of a term-2 operation was excused");
    assertTrue(check.violation().contains("operations 2..3 are lost"), check.violation());
    assertEquals(0, check.excusedByTrim);
  }
}
