package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.util.KafkaScheduler;
import org.apache.kafka.storage.internals.log.Cleaner;
import org.apache.kafka.storage.internals.log.LogCleanerManager;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.apache.kafka.storage.internals.log.LogSegment;
import org.apache.kafka.storage.internals.log.LogToClean;
import org.apache.kafka.storage.internals.log.ProducerStateManagerConfig;
import org.apache.kafka.storage.internals.log.SkimpyOffsetMap;
import org.apache.kafka.storage.internals.log.UnifiedLog;
import org.apache.kafka.storage.internals.utils.Throttler;
import org.apache.kafka.storage.log.metrics.BrokerTopicStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sim.core.disk.SimDisk;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/**
 * Our log cleaner against Kafka's own (kafka-storage's {@code Cleaner}, {@code LogCleanerManager} and
 * {@code UnifiedLog} on real files): the same batches are appended to both logs, segments roll at the same
 * offsets, and round after round the choice (first dirty offset, first uncleanable offset, cleanable and total
 * bytes, whether max.compaction.lag.ms forces a clean) and the copy (the segment files, byte for byte) agree —
 * keys overwritten, tombstones kept then dropped past their delete horizon, empty batches kept for a
 * producer's last sequence and for the end of the round, segments merged into groups.
 */
class CleanerAgreementTest {
  static final String DIR = "compacted-0";

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 24);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void cleanerAgreesWithKafkas(long seed, @TempDir Path tmp) throws Exception {
    Random rnd = new Random(seed);
    int segmentBytes = 700 + rnd.nextInt(2500);
    long deleteRetentionMs = 10_000;
    long minLag = rnd.nextInt(3) == 0 ? 20_000 : 0;
    long maxLag = rnd.nextInt(3) == 0 ? 60_000 : Long.MAX_VALUE;
    LogConfig ours = new LogConfig(segmentBytes, 512, LogConfig.UNSET).withCleanupPolicy("compact").withDeleteRetentionMs(deleteRetentionMs)
        .withCompactionLags(minLag, maxLag, 0.5);
    Map<String, Object> props = new HashMap<>();
    props.put(TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
    props.put(org.apache.kafka.storage.internals.log.LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG, segmentBytes);
    props.put(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, 512);
    props.put(TopicConfig.SEGMENT_MS_CONFIG, Long.MAX_VALUE);
    props.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, deleteRetentionMs);
    props.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, minLag);
    props.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, maxLag);
    props.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.5);

    FixedTime time = new FixedTime(1_700_000_000_000L);
    KafkaScheduler scheduler = new KafkaScheduler(1);
    scheduler.startup();
    SimDisk disk = SimDisk.standalone("b1", seed);
    Log log = new Log(disk, DIR, ours);
    UnifiedLog kafka = UnifiedLog.create(tmp.resolve("kafka").resolve(DIR).toFile(), new org.apache.kafka.storage.internals.log.LogConfig(props),
        0L, 0L, scheduler, new BrokerTopicStats(), time, 60_000, new ProducerStateManagerConfig(86_400_000, false), 600_000,
        new LogDirFailureChannel(1), true, Optional.empty());
    Cleaner cleaner = new Cleaner(0, new SkimpyOffsetMap(1 << 20), 64 * 1024, 1 << 20, 0.9,
        new Throttler(Double.MAX_VALUE, Long.MAX_VALUE, "cleaner-io", "bytes", time), time, tp -> { });
    int keys = 3 + rnd.nextInt(15);
    Map<Long, Integer> sequences = new HashMap<>();
    Optional<Long> checkpoint = Optional.empty();
    int cleans = 0;
    try {
      for (int round = 0; round < 6; round++) {
        int batches = 5 + rnd.nextInt(30);
        for (int b = 0; b < batches; b++) {
          time.advance(rnd.nextInt(3000));
          byte[] batch = randomBatch(rnd, log.logEndOffset(), keys, sequences, time.milliseconds());
          log.append(batch);
          kafka.appendAsFollower(MemoryRecords.readableRecords(ByteBuffer.wrap(batch)), 0);
        }
        int rr = round;
        assertEquals(kafkaBases(kafka), bases(log), () -> "seed " + seed + " round " + rr + ": segments rolled at the same offsets (segment.bytes, max.compaction.lag.ms)");
        long hw = log.logEndOffset() - rnd.nextInt((int) Math.min(20, log.logEndOffset() + 1));
        kafka.updateHighWatermark(hw);
        time.advance(rnd.nextInt(25_000));
        long now = time.milliseconds();

        CleanerPolicy.Decision d = CleanerPolicy.decide(log.segmentInfos(), log.logStartOffset(), log.logEndOffset(), hw, checkpoint, ours, now);
        LogCleanerManager.OffsetsToClean o = LogCleanerManager.cleanableOffsets(kafka, checkpoint, now);
        boolean needNow = maxCompactionDelay(kafka, o.firstDirtyOffset(), now) > 0;
        LogToClean ltc = new LogToClean(kafka, o.firstDirtyOffset(), o.firstUncleanableDirtyOffset(), needNow);
        String where = "seed " + seed + " round " + round + ": " + d;
        assertEquals(ltc.firstDirtyOffset(), d.firstDirtyOffset(), where);
        assertEquals(ltc.firstUncleanableOffset(), d.firstUncleanableOffset(), where);
        assertEquals(ltc.cleanableBytes(), d.cleanableBytes(), where);
        assertEquals(ltc.totalBytes(), d.totalBytes(), where);
        assertEquals(needNow, d.needCompactionNow(), where);
        boolean kafkaWouldClean = ltc.totalBytes() > 0
            && ((needNow && ltc.cleanableBytes() > 0) || ltc.cleanableRatio() > kafka.config().minCleanableRatio);
        assertEquals(kafkaWouldClean, d.clean(), where);

        // Clean when the policy says so, and sometimes when it does not, to exercise the copy more often.
        if (d.cleanableBytes() > 0 && (d.clean() || rnd.nextBoolean())) {
          LogCleaner.Result r = LogCleaner.clean(log, d, now);
          Map.Entry<Long, ?> k = cleaner.doClean(ltc, now);
          assertEquals(k.getKey(), r.endOffset(), where);
          checkpoint = Optional.of(r.endOffset());
          cleans++;
          assertSameFiles(disk, tmp, kafka, where);
        }
      }
      assertTrue(cleans > 0, "seed " + seed + " cleaned at least once");
      // What a restart reads back is what was cleaned.
      Log reopened = new Log(disk, DIR, ours);
      assertEquals(records(log), records(reopened));
    } finally {
      kafka.close();
      scheduler.shutdown();
    }
  }

  /** A crash between the swap file's rename and the swap's end: recovery finishes it; an unfinished clean is dropped. */
  @Test
  void recoveryFinishesAnInterruptedSwap() {
    SimDisk disk = SimDisk.standalone("b1", 3);
    LogConfig config = new LogConfig(600, 512, LogConfig.UNSET).withCleanupPolicy("compact");
    Log log = new Log(disk, DIR, config);
    Random rnd = new Random(3);
    Map<Long, Integer> seqs = new HashMap<>();
    while (log.segmentCount() < 5) log.append(randomBatch(rnd, log.logEndOffset(), 4, seqs, 1_000L + log.logEndOffset()));
    List<String> before = records(log);
    List<Log.SegmentInfo> infos = log.segmentInfos();
    // The first two segments' batches as one cleaned segment (no records removed), swapped in halfway.
    List<byte[]> merged = new ArrayList<>();
    for (int i = 0; i < 2; i++) for (Log.BatchRef ref : log.segmentBatches(infos.get(i).baseOffset())) merged.add(log.readBatch(ref));
    Segment head = new Segment(disk, DIR, infos.get(0).baseOffset(), 512);
    head.writeSwap(merged);
    new Segment(disk, DIR, infos.get(1).baseOffset(), 512).delete();
    Log recovered = new Log(disk, DIR, config);
    assertEquals(before, records(recovered), "the swap finished: nothing lost, nothing twice");
    assertEquals(infos.size() - 1, recovered.segmentCount());
    // A .cleaned file left by a crash before the swap is deleted; the old segments stay.
    disk.write(DIR + "/" + Segment.fileName(0, ".log.cleaned"), 0, new byte[] {1, 2, 3});
    Log again = new Log(disk, DIR, config);
    assertEquals(before, records(again));
    assertTrue(!disk.exists(DIR + "/" + Segment.fileName(0, ".log.cleaned")));
  }

  /** 1–5 records with keys from a small pool, about one in six a tombstone; half the batches from one of two idempotent producers. */
  static byte[] randomBatch(Random rnd, long baseOffset, int keys, Map<Long, Integer> sequences, long nowMs) {
    int n = 1 + rnd.nextInt(5);
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String key = "k" + rnd.nextInt(keys);
      String value = rnd.nextInt(6) == 0 ? null : "v" + (baseOffset + i) + "-" + "x".repeat(rnd.nextInt(40));
      records.add(new LogRecord(baseOffset + i, nowMs + i, utf8(key), utf8(value), List.of()));
    }
    ProducerFields p = ProducerFields.NONE;
    if (rnd.nextBoolean()) {
      long pid = 1000 + rnd.nextInt(2);
      int seq = sequences.getOrDefault(pid, 0);
      sequences.put(pid, seq + n);
      p = new ProducerFields(pid, (short) 0, seq);
    }
    return RecordBatches.build(baseOffset, 0, p, records);
  }

  static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static List<Long> bases(Log log) {
    List<Long> out = new ArrayList<>();
    for (Log.SegmentInfo s : log.segmentInfos()) out.add(s.baseOffset());
    return out;
  }

  static List<Long> kafkaBases(UnifiedLog kafka) {
    List<Long> out = new ArrayList<>();
    for (LogSegment s : kafka.logSegments()) out.add(s.baseOffset());
    return out;
  }

  static List<String> records(Log log) {
    List<String> out = new ArrayList<>();
    for (LogRecord r : RecordBatches.allRecords(log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE))) out.add(r.offset() + ":" + r.keyText() + "=" + r.valueText());
    return out;
  }

  /** Every segment file of ours equals Kafka's byte for byte; on a difference, the batches of both, readably. */
  static void assertSameFiles(SimDisk disk, Path tmp, UnifiedLog kafka, String where) throws IOException {
    Path exported = tmp.resolve("ours-" + System.nanoTime());
    disk.exportTo(exported);
    List<Path> ourSegments = new ArrayList<>();
    try (var files = Files.list(exported.resolve(DIR))) {
      files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().forEach(ourSegments::add);
    }
    List<LogSegment> theirs = kafka.logSegments();
    Supplier<String> both = () -> "\nours:   " + describe(ourSegments) + "\nkafka's: " + describeKafka(theirs);
    assertEquals(theirs.size(), ourSegments.size(), () -> where + both.get());
    for (int i = 0; i < theirs.size(); i++) {
      byte[] mine = Files.readAllBytes(ourSegments.get(i));
      byte[] kafkas = Files.readAllBytes(theirs.get(i).log().file().toPath());
      assertEquals(String.format("%020d.log", theirs.get(i).baseOffset()), ourSegments.get(i).getFileName().toString(), where);
      int segment = i;
      assertArrayEquals(kafkas, mine, () -> where + ": segment " + theirs.get(segment).baseOffset() + both.get());
    }
  }

  static String describe(List<Path> segments) {
    StringBuilder b = new StringBuilder();
    for (Path p : segments) {
      try (FileRecords fr = FileRecords.open(p.toFile())) {
        b.append(describe(fr));
      } catch (IOException e) {
        b.append(e);
      }
    }
    return b.toString();
  }

  static String describeKafka(List<LogSegment> segments) {
    StringBuilder b = new StringBuilder();
    for (LogSegment s : segments) b.append(describe(s.log()));
    return b.toString();
  }

  static String describe(FileRecords fr) {
    StringBuilder b = new StringBuilder("| ");
    for (RecordBatch batch : fr.batches()) {
      b.append('[').append(batch.baseOffset()).append('-').append(batch.lastOffset());
      if (batch.hasProducerId()) b.append(" p").append(batch.producerId()).append('#').append(batch.baseSequence());
      batch.deleteHorizonMs().ifPresent(h -> b.append(" h").append(h));
      b.append(':');
      for (Record r : batch) b.append(' ').append(r.offset()).append(Utils.utf8(r.key())).append(r.hasValue() ? "" : "(del)");
      b.append("] ");
    }
    return b.toString();
  }

  /** LogCleanerManager's own max.compaction.lag.ms delay (private there). */
  static long maxCompactionDelay(UnifiedLog log, long firstDirty, long now) throws Exception {
    Method m = LogCleanerManager.class.getDeclaredMethod("maxCompactionDelay", UnifiedLog.class, long.class, long.class);
    m.setAccessible(true);
    return (long) m.invoke(null, log, firstDirty, now);
  }

  /** Kafka's Time at a clock the test moves. */
  static final class FixedTime implements Time {
    private long ms;

    FixedTime(long ms) {
      this.ms = ms;
    }

    void advance(long by) {
      ms += by;
    }

    @Override
    public long milliseconds() {
      return ms;
    }

    @Override
    public long nanoseconds() {
      return ms * 1_000_000;
    }

    @Override
    public void sleep(long ms) {
      this.ms += ms;
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
      throw new UnsupportedOperationException();
    }
  }
}
