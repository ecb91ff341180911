package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.kafka.log.ProducerStateManager.Verdict;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/** The broker side of transactions: open transactions hold the last stable offset back; markers close them. */
class ProducerStateTransactionsTest {
  final ProducerStateManager m = new ProducerStateManager();
  final TransactionIndex index = new TransactionIndex();

  void data(long offset, long pid, int seq) {
    byte[] b = ControlBatches.transactional(offset, 0, new ProducerFields(pid, (short) 0, seq), List.of(LogRecord.of(1, "k", "v")));
    m.append(b, 0, RecordBatches.header(b, 0), index);
  }

  void marker(long offset, long pid, ControlRecordType type, short epoch, int coordinatorEpoch) {
    byte[] b = ControlBatches.endTransactionMarker(offset, 1, 0, pid, epoch, new ControlBatches.EndTransactionMarker(type, coordinatorEpoch));
    BatchHeader h = RecordBatches.header(b, 0);
    m.append(b, 0, h, index);
  }

  @Test
  void theOldestOpenTransactionIsTheFirstUnstableOffsetUntilItsMarkerIsReplicated() {
    data(0, 1, 0);
    data(1, 2, 0);
    data(2, 1, 1);
    assertEquals(Map.of(0L, 1L, 1L, 2L), m.ongoingTxns());
    assertEquals(0, m.firstUnstableOffset());
    marker(3, 1, ControlRecordType.ABORT, (short) 0, 0);
    assertEquals(List.of(new TransactionIndex.AbortedTxn(1, 0, 3, 1)), index.all(), "aborted 0..3; the next open transaction starts at 1");
    m.onHighWatermarkUpdated(3);
    assertEquals(0, m.firstUnstableOffset(), "the marker at 3 is not below the high watermark yet");
    m.onHighWatermarkUpdated(4);
    assertEquals(1, m.firstUnstableOffset(), "now producer 2's open transaction is the oldest");
    marker(4, 2, ControlRecordType.COMMIT, (short) 0, 0);
    m.onHighWatermarkUpdated(5);
    assertEquals(-1, m.firstUnstableOffset());
    assertEquals(1, index.all().size(), "a commit is not indexed");
  }

  @Test
  void aMarkerFromAnOlderEpochOrCoordinatorIsRefused() {
    data(0, 1, 0);
    marker(1, 1, ControlRecordType.ABORT, (short) 1, 5);
    assertEquals(Verdict.INVALID_PRODUCER_EPOCH, m.checkMarker(1, (short) 0, 5));
    assertEquals(Verdict.TRANSACTION_COORDINATOR_FENCED, m.checkMarker(1, (short) 1, 4));
    assertEquals(Verdict.APPEND, m.checkMarker(1, (short) 1, 5));
    byte[] zombie = ControlBatches.transactional(2, 0, new ProducerFields(1, (short) 0, 1), List.of(LogRecord.of(1, "k", "late")));
    assertEquals(Verdict.INVALID_PRODUCER_EPOCH, m.check(RecordBatches.header(zombie, 0)).verdict(), "the fenced producer's data is refused");
  }
}
