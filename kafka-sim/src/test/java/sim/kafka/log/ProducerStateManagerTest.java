package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.kafka.log.ProducerStateManager.Verdict;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/** The idempotent producer's broker-side rules: duplicates within the last 5 batches, gaps refused. */
class ProducerStateManagerTest {
  static BatchHeader batch(long offset, short epoch, int seq, int records) {
    List<LogRecord> rs = java.util.stream.IntStream.range(0, records).mapToObj(i -> LogRecord.of(1, null, "v")).toList();
    byte[] b = RecordBatches.build(offset, 0, new ProducerFields(7, epoch, seq), rs);
    return RecordBatches.header(b, 0);
  }

  @Test
  void anUnknownProducerIsAcceptedAtAnySequence() {
    ProducerStateManager m = new ProducerStateManager();
    assertEquals(Verdict.APPEND, m.check(batch(0, (short) 3, 42, 2)).verdict(), "no state for producer 7 here: accepted (checkSequence)");
    m.update(batch(0, (short) 3, 42, 2));
    assertEquals(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, m.check(batch(2, (short) 3, 45, 1)).verdict(), "known now: a gap is refused");
    assertEquals(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, m.check(batch(2, (short) 4, 5, 1)).verdict(), "a new epoch must start at 0");
  }

  @Test
  void retriesWithinTheLastFiveBatchesAreDuplicates() {
    ProducerStateManager m = new ProducerStateManager();
    for (int i = 0; i < 6; i++) {
      BatchHeader h = batch(i * 2L, (short) 0, i * 2, 2);
      assertEquals(Verdict.APPEND, m.check(h).verdict());
      m.update(h);
    }
    assertEquals(new ProducerStateManager.Check(Verdict.DUPLICATE, 4), m.check(batch(0, (short) 0, 4, 2)));
    assertEquals(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, m.check(batch(0, (short) 0, 0, 2)).verdict(), "the sixth-last batch is forgotten");
    assertEquals(Verdict.OUT_OF_ORDER_SEQUENCE_NUMBER, m.check(batch(0, (short) 0, 14, 1)).verdict(), "a gap after seq 11");
    assertEquals(Verdict.APPEND, m.check(batch(0, (short) 0, 12, 1)).verdict());
    assertEquals(Verdict.INVALID_PRODUCER_EPOCH, m.check(batch(0, (short) -1, 12, 1)).verdict());
    assertEquals(Verdict.APPEND, m.check(batch(0, (short) 1, 0, 1)).verdict(), "a new epoch starts at sequence 0");
  }
}
