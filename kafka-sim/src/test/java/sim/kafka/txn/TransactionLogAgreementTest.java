package sim.kafka.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.Errors;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.txn.TransactionCoordinator.InitProducerIdResult;
import sim.kafka.txn.TransactionCoordinator.TxnMarkerEntry;

/**
 * Our {@code __transaction_state} records are Kafka's: kafka-transaction-coordinator 4.1.2's generated
 * {@code TransactionLogKey}/{@code TransactionLogValue} read them with the same fields and write the same bytes, and
 * Kafka's state ids name the same states. A coordinator that loads them resumes where the old one was.
 */
class TransactionLogAgreementTest {
  @Test
  void recordsAreKafkasByteForByte() {
    Random rnd = new Random(11);
    for (int i = 0; i < 300; i++) {
      TransactionMetadata m = new TransactionMetadata("txn-" + rnd.nextInt(1000) + (rnd.nextBoolean() ? "-ü" : ""), rnd.nextInt(1 << 30),
          (short) rnd.nextInt(Short.MAX_VALUE), 1 + rnd.nextInt(900_000));
      m.state = TransactionState.values()[rnd.nextInt(TransactionState.values().length)];
      if (m.state != TransactionState.EMPTY) {
        for (int p = rnd.nextInt(4); p >= 0; p--) m.topicPartitions.add(new TopicPartition(rnd.nextBoolean() ? "orders" : "payments", rnd.nextInt(6)));
      }
      m.txnStartTimestamp = rnd.nextBoolean() ? -1 : 1_700_000_000_000L + rnd.nextInt(1 << 20);
      long now = 1_700_000_000_000L + rnd.nextInt(1 << 24);
      byte[] key = TransactionLog.keyToBytes(m.transactionalId);
      byte[] value = TransactionLog.valueToBytes(m, now);

      ByteBuffer kb = ByteBuffer.wrap(key);
      short keyVersion = kb.getShort();
      assertEquals(m.transactionalId, new TransactionLogKey(new ByteBufferAccessor(kb), keyVersion).transactionalId());
      assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 0, new TransactionLogKey().setTransactionalId(m.transactionalId)), key);

      ByteBuffer vb = ByteBuffer.wrap(value);
      short version = vb.getShort();
      TransactionLogValue theirs = new TransactionLogValue(new ByteBufferAccessor(vb), version);
      assertEquals(m.producerId, theirs.producerId());
      assertEquals(m.producerEpoch, theirs.producerEpoch());
      assertEquals(m.txnTimeoutMs, theirs.transactionTimeoutMs());
      assertEquals(m.state.name(), org.apache.kafka.coordinator.transaction.TransactionState.fromId(theirs.transactionStatus()).name());
      assertEquals(now, theirs.transactionLastUpdateTimestampMs());
      assertEquals(m.txnStartTimestamp, theirs.transactionStartTimestampMs());
      assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 0, kafkaValue(m, now)), value, m.toString());

      TransactionMetadata back = TransactionLog.readValue(TransactionLog.readKey(key), value);
      assertEquals(m.toString(), back.toString());
    }
  }

  /** The value Kafka's valueToBytes builds for the same metadata: partitions grouped by topic, null when Empty. */
  static TransactionLogValue kafkaValue(TransactionMetadata m, long now) {
    List<TransactionLogValue.PartitionsSchema> partitions = null;
    if (m.state != TransactionState.EMPTY) {
      Map<String, List<Integer>> byTopic = new TreeMap<>();
      for (TopicPartition tp : m.topicPartitions) byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
      partitions = new ArrayList<>();
      for (var e : byTopic.entrySet()) partitions.add(new TransactionLogValue.PartitionsSchema().setTopic(e.getKey()).setPartitionIds(e.getValue()));
    }
    return new TransactionLogValue().setProducerId(m.producerId).setProducerEpoch(m.producerEpoch).setTransactionTimeoutMs(m.txnTimeoutMs)
        .setTransactionStatus(m.state.id).setTransactionPartitions(partitions).setTransactionLastUpdateTimestampMs(now)
        .setTransactionStartTimestampMs(m.txnStartTimestamp);
  }

  @Test
  void aNewCoordinatorResumesAPreparedCommitFromTheLog() {
    AtomicLong ids = new AtomicLong(4000);
    TransactionCoordinator old = new TransactionCoordinator(5, ids::getAndIncrement);
    List<LogRecord> log = new ArrayList<>();
    InitProducerIdResult p = old.initProducerId("t", 60_000, new ArrayList<>());
    log.add(old.record("t", 1));
    TopicPartition p0 = new TopicPartition("orders", 0);
    TopicPartition p1 = new TopicPartition("orders", 1);
    old.addPartitionsToTxn("t", p.producerId(), p.producerEpoch(), java.util.Set.of(p0, p1), 2);
    log.add(old.record("t", 2));
    old.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT);
    log.add(old.record("t", 3));
    // The old coordinator's broker dies here: the decision is in the log, the markers may not all be written.
    TransactionCoordinator next = new TransactionCoordinator(6, ids::getAndIncrement);
    List<TxnMarkerEntry> resend = next.load(log);
    assertEquals(List.of(new TxnMarkerEntry("t", 4000, (short) 0, 6, ControlRecordType.COMMIT, java.util.Set.of(p0, p1))), resend,
        "the commit is finished by the new coordinator, under its own coordinator epoch");
    assertEquals(Errors.CONCURRENT_TRANSACTIONS, next.endTxn("t", p.producerId(), p.producerEpoch(), ControlRecordType.COMMIT).error());
    next.markersWritten("t", p.producerEpoch());
    assertEquals(TransactionState.COMPLETE_COMMIT, next.metadata("t").state());
    assertEquals(new InitProducerIdResult(4000, (short) 1, Errors.NONE), next.initProducerId("t", 60_000, new ArrayList<>()));
  }
}
