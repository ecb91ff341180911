package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.storage.internals.log.AbortedTxn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.TxnConsumer;
import sim.kafka.log.Log;
import sim.kafka.log.TransactionIndex;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.txn.TransactionCoordinator;

/** The exactly-once lesson over several seeds, and its segment files and aborted-transaction indexes read by Kafka's own classes. */
class EosScenariosTest {
  @Test
  void transactionsCommitAndAbortAtomicallyThroughABrokerCrashAndACoordinatorFailover() {
    for (long seed = 1; seed <= 3; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(EosScenarios.transactions(), RunOptions.seed(seed).withListeners(List.of(events::add)));
      SimTesting.assertOk(r);
      for (String lesson : List.of("kafka.story.commits-and-aborts", "kafka.story.coordinator-failover-loads-state",
          "kafka.story.read-uncommitted-sees-aborted", "kafka.story.transactions-complete")) {
        CheckResult c = r.check(lesson);
        assertTrue(c.ok(), "seed " + seed + ": " + c.render());
      }
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.txn.marker") && e.detail().contains("COMMIT marker")), "COMMIT markers written");
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.txn.marker") && e.detail().contains("ABORT marker")), "ABORT markers written");
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("kafka.consumer.fetch") && e.detail().contains("read_committed), below LSO")),
          "read_committed fetches are bounded by the LSO");
    }
  }

  @Test
  void aNewInstanceFencesThePausedZombieWhoseTransactionNeverBecomesVisible() {
    for (long seed = 1; seed <= 3; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(EosScenarios.zombieFenced(), RunOptions.seed(seed).withListeners(List.of(events::add)));
      SimTesting.assertOk(r);
      TraceEvent fenced = events.stream().filter(e -> e.kind().equals("kafka.producer.fenced")).findFirst().orElseThrow();
      assertEquals("txn-producer", fenced.node());
      assertTrue(fenced.detail().contains("PRODUCER_FENCED") || fenced.detail().contains("INVALID_PRODUCER_EPOCH"), fenced.detail());
      TraceEvent fence = events.stream().filter(e -> e.kind().equals("kafka.txn.fence")).findFirst().orElseThrow();
      assertTrue(fence.timeNanos() < fenced.timeNanos(), "the coordinator fenced before the zombie heard of it");
      for (String lesson : List.of("kafka.story.zombie-closes", "kafka.story.new-instance-commits", "kafka.story.transactions-complete")) {
        assertTrue(r.check(lesson).ok(), "seed " + seed + ": " + r.check(lesson).render());
      }
    }
  }

  @Test
  void aHangingTransactionHoldsTheLsoUntilTransactionTimeoutAbortsIt() {
    for (long seed = 1; seed <= 2; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(EosScenarios.hangingTransaction(), RunOptions.seed(seed).withListeners(List.of(events::add)));
      SimTesting.assertOk(r);
      TraceEvent crash = events.stream().filter(e -> e.kind().equals("crash") && e.node().equals("txn-producer")).findFirst().orElseThrow();
      TraceEvent timeout = events.stream().filter(e -> e.kind().equals("kafka.txn.timeout")).findFirst().orElseThrow();
      long openMs = (timeout.timeNanos() - crash.timeNanos()) / 1_000_000;
      assertTrue(openMs >= 60_000 - 1000 && openMs <= 72_000, "aborted after transaction.timeout.ms=60000 plus at most one 10s cleanup interval: " + openMs);
      assertTrue(r.check("kafka.story.lso-holds-back-later-commits").ok(), r.check("kafka.story.lso-holds-back-later-commits").render());
    }
  }

  @Test
  void theTransactionCoordinatorPartitionIsKafkas() {
    for (String id : List.of(EosScenarios.TXN_ID, "", "a", "orders-tx-17", "zzzzzzzzzzzz")) {
      for (int n : List.of(1, 3, 50)) assertEquals(Utils.abs(id.hashCode()) % n, TransactionCoordinator.partitionFor(id, n), id + " % " + n);
    }
  }

  /**
   * Every replica's segments of the transactional topic, as exported files, are read by kafka-clients' FileRecords
   * with the same transactional and control batches and the same markers; each segment's .txnindex, written from
   * our index, is read by kafka-storage's TransactionIndex with the same aborted transactions, and the
   * read_committed consumer returned no record of one of them.
   */
  @Test
  void exportedSegmentsAndTxnIndexesAreKafkas(@TempDir Path tmp) throws IOException {
    Simulation[] finished = new Simulation[1];
    SimTesting.assertOk(ScenarioRunner.run(EosScenarios.transactions(), RunOptions.seed(2), done -> finished[0] = done));
    Simulation sim = finished[0];
    int markers = 0;
    int aborted = 0;
    for (String name : List.of("b1", "b2", "b3")) {
      NodeId id = NodeId.of(name);
      Broker broker = sim.node(id, Broker.class);
      Path dir = tmp.resolve(name);
      sim.disk(id).exportTo(dir);
      for (int p = 0; p < 2; p++) {
        TopicPartition tp = new TopicPartition(EosScenarios.TOPIC, p);
        Log log = broker.log(tp);
        List<Path> segments = ExportedSegmentsTest.segments(dir.resolve(tp.toString()));
        List<BatchHeader> ours = log.batches().stream().map(Log.BatchRef::header).toList();
        int i = 0;
        for (Path segment : segments) {
          try (FileRecords fr = FileRecords.open(segment.toFile())) {
            for (FileChannelRecordBatch b : fr.batches()) {
              b.ensureValid();
              BatchHeader h = ours.get(i);
              assertEquals(h.baseOffset(), b.baseOffset());
              assertEquals(h.isTransactional(), b.isTransactional(), name + " " + tp + " batch " + h);
              assertEquals(h.isControlBatch(), b.isControlBatch(), name + " " + tp + " batch " + h);
              assertEquals(h.producerId(), b.producerId());
              assertEquals(h.producerEpoch(), b.producerEpoch());
              if (b.isControlBatch()) {
                Record r = b.iterator().next();
                ControlBatches.EndTransactionMarker mine = ControlBatches.marker(log.readBatch(log.batch(i)), 0);
                assertEquals(mine.type().name(), ControlRecordType.parse(r.key()).name());
                assertEquals(mine.coordinatorEpoch(), EndTransactionMarker.deserialize(r).coordinatorEpoch());
                markers++;
              }
              i++;
            }
          }
        }
        assertEquals(ours.size(), i, name + " " + tp + ": kafka-clients reads every batch");
        aborted += checkTxnIndexes(tmp.resolve("txnindex-" + name + "-" + p), log);
      }
    }
    assertTrue(markers > 20, "markers read: " + markers);
    assertTrue(aborted > 0, "aborted transactions indexed: " + aborted);
    TxnConsumer rc = sim.node(KafkaCluster.READ_COMMITTED, TxnConsumer.class);
    Set<Long> abortedOffsets = abortedDataOffsets(sim.node(NodeId.of("b1"), Broker.class).log(new TopicPartition(EosScenarios.TOPIC, 0)));
    for (TxnConsumer.Returned r : rc.returned()) {
      if (r.partition() == 0) assertFalse(abortedOffsets.contains(r.offset()), "read_committed returned aborted " + r);
    }
  }

  /** Each segment's .txnindex bytes, opened by kafka-storage's TransactionIndex: the same entries, sane for the segment. */
  private static int checkTxnIndexes(Path dir, Log log) throws IOException {
    Files.createDirectories(dir);
    List<Log.SegmentInfo> segs = log.segmentInfos();
    int n = 0;
    for (int s = 0; s < segs.size(); s++) {
      long base = segs.get(s).baseOffset();
      long next = s + 1 < segs.size() ? segs.get(s + 1).baseOffset() : Long.MAX_VALUE;
      Path file = dir.resolve(String.format("%020d.txnindex", base));
      Files.write(file, log.transactionIndex().segmentFile(base, next));
      try (org.apache.kafka.storage.internals.log.TransactionIndex theirs = new org.apache.kafka.storage.internals.log.TransactionIndex(base, file.toFile())) {
        theirs.sanityCheck();
        List<TransactionIndex.AbortedTxn> expected = new ArrayList<>();
        for (TransactionIndex.AbortedTxn t : log.transactionIndex().all()) if (t.lastOffset() >= base && t.lastOffset() < next) expected.add(t);
        List<TransactionIndex.AbortedTxn> read = new ArrayList<>();
        for (AbortedTxn t : theirs.allAbortedTxns()) read.add(new TransactionIndex.AbortedTxn(t.producerId(), t.firstOffset(), t.lastOffset(), t.lastStableOffset()));
        assertEquals(expected, read);
        n += read.size();
      }
    }
    return n;
  }

  /** Offsets of data records whose producer's next marker is ABORT. */
  private static Set<Long> abortedDataOffsets(Log log) {
    Set<Long> out = new HashSet<>();
    for (TransactionIndex.AbortedTxn t : log.transactionIndex().all()) {
      for (Log.BatchRef b : log.batches()) {
        BatchHeader h = b.header();
        if (!h.isControlBatch() && h.producerId() == t.producerId() && h.baseOffset() >= t.firstOffset() && h.lastOffset() < t.lastOffset()) {
          for (long o = h.baseOffset(); o <= h.lastOffset(); o++) out.add(o);
        }
      }
    }
    return out;
  }
}
