package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.storage.log.FetchIsolation;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.FetchDataInfo;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogSegment;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.core.disk.SimDisk;
import sim.kafka.client.ReadCommittedFilter;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/**
 * Transactions on disk are Kafka's: our transactional batches and COMMIT/ABORT markers are byte-identical to
 * kafka-clients' {@code MemoryRecords.withTransactionalRecords}/{@code withEndTransactionMarker}, and the same random
 * interleaving of transactions appended to our {@link Log} and to kafka-storage 4.1's {@code UnifiedLog} gives the
 * same segment files, the same {@code .txnindex} bytes per segment, the same last stable offset and the same answer
 * to a read_committed fetch (records up to the LSO and the aborted transactions).
 */
public class TransactionAgreementTest {
  static final String DIR = "orders-0";
  static final long T0 = 1_700_000_000_000L;

  @Test
  void markerBytesEqualKafkas() {
    Random rnd = new Random(3);
    for (int i = 0; i < 200; i++) {
      long offset = rnd.nextInt(1_000_000);
      long ts = T0 + rnd.nextInt(1_000_000);
      int ple = rnd.nextInt(100);
      long pid = rnd.nextInt(100_000);
      short epoch = (short) rnd.nextInt(Short.MAX_VALUE);
      int coordinatorEpoch = rnd.nextInt(1000);
      boolean commit = rnd.nextBoolean();
      byte[] ours = ControlBatches.endTransactionMarker(offset, ts, ple, pid, epoch, new ControlBatches.EndTransactionMarker(
          commit ? sim.kafka.record.ControlRecordType.COMMIT : sim.kafka.record.ControlRecordType.ABORT, coordinatorEpoch));
      MemoryRecords theirs = MemoryRecords.withEndTransactionMarker(offset, ts, ple, pid, epoch,
          new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT, coordinatorEpoch));
      assertArrayEquals(Utils.toArray(theirs.buffer()), ours);
      BatchHeader h = RecordBatches.validate(ours, 0, ours.length);
      assertTrue(h.isControlBatch() && h.isTransactional());
      assertEquals(coordinatorEpoch, ControlBatches.marker(ours, 0).coordinatorEpoch());
    }
  }

  @Test
  void transactionalBatchBytesEqualKafkas() {
    List<LogRecord> recs = List.of(LogRecord.of(T0, "k1", "v1"), LogRecord.of(T0 + 5, "k2", "v2"), LogRecord.of(T0 + 9, null, "v3"));
    byte[] ours = ControlBatches.transactional(42, 3, new ProducerFields(7000, (short) 4, 11), recs);
    MemoryRecords theirs = MemoryRecords.withTransactionalRecords(42, Compression.NONE, 7000, (short) 4, 11, 3,
        new SimpleRecord(T0, "k1".getBytes(), "v1".getBytes()), new SimpleRecord(T0 + 5, "k2".getBytes(), "v2".getBytes()),
        new SimpleRecord(T0 + 9, null, "v3".getBytes()));
    assertArrayEquals(Utils.toArray(theirs.buffer()), ours);
    BatchHeader h = RecordBatches.header(ours, 0);
    assertTrue(h.isTransactional() && !h.isControlBatch());
  }

  static List<Long> seeds() {
    return LongStream.rangeClosed(1, 16).boxed().toList();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void sameLogAsKafkas(long seed, @TempDir Path tmp) throws Exception {
    Random rnd = new Random(seed);
    int segmentBytes = 600 + rnd.nextInt(1500);
    Map<String, Object> props = new HashMap<>();
    props.put(org.apache.kafka.storage.internals.log.LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, segmentBytes);
    props.put(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 512);
    props.put(TopicConfig.SEGMENT_MS_CONFIG, Long.MAX_VALUE);
    KafkaScheduler scheduler = new KafkaScheduler(1);
    scheduler.startup();
    SimDisk disk = SimDisk.standalone("b1", seed);
    Log log = new Log(disk, DIR, new LogConfig(segmentBytes, 512, LogConfig.UNSET));
    UnifiedLog kafka = UnifiedLog.create(tmp.resolve("kafka").resolve(DIR).toFile(), new org.apache.kafka.storage.internals.log.LogConfig(props),
        0L, 0L, scheduler, new BrokerTopicStats(), org.apache.kafka.common.utils.Time.SYSTEM, 60_000,
        new ProducerStateManagerConfig(86_400_000, false), 600_000, new LogDirFailureChannel(1), true, Optional.empty());
    try {
      Workload w = new Workload(rnd);
      for (int i = 0; i < 120; i++) {
        byte[] batch = w.next(log.logEndOffset());
        log.append(batch);
        kafka.appendAsFollower(MemoryRecords.readableRecords(ByteBuffer.wrap(batch)), 0);
      }
      String where = "seed " + seed;
      assertSameSegments(disk, tmp, kafka, log, where);
      long hw = log.logEndOffset() - rnd.nextInt(3);
      kafka.updateHighWatermark(hw);
      assertEquals(kafka.lastStableOffset(), log.lastStableOffset(hw), where + ": last stable offset");
      assertEquals(kafka.firstUnstableOffset().orElse(-1L), log.producers().firstUnstableOffset(), where + ": first unstable offset");
      for (int f = 0; f < 10; f++) assertSameReadCommitted(log, kafka, rnd.nextInt((int) Math.max(1, hw)), hw, where);
      assertReadCommittedSeesOnlyCommitted(log, w, hw, where);
      Log reopened = new Log(disk, DIR, new LogConfig(segmentBytes, 512, LogConfig.UNSET));
      assertEquals(log.transactionIndex().all(), reopened.transactionIndex().all(), where + ": the index is rebuilt from the log on recovery");
      assertEquals(log.producers().ongoingTxns(), reopened.producers().ongoingTxns(), where + ": open transactions rebuilt");
    } finally {
      kafka.close();
      scheduler.shutdown();
    }
  }

  /** Every segment's .log is Kafka's byte for byte, and its .txnindex holds the same aborted transactions, byte for byte. */
  static void assertSameSegments(SimDisk disk, Path tmp, UnifiedLog kafka, Log log, String where) throws Exception {
    Path exported = tmp.resolve("ours");
    disk.exportTo(exported);
    List<LogSegment> theirs = kafka.logSegments();
    List<Log.SegmentInfo> mine = log.segmentInfos();
    assertEquals(theirs.size(), mine.size(), where + ": segments");
    int aborted = 0;
    for (int i = 0; i < theirs.size(); i++) {
      LogSegment s = theirs.get(i);
      assertEquals(s.baseOffset(), mine.get(i).baseOffset(), where);
      byte[] ourLog = Files.readAllBytes(exported.resolve(DIR).resolve(String.format("%020d.log", s.baseOffset())));
      assertArrayEquals(Files.readAllBytes(s.log().file().toPath()), ourLog, where + ": segment " + s.baseOffset());
      s.txnIndex().flush();
      Path txnFile = s.txnIndex().file().toPath();
      byte[] kafkasIndex = Files.exists(txnFile) ? Files.readAllBytes(txnFile) : new byte[0];
      long next = i + 1 < theirs.size() ? theirs.get(i + 1).baseOffset() : Long.MAX_VALUE;
      byte[] ourIndex = log.transactionIndex().segmentFile(s.baseOffset(), next);
      assertArrayEquals(kafkasIndex, ourIndex, where + ": " + txnFile.getFileName() + " " + s.txnIndex().allAbortedTxns());
      assertEquals(s.txnIndex().allAbortedTxns().size(), TransactionIndex.parse(ourIndex).size());
      aborted += s.txnIndex().allAbortedTxns().size();
      assertKafkaClientsReadsMarkers(exported.resolve(DIR).resolve(String.format("%020d.log", s.baseOffset())), log);
    }
    assertEquals(log.transactionIndex().all().size(), aborted, where + ": every aborted transaction indexed once");
  }

  /** kafka-clients reads each control batch of our file as the marker we wrote. */
  static void assertKafkaClientsReadsMarkers(Path segment, Log log) throws Exception {
    try (FileRecords fr = FileRecords.open(segment.toFile())) {
      for (FileChannelRecordBatch b : fr.batches()) {
        b.ensureValid();
        Log.BatchRef ref = log.batches().stream().filter(x -> x.header().baseOffset() == b.baseOffset()).findFirst().orElseThrow();
        assertEquals(ref.header().isControlBatch(), b.isControlBatch());
        assertEquals(ref.header().isTransactional(), b.isTransactional());
        if (!b.isControlBatch()) continue;
        Record r = b.iterator().next();
        ControlBatches.EndTransactionMarker ours = ControlBatches.marker(log.readBatch(ref), 0);
        EndTransactionMarker theirs = EndTransactionMarker.deserialize(r);
        assertEquals(ours.type().name(), ControlRecordType.parse(r.key()).name());
        assertEquals(ours.type().name(), theirs.controlType().name());
        assertEquals(ours.coordinatorEpoch(), theirs.coordinatorEpoch());
      }
    }
  }

  /**
   * A read_committed fetch: Kafka's UnifiedLog.read(TXN_COMMITTED) returns the same bytes (Kafka reads within one
   * segment, so ours is cut at the next segment's base) and the same aborted transactions (Kafka bounds them by the
   * end of that segment).
   */
  static void assertSameReadCommitted(Log log, UnifiedLog kafka, long fetchOffset, long hw, String where) throws Exception {
    FetchDataInfo theirs = kafka.read(fetchOffset, Integer.MAX_VALUE, FetchIsolation.TXN_COMMITTED, true);
    long lso = log.lastStableOffset(hw);
    long segmentEnd = log.logEndOffset();
    for (Log.SegmentInfo s : log.segmentInfos()) if (s.baseOffset() > fetchOffset) {
      segmentEnd = s.baseOffset();
      break;
    }
    byte[] ours = log.read(fetchOffset, Math.min(lso, segmentEnd), Integer.MAX_VALUE);
    ByteBuffer buf = ByteBuffer.allocate(theirs.records.sizeInBytes());
    for (var b : theirs.records.batches()) b.writeTo(buf);
    assertArrayEquals(buf.array(), ours, where + ": fetch from " + fetchOffset + " up to the LSO " + lso);
    if (ours.length == 0) return;
    // Kafka bounds the index search by an offset-index lookup past the fetched bytes, so it may add transactions
    // starting after them; the ones the consumer needs (starting within what was returned) must be the same.
    var scanned = RecordBatches.scan(ours, ours.length).batches();
    long dataEnd = scanned.get(scanned.size() - 1).header().nextOffset();
    Map<Long, Long> kafkas = new TreeMap<>();
    for (FetchResponseData.AbortedTransaction t : theirs.abortedTransactions.orElse(List.of())) {
      if (t.firstOffset() < dataEnd) kafkas.put(t.firstOffset(), t.producerId());
    }
    Map<Long, Long> mine = new TreeMap<>();
    for (TransactionIndex.FetchAborted t : log.transactionIndex().collectAbortedTxns(fetchOffset, Math.min(lso, segmentEnd))) {
      if (t.firstOffset() < dataEnd) mine.put(t.firstOffset(), t.producerId());
    }
    assertEquals(kafkas, mine, where + ": aborted transactions of a fetch from " + fetchOffset);
  }

  /** What the read_committed filter returns from offset 0 is exactly the committed and non-transactional records below the LSO. */
  static void assertReadCommittedSeesOnlyCommitted(Log log, Workload w, long hw, String where) {
    long lso = log.lastStableOffset(hw);
    List<String> seen = new ArrayList<>();
    for (LogRecord r : ReadCommittedFilter.visible(log.read(0, lso, Integer.MAX_VALUE), log.transactionIndex().collectAbortedTxns(0, lso))) {
      seen.add(r.valueText());
    }
    List<String> expected = new ArrayList<>();
    for (Map.Entry<Long, String> e : w.values.entrySet()) {
      if (e.getKey() < lso && w.committed(e.getKey())) expected.add(e.getValue());
    }
    assertEquals(expected, seen, where + ": read_committed below the LSO " + lso);
    assertTrue(ReadCommittedFilter.uncommitted(log.read(0, lso, Integer.MAX_VALUE)).size() >= seen.size());
  }

  /** Three transactional producers interleaving transactions that commit, abort or stay open, plus an idempotent one. */
  public static final class Workload {
    final Random rnd;
    final Map<Long, Integer> sequences = new HashMap<>();
    final Map<Long, List<Long>> open = new HashMap<>();
    /** Data offset to value, and which offsets ended up committed (non-transactional ones always are). */
    final TreeMap<Long, String> values = new TreeMap<>();
    final Map<Long, Boolean> outcome = new HashMap<>();
    long now = T0;

    public Workload(Random rnd) {
      this.rnd = rnd;
    }

    boolean committed(long offset) {
      return outcome.getOrDefault(offset, false);
    }

    public byte[] next(long offset) {
      now += rnd.nextInt(100);
      int pick = rnd.nextInt(4);
      if (pick == 3) return data(offset, 9000L, false);
      long pid = 1000L + pick;
      if (!open.containsKey(pid) && rnd.nextInt(12) == 0) {
        // A marker with no open transaction (a retried marker): it completes nothing, Kafka indexes nothing.
        return ControlBatches.endTransactionMarker(offset, now, 0, pid, (short) 0, new ControlBatches.EndTransactionMarker(
            rnd.nextBoolean() ? sim.kafka.record.ControlRecordType.COMMIT : sim.kafka.record.ControlRecordType.ABORT, 1));
      }
      if (open.containsKey(pid) && rnd.nextInt(3) == 0) {
        boolean commit = rnd.nextBoolean();
        for (long o : open.remove(pid)) outcome.put(o, commit);
        return ControlBatches.endTransactionMarker(offset, now, 0, pid, (short) 0, new ControlBatches.EndTransactionMarker(
            commit ? sim.kafka.record.ControlRecordType.COMMIT : sim.kafka.record.ControlRecordType.ABORT, rnd.nextInt(2)));
      }
      return data(offset, pid, true);
    }

    private byte[] data(long offset, long pid, boolean transactional) {
      int n = 1 + rnd.nextInt(3);
      List<LogRecord> recs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String v = "p" + pid + "@" + (offset + i);
        recs.add(LogRecord.of(now, "k" + rnd.nextInt(5), v));
        values.put(offset + i, v);
        if (transactional) open.computeIfAbsent(pid, k -> new ArrayList<>()).add(offset + i);
        else outcome.put(offset + i, true);
      }
      int seq = sequences.merge(pid, n, Integer::sum) - n;
      ProducerFields p = new ProducerFields(pid, (short) 0, seq);
      return transactional ? ControlBatches.transactional(offset, 0, p, recs) : RecordBatches.build(offset, 0, p, recs);
    }
  }
}
