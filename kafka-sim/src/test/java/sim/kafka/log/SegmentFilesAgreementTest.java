package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.Simulation;
import sim.core.disk.SimDisk;
import sim.kafka.record.Header;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/** Segment files written by our log are Kafka's: kafka-clients reads them, and we read and recover Kafka's. */
class SegmentFilesAgreementTest {
  static final String DIR = "orders-0";

  static SimDisk disk() {
    return new SimDisk("b1", new Simulation(7).random("disk"));
  }

  /** Appends {@code batches} batches of 3 records at increasing offsets; returns what was written. */
  static List<LogRecord> fill(Log log, int batches) {
    List<LogRecord> written = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      List<LogRecord> recs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long offset = log.logEndOffset() + i;
        recs.add(new LogRecord(offset, 1_700_000_000_000L + offset, ("key-" + offset).getBytes(), ("value-" + offset).getBytes(),
            List.of(Header.of("trace", "t" + offset))));
      }
      ProducerFields p = new ProducerFields(1000L, (short) 0, (int) log.logEndOffset());
      byte[] batch = RecordBatches.build(log.logEndOffset(), b / 10, p, recs);
      log.append(batch);
      written.addAll(recs);
    }
    return written;
  }

  @Test
  void kafkaFileRecordsReadOurSegments(@TempDir Path tmp) throws IOException {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    List<LogRecord> written = fill(log, 100);
    assertTrue(log.segmentCount() > 3, "segments rolled: " + log.segmentNames());
    disk.exportTo(tmp);
    List<LogRecord> read = new ArrayList<>();
    long expectedBase = 0;
    for (Path segment : segments(tmp.resolve(DIR))) {
      assertEquals(String.format("%020d.log", expectedBase), segment.getFileName().toString(), "segment named by its base offset");
      try (FileRecords fr = FileRecords.open(segment.toFile())) {
        for (FileChannelRecordBatch batch : fr.batches()) {
          batch.ensureValid();
          assertEquals(1000L, batch.producerId());
          assertEquals((int) batch.baseOffset(), batch.baseSequence());
          for (Record r : batch) {
            read.add(new LogRecord(r.offset(), r.timestamp(), Utils.toArray(r.key()), Utils.toArray(r.value()),
                List.of(new Header(r.headers()[0].key(), r.headers()[0].value()))));
          }
          expectedBase = batch.nextOffset();
        }
      }
    }
    assertEquals(written, read);
  }

  @Test
  void offsetIndexEntriesPointAtTheBatchHoldingTheirOffset(@TempDir Path tmp) throws IOException {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, new LogConfig(64 * 1024, 1024, LogConfig.UNSET));
    fill(log, 150);
    disk.exportTo(tmp);
    int entries = 0;
    for (Path segment : segments(tmp.resolve(DIR))) {
      long base = Long.parseLong(segment.getFileName().toString().substring(0, 20));
      java.nio.ByteBuffer index = java.nio.ByteBuffer.wrap(Files.readAllBytes(tmp.resolve(DIR).resolve(String.format("%020d.index", base))));
      try (FileRecords fr = FileRecords.open(segment.toFile())) {
        int lastPosition = -1;
        while (index.remaining() >= 8) {
          long offset = base + index.getInt();
          int position = index.getInt();
          assertTrue(position > lastPosition, "index positions ascend");
          lastPosition = position;
          FileChannelRecordBatch batch = fr.batchesFrom(position).iterator().next();
          assertTrue(batch.baseOffset() <= offset && offset <= batch.lastOffset(), "entry " + offset + "@" + position + " is in " + batch);
          entries++;
        }
      }
    }
    assertTrue(entries > 10, "an entry about every index.interval.bytes: " + entries);
  }

  @Test
  void weRecoverSegmentsWrittenByKafka(@TempDir Path tmp) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(DIR));
    List<LogRecord> expected = new ArrayList<>();
    try (FileRecords fr = FileRecords.open(dir.resolve("00000000000000000000.log").toFile())) {
      for (int b = 0; b < 5; b++) {
        List<LogRecord> recs = List.of(LogRecord.of(5000 + b, "k" + b, "v" + b), LogRecord.of(5001 + b, null, "w" + b));
        byte[] bytes = sim.kafka.record.RecordBatchAgreementTestAccess.kafkaBatch(recs, ProducerFields.NONE, b * 2L, 3);
        fr.append(MemoryRecords.readableRecords(java.nio.ByteBuffer.wrap(bytes)));
        for (int i = 0; i < recs.size(); i++) {
          LogRecord r = recs.get(i);
          expected.add(new LogRecord(b * 2L + i, r.timestamp(), r.key(), r.value(), List.of()));
        }
      }
      fr.flush();
    }
    SimDisk disk = disk();
    disk.importFrom(tmp);
    Log log = new Log(disk, DIR, LogConfig.simulation());
    assertEquals(10, log.logEndOffset());
    assertEquals(0, log.lastRecovery().droppedBytes());
    assertEquals(expected, RecordBatches.allRecords(log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE)));
    assertEquals(3, log.epochs().latestEpoch(), "recovery rebuilds the epoch cache from the batches' partitionLeaderEpoch");
  }

  @Test
  void flippedByteTruncatesAtTheFirstInvalidBatchLikeKafka(@TempDir Path tmp) throws IOException {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    fill(log, 40);
    log.flush();
    String first = DIR + "/00000000000000000000.log";
    Log.BatchRef victim = log.batches().get(10);
    disk.corrupt(first, victim.position() + RecordBatches.RECORD_BATCH_OVERHEAD + 4, 1);
    disk.exportTo(tmp);
    int kafkaValid = 0;
    try (FileRecords fr = FileRecords.open(tmp.resolve(first).toFile())) {
      for (FileChannelRecordBatch b : fr.batches()) {
        if (!b.isValid()) break;
        kafkaValid++;
      }
    }
    Log recovered = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    RecoveryReport report = recovered.lastRecovery();
    assertEquals(10, kafkaValid, "kafka-clients finds the flipped byte in batch 10");
    assertEquals(kafkaValid, report.segments().get(0).validBatches(), "same valid prefix as Kafka's CRC check");
    assertTrue(report.segments().get(0).reason().contains("CRC"), report.toString());
    assertTrue(report.segments().stream().skip(1).allMatch(s -> s.reason() != null && s.reason().startsWith("deleted")), report.toString());
    assertEquals(1, recovered.segmentCount());
    assertEquals(kafkaValid * 3L, recovered.logEndOffset());
  }

  @Test
  void tornTailIsCutAtTheLastCompleteBatch() {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, LogConfig.simulation());
    fill(log, 5);
    log.flush();
    String file = DIR + "/00000000000000000000.log";
    disk.truncate(file, disk.size(file) - 7);
    disk.fsync(file);
    Log recovered = new Log(disk, DIR, LogConfig.simulation());
    assertEquals(12, recovered.logEndOffset());
    assertTrue(recovered.lastRecovery().segments().get(0).reason().contains("torn"), recovered.lastRecovery().toString());
    assertEquals(recovered.lastRecovery().segments().get(0).validBytes(), disk.size(file), "file truncated to the valid prefix");
  }

  @Test
  void crashLosesTheUnflushedTailBecauseKafkaDoesNotFsyncPerWrite() {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    fill(log, 40);
    long flushedEnd = log.batches().stream().filter(b -> b.segmentBase() < lastSegmentBase(log)).mapToLong(b -> b.header().nextOffset()).max().orElse(0);
    disk.crash();
    Log recovered = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    assertEquals(flushedEnd, recovered.logEndOffset(), "only rolled (flushed) segments survive");
    assertTrue(recovered.logEndOffset() < log.logEndOffset());
  }

  @Test
  void flushMessagesOneMakesEveryAppendDurable() {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, LogConfig.simulation().withFlushMessages(1));
    fill(log, 7);
    disk.crash();
    assertEquals(21, new Log(disk, DIR, LogConfig.simulation()).logEndOffset());
  }

  @Test
  void truncationDropsWholeBatchesAndLaterSegments() {
    SimDisk disk = disk();
    Log log = new Log(disk, DIR, new LogConfig(4096, 1024, LogConfig.UNSET));
    fill(log, 40);
    log.truncateTo(94);
    assertEquals(93, log.logEndOffset(), "the batch holding offset 94 goes entirely");
    assertArrayEquals(new long[] {0, 1, 2, 3}, log.epochs().entries().keySet().stream().mapToLong(Integer::longValue).toArray());
    log.truncateTo(31);
    assertEquals(30, log.logEndOffset());
    assertEquals(List.of(0), List.copyOf(log.epochs().entries().keySet()), "epochs starting at or after the new end are forgotten");
    log.truncateTo(0);
    assertEquals(0, log.logEndOffset());
    assertEquals(1, log.segmentCount());
  }

  static long lastSegmentBase(Log log) {
    return log.batches().get(log.batches().size() - 1).segmentBase();
  }

  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  static File file(Path p) {
    return p.toFile();
  }
}
