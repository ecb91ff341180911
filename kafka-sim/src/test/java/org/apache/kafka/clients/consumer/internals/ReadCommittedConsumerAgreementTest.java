package org.apache.kafka.clients.consumer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.LogContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import sim.core.disk.SimDisk;
import sim.kafka.client.ReadCommittedFilter;
import sim.kafka.log.Log;
import sim.kafka.log.LogConfig;
import sim.kafka.log.TransactionAgreementTest.Workload;
import sim.kafka.log.TransactionIndex;
import sim.kafka.record.LogRecord;

/**
 * Our read_committed filter agrees with the real consumer: the same fetch response (our log's batches below the
 * last stable offset, and our index's aborted transactions) handed to kafka-clients 4.1.2's own {@code CompletedFetch}
 * (in its package to reach it) with {@code isolation.level=read_committed} yields the same records, in order; with
 * read_uncommitted, the same as our {@link ReadCommittedFilter#uncommitted}.
 */
class ReadCommittedConsumerAgreementTest {
  static final TopicPartition TP = new TopicPartition("orders", 0);

  static List<Long> seeds() {
    return LongStream.rangeClosed(1, 24).boxed().toList();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void kafkaClientsFiltersOurFetchAsWeDo(long seed) {
    Random rnd = new Random(seed);
    Log log = new Log(SimDisk.standalone("b1", seed), "orders-0", new LogConfig(1 << 20, 4096, LogConfig.UNSET));
    Workload w = new Workload(rnd);
    for (int i = 0; i < 150; i++) log.append(w.next(log.logEndOffset()));
    long hw = log.logEndOffset();
    long lso = log.lastStableOffset(hw);
    for (int f = 0; f < 5; f++) {
      long fetchOffset = f == 0 ? 0 : rnd.nextInt((int) Math.max(1, lso));
      byte[] batches = log.read(fetchOffset, lso, Integer.MAX_VALUE);
      List<TransactionIndex.FetchAborted> aborted = log.transactionIndex().collectAbortedTxns(fetchOffset, lso);
      List<String> ours = new ArrayList<>();
      for (LogRecord r : ReadCommittedFilter.visible(batches, aborted)) if (r.offset() >= fetchOffset) ours.add(r.offset() + ":" + r.valueText());
      assertEquals(ours, kafkaClients(batches, aborted, fetchOffset, hw, lso, IsolationLevel.READ_COMMITTED), "seed " + seed + " from " + fetchOffset);
      List<String> all = new ArrayList<>();
      for (LogRecord r : ReadCommittedFilter.uncommitted(batches)) if (r.offset() >= fetchOffset) all.add(r.offset() + ":" + r.valueText());
      assertEquals(all, kafkaClients(batches, aborted, fetchOffset, hw, lso, IsolationLevel.READ_UNCOMMITTED), "seed " + seed);
      if (f == 0) assertTrue(all.size() > ours.size() || aborted.isEmpty(), "seed " + seed + ": aborted records were dropped");
    }
  }

  static List<String> kafkaClients(byte[] batches, List<TransactionIndex.FetchAborted> aborted, long fetchOffset, long hw, long lso,
      IsolationLevel isolation) {
    List<FetchResponseData.AbortedTransaction> theirs = new ArrayList<>();
    for (TransactionIndex.FetchAborted t : aborted) {
      theirs.add(new FetchResponseData.AbortedTransaction().setProducerId(t.producerId()).setFirstOffset(t.firstOffset()));
    }
    FetchResponseData.PartitionData data = new FetchResponseData.PartitionData().setPartitionIndex(0).setHighWatermark(hw)
        .setLastStableOffset(lso).setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batches))).setAbortedTransactions(theirs);
    LogContext ctx = new LogContext();
    FetchMetricsAggregator metrics = new FetchMetricsAggregator(new FetchMetricsManager(new Metrics(), new FetchMetricsRegistry()), Set.of(TP));
    CompletedFetch fetch = new CompletedFetch(LoggerFactory.getLogger(ReadCommittedConsumerAgreementTest.class),
        new SubscriptionState(ctx, AutoOffsetResetStrategy.NONE), BufferSupplier.create(), TP, data, metrics, fetchOffset);
    FetchConfig config = new FetchConfig(1, 50 * 1024 * 1024, 500, 1024 * 1024, 100, true, "", isolation);
    List<String> out = new ArrayList<>();
    try (Deserializers<String, String> d = new Deserializers<>(new StringDeserializer(), new StringDeserializer(), new Metrics())) {
      for (int round = 0; round < 10_000 && !fetch.isConsumed(); round++) {
        List<ConsumerRecord<String, String>> got = fetch.fetchRecords(config, d, 100);
        for (ConsumerRecord<String, String> r : got) out.add(r.offset() + ":" + r.value());
        if (got.isEmpty()) break;
      }
    }
    return out;
  }
}
