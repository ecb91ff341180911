package sim.es.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which seq_nos a translog fsync makes durable, through an engine reset and a replaced translog. */
class NonFsyncedSeqNosTest {
  private final NonFsyncedSeqNos seqNos = new NonFsyncedSeqNos();

  @Test
  void anFsyncCoversWhatWasWrittenBeforeItStarted() {
    seqNos.add(0);
    seqNos.add(1);
    long first = seqNos.begin();
    assertTrue(seqNos.syncing());
    seqNos.add(2); // waits for the next fsync
    assertArrayEquals(new long[] {0, 1}, seqNos.done(first));
    assertFalse(seqNos.syncing());
    assertArrayEquals(new long[] {2}, seqNos.done(seqNos.begin()));
  }

  @Test
  void aResetKeepsTheFsyncsOfTheOperationsItKeeps() {
    seqNos.add(4);
    seqNos.add(5);
    long id = seqNos.begin();
    seqNos.add(6);
    seqNos.dropAbove(4); // the reset went back to global checkpoint 4
    assertArrayEquals(new long[] {4}, seqNos.done(id));
    assertArrayEquals(new long[] {}, seqNos.done(seqNos.begin()));
  }

  @Test
  void aReplacedTranslogForgetsTheFsyncsUnderWay() {
    seqNos.add(0);
    long id = seqNos.begin();
    seqNos.clear();
    assertNull(seqNos.done(id));
    assertFalse(seqNos.syncing());
  }
}
