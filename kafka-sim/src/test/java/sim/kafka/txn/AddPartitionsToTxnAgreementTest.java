package sim.kafka.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.junit.jupiter.api.Test;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.AddPartitionsToTxnTransaction;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.ControlRecordType;

/**
 * KIP-890's verifyOnly AddPartitionsToTxn against kafka-clients 4.1.2: our error codes are Kafka's, our verification
 * request goes through Kafka's broker-side request (v4+, {@code forBroker}) and its bytes unchanged, and our
 * coordinator's answer in each case of {@code handleVerifyPartitionsInTransaction} survives Kafka's response shape.
 */
class AddPartitionsToTxnAgreementTest {
  private static final TopicPartition P0 = new TopicPartition("payments", 0);
  private static final TopicPartition P1 = new TopicPartition("payments", 1);

  @Test
  void everyErrorHasKafkasCodeAndName() {
    for (Errors e : Errors.values()) {
      assertEquals(e.name(), org.apache.kafka.common.protocol.Errors.forCode((short) e.code).name(), "code " + e.code);
    }
  }

  @Test
  void theVerifyOnlyRequestIsKafkasBrokerRequest() {
    List<AddPartitionsToTxnTransaction> ours = List.of(
        new AddPartitionsToTxnTransaction("payments-tx", 1000, (short) 2, true, new TreeSet<>(Set.of(P0, P1))),
        new AddPartitionsToTxnTransaction("audit-tx", 2000, (short) 0, true, new TreeSet<>(Set.of(new TopicPartition("__consumer_offsets", 1)))));
    AddPartitionsToTxnTransactionCollection txns = new AddPartitionsToTxnTransactionCollection();
    for (AddPartitionsToTxnTransaction t : ours) txns.add(toKafka(t));
    AddPartitionsToTxnRequest request = AddPartitionsToTxnRequest.Builder.forBroker(txns).build();
    assertTrue(request.version() >= 4, "a broker's request is v4+: " + request.version());
    assertTrue(request.allVerifyOnlyRequest());
    AddPartitionsToTxnRequest parsed = AddPartitionsToTxnRequest.parse(request.serialize(), request.version());
    assertTrue(parsed.allVerifyOnlyRequest());
    Map<String, List<org.apache.kafka.common.TopicPartition>> byTxn = parsed.partitionsByTransaction();
    for (AddPartitionsToTxnTransaction t : ours) {
      List<String> expected = new ArrayList<>();
      for (TopicPartition tp : t.partitions()) expected.add(tp.topic() + "-" + tp.partition());
      List<String> got = new ArrayList<>();
      for (var tp : byTxn.get(t.transactionalId())) got.add(tp.toString());
      assertEquals(expected, got.stream().sorted().toList(), t.transactionalId());
      var data = parsed.data().transactions().find(t.transactionalId());
      assertEquals(t.producerId(), data.producerId());
      assertEquals(t.producerEpoch(), data.producerEpoch());
    }
  }

  /** Each case of {@code handleVerifyPartitionsInTransaction}, with the error Kafka's source names for it. */
  @Test
  void theCoordinatorAnswersEachCaseAsKafkaDoes() {
    long[] next = {5000};
    TransactionCoordinator c = new TransactionCoordinator(0, () -> next[0]++);
    assertAnswer(c.verifyPartitionsInTransaction("nobody", 1, (short) 0, Set.of(P0)), "INVALID_PRODUCER_ID_MAPPING");
    TransactionCoordinator.InitProducerIdResult init = c.initProducerId("payments-tx", 60_000, new ArrayList<>());
    long pid = init.producerId();
    short epoch = init.producerEpoch();
    assertAnswer(c.verifyPartitionsInTransaction("payments-tx", pid + 1, epoch, Set.of(P0)), "INVALID_PRODUCER_ID_MAPPING");
    assertAnswer(c.verifyPartitionsInTransaction("payments-tx", pid, (short) (epoch - 1), Set.of(P0)), "PRODUCER_FENCED");
    assertAnswer(c.verifyPartitionsInTransaction("payments-tx", pid, epoch, Set.of(P0)), "TRANSACTION_ABORTABLE");
    assertEquals(Errors.NONE, c.addPartitionsToTxn("payments-tx", pid, epoch, Set.of(P0), 0));
    Map<TopicPartition, Errors> both = c.verifyPartitionsInTransaction("payments-tx", pid, epoch, Set.of(P0, P1));
    assertEquals(Map.of(P0, Errors.NONE, P1, Errors.TRANSACTION_ABORTABLE), both);
    roundTrip("payments-tx", both);
    c.endTxn("payments-tx", pid, epoch, ControlRecordType.ABORT);
    assertAnswer(c.verifyPartitionsInTransaction("payments-tx", pid, epoch, Set.of(P0)), "CONCURRENT_TRANSACTIONS");
  }

  private static void assertAnswer(Map<TopicPartition, Errors> answer, String kafkaName) {
    for (Errors e : answer.values()) assertEquals(kafkaName, org.apache.kafka.common.protocol.Errors.forCode((short) e.code).name());
    roundTrip("t", answer);
  }

  /** Our per-partition answer through Kafka's {@code resultForTransaction}/{@code errorsForTransaction}. */
  private static void roundTrip(String id, Map<TopicPartition, Errors> answer) {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.common.protocol.Errors> kafka = new java.util.HashMap<>();
    answer.forEach((tp, e) -> kafka.put(new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition()),
        org.apache.kafka.common.protocol.Errors.forCode((short) e.code)));
    var result = AddPartitionsToTxnResponse.resultForTransaction(id, kafka);
    Map<String, Integer> back = new TreeMap<>();
    AddPartitionsToTxnResponse.errorsForTransaction(result.topicResults()).forEach((tp, e) -> back.put(tp.toString(), (int) e.code()));
    Map<String, Integer> mine = new TreeMap<>();
    answer.forEach((tp, e) -> mine.put(tp.topic() + "-" + tp.partition(), e.code));
    assertEquals(mine, back);
  }

  private static org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction toKafka(AddPartitionsToTxnTransaction t) {
    Map<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : t.partitions()) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
    byTopic.forEach((topic, ps) -> topics.add(new AddPartitionsToTxnTopic().setName(topic).setPartitions(ps)));
    return new org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction()
        .setTransactionalId(t.transactionalId()).setProducerId(t.producerId()).setProducerEpoch(t.producerEpoch())
        .setVerifyOnly(t.verifyOnly()).setTopics(topics);
  }
}
