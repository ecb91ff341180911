package sim.kafka.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.Errors;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlRecordType;
import sim.kafka.txn.TransactionCoordinator.InitProducerIdResult;
import sim.kafka.txn.TransactionCoordinator.TxnMarkerEntry;

class TransactionCoordinatorTest {
  static final TopicPartition P0 = new TopicPartition("orders", 0);
  static final TopicPartition P1 = new TopicPartition("orders", 1);
  final AtomicLong ids = new AtomicLong(4000);
  final TransactionCoordinator c = new TransactionCoordinator(3, ids::getAndIncrement);

  @Test
  void partitionForIsKafkas() {
    for (String id : List.of("txn-1", "payments", "", "polygenelubricants", "a-much-longer-transactional-id-42")) {
      assertEquals(Utils.abs(id.hashCode()) % 50, TransactionCoordinator.partitionFor(id, TransactionCoordinator.DEFAULT_NUM_PARTITIONS), id);
    }
  }

  @Test
  void commitWritesCommitMarkersToEveryPartitionOfTheTransaction() {
    InitProducerIdResult p = init();
    assertEquals(new InitProducerIdResult(4000, (short) 0, Errors.NONE), p);
    assertEquals(Errors.NONE, c.addPartitionsToTxn("t", p.producerId(), p.producerEpoch(), Set.of(P0), 0));
    assertEquals(Errors.NONE, c.addPartitionsToTxn("t", p.producerId(), p.producerEpoch(), Set.of(P1), 0));
    TransactionCoordinator.Result r = c.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT);
    assertEquals(Errors.NONE, r.error());
    assertEquals(List.of(new TxnMarkerEntry("t", 4000, (short) 0, 3, ControlRecordType.COMMIT, Set.of(P0, P1))), r.markers());
    assertEquals(TransactionState.PREPARE_COMMIT, c.metadata("t").state());
    assertEquals(Errors.CONCURRENT_TRANSACTIONS, c.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT).error());
    c.markersWritten("t", p.producerEpoch());
    assertEquals(TransactionState.COMPLETE_COMMIT, c.metadata("t").state());
    assertEquals(Errors.NONE, c.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT).error(), "a retried commit");
    assertEquals(Errors.INVALID_TXN_STATE, c.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.ABORT).error());
  }

  @Test
  void aNewInstanceFencesTheZombieAndAbortsItsOpenTransaction() {
    InitProducerIdResult zombie = init();
    assertEquals(Errors.NONE, c.addPartitionsToTxn("t", zombie.producerId(), zombie.producerEpoch(), Set.of(P0), 0));
    List<TxnMarkerEntry> markers = new ArrayList<>();
    assertEquals(Errors.CONCURRENT_TRANSACTIONS, c.initProducerId("t", 60_000, markers).error(), "the new instance waits for the abort");
    assertEquals(List.of(new TxnMarkerEntry("t", 4000, (short) 1, 3, ControlRecordType.ABORT, Set.of(P0))), markers,
        "the abort carries the bumped epoch, so partition leaders refuse the zombie's data");
    assertEquals(Errors.PRODUCER_FENCED, c.addPartitionsToTxn("t", zombie.producerId(), zombie.producerEpoch(), Set.of(P1), 0));
    assertEquals(Errors.PRODUCER_FENCED, c.endTxn("t", zombie.producerId(), zombie.producerEpoch(), ControlRecordType.COMMIT).error());
    c.markersWritten("t", (short) 1);
    assertEquals(TransactionState.COMPLETE_ABORT, c.metadata("t").state());
    InitProducerIdResult fresh = init();
    assertEquals(new InitProducerIdResult(4000, (short) 2, Errors.NONE), fresh, "the retry bumps the epoch once more");
    assertEquals(Errors.PRODUCER_FENCED, c.endTxn("t", zombie.producerId(), zombie.producerEpoch(), ControlRecordType.COMMIT).error());
  }

  @Test
  void aTimedOutTransactionIsFencedAndAborted() {
    InitProducerIdResult p = c.initProducerId("t", 10_000, new ArrayList<>());
    assertEquals(Errors.NONE, c.addPartitionsToTxn("t", p.producerId(), p.producerEpoch(), Set.of(P0), 1_000));
    assertTrue(c.abortTimedOutTransactions(11_000).isEmpty(), "not yet past transaction.timeout.ms");
    List<TxnMarkerEntry> m = c.abortTimedOutTransactions(11_001);
    assertEquals(List.of(new TxnMarkerEntry("t", 4000, (short) 1, 3, ControlRecordType.ABORT, Set.of(P0))), m);
    assertEquals(Errors.PRODUCER_FENCED, c.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT).error());
  }

  @Test
  void anExhaustedEpochRotatesTheProducerId() {
    InitProducerIdResult p = init();
    c.metadata("t").producerEpoch = Short.MAX_VALUE - 1;
    InitProducerIdResult next = init();
    assertEquals(new InitProducerIdResult(4001, (short) 0, Errors.NONE), next);
    assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING, c.addPartitionsToTxn("t", p.producerId(), (short) 0, Set.of(P0), 0));
  }

  @Test
  void aTimeoutAboveTheMaximumIsRefused() {
    assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT, c.initProducerId("t", 900_001, new ArrayList<>()).error());
  }

  private InitProducerIdResult init() {
    return c.initProducerId("t", 60_000, new ArrayList<>());
  }
}
