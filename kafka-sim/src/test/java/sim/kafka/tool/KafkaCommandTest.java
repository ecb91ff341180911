package sim.kafka.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.ControlRecordType;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/** ./sim kafka: exit codes and messages for good files, corrupt files, missing files and bad usage. */
class KafkaCommandTest {
  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new KafkaCommand().run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out), new PrintStream(err));
    return new Result(code, out.toString(), err.toString());
  }

  static Path segment(Path dir) throws IOException {
    byte[] a = RecordBatches.build(0, 0, RecordBatches.ProducerFields.NONE, List.of(LogRecord.of(1000, "k", "hello")));
    byte[] b = RecordBatches.build(1, 0, RecordBatches.ProducerFields.NONE, List.of(LogRecord.of(1001, "k", "world")));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return Files.write(dir.resolve("00000000000000000000.log"), both);
  }

  @Test
  void dumpsAValidSegmentWithItsRecords(@TempDir Path tmp) throws IOException {
    Result r = run("dump-log", "--print-data-log", segment(tmp).toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("baseOffset: 1 lastOffset: 1 count: 1") && r.out().contains("payload: world"), r.out());
  }

  @Test
  void dumpsATransactionAndItsMarkerAsKafkaDumpLogDoes(@TempDir Path tmp) throws IOException {
    RecordBatches.ProducerFields p = new RecordBatches.ProducerFields(4000, (short) 2, 0);
    byte[] a = ControlBatches.transactional(0, 0, p, List.of(LogRecord.of(1000, "k", "in a transaction")));
    byte[] b = ControlBatches.endTransactionMarker(1, 1001, 0, 4000, (short) 2,
        new ControlBatches.EndTransactionMarker(ControlRecordType.ABORT, 3));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    Path f = Files.write(tmp.resolve("00000000000000000000.log"), both);
    Result r = run("dump-log", "--print-data-log", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("baseOffset: 0 lastOffset: 0 count: 1 baseSequence: 0 lastSequence: 0 producerId: 4000 producerEpoch: 2 "
        + "partitionLeaderEpoch: 0 isTransactional: true isControl: false"), r.out());
    assertTrue(r.out().contains("baseOffset: 1 lastOffset: 1 count: 1 baseSequence: -1 lastSequence: -1 producerId: 4000 producerEpoch: 2 "
        + "partitionLeaderEpoch: 0 isTransactional: true isControl: true"), r.out());
    assertTrue(r.out().contains("| offset: 1 CreateTime: 1001 endTxnMarker: ABORT coordinatorEpoch: 3"), r.out());
  }

  @Test
  void reportsWhereACorruptSegmentGoesBad(@TempDir Path tmp) throws IOException {
    Path f = segment(tmp);
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length - 2] ^= 1;
    Files.write(f, bytes);
    Result r = run("dump-log", f.toString());
    assertEquals(1, r.code());
    assertTrue(r.out().contains("Invalid data from position") && r.out().contains("CRC"), r.out());
  }

  @Test
  void missingFileAndBadUsageExitWithTwo(@TempDir Path tmp) {
    Result missing = run("dump-log", tmp.resolve("nope.log").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nope.log"), missing.err());
    assertEquals(2, run().code());
    assertEquals(2, run("frobnicate").code());
    assertEquals(2, run("export", "kafka.no-such-scenario", tmp.toString()).code());
    assertEquals(2, run("export", "kafka.write-path", tmp.toString(), "--seed", "x").code());
  }

  @Test
  void dumpLogOfADirectoryWalksItsSegments(@TempDir Path tmp) throws IOException {
    Path partition = Files.createDirectories(tmp.resolve("b1/orders-0"));
    segment(partition);
    Files.write(partition.resolve("00000000000000000000.index"), new byte[8]);
    Result r = run("dump-log", tmp.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("Dumping " + partition.resolve("00000000000000000000.log")) && r.out().contains("baseOffset: 1"), r.out());
    assertFalse(r.out().contains(".index"), "only segments are dumped: " + r.out());
    Result empty = run("dump-log", Files.createDirectories(tmp.resolve("empty")).toString());
    assertEquals(2, empty.code());
    assertTrue(empty.err().contains("no .log segment files"), empty.err());
  }

  @Test
  void dumpLogOfAnIndexFileSaysWhatItIsAndFails(@TempDir Path tmp) throws IOException {
    Path index = Files.write(tmp.resolve("00000000000000000000.index"), new byte[16]);
    Result r = run("dump-log", index.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("is an offset index") && r.err().contains("00000000000000000000.log"), r.err());
    assertEquals("", r.out(), "nothing dumped");
  }

  @Test
  void helpAndBadArgumentsFollowTheCliStyle() {
    Result help = run("dump-log", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--print-data-log"), help.out());
    assertEquals(0, run("--help").code());
    Result noPath = run("dump-log");
    assertEquals(2, noPath.code());
    assertTrue(noPath.err().contains("PATH"), noPath.err());
    Result badSeed = run("export", "kafka.write-path", "/tmp/x", "--seed", "x");
    assertEquals(2, badSeed.code());
    assertTrue(badSeed.err().contains("--seed") && badSeed.err().contains("'x'"), badSeed.err());
  }

  @Test
  void exportWritesEveryBrokersSegments(@TempDir Path tmp) throws IOException {
    Result r = run("export", "kafka.controlled-shutdown", tmp.toString(), "--seed", "2");
    assertEquals(0, r.code(), r.err());
    for (String b : List.of("b1", "b2", "b3")) {
      Path seg = tmp.resolve(b).resolve("orders-0/00000000000000000000.log");
      assertTrue(Files.exists(seg), seg.toString());
      assertEquals(0, run("dump-log", seg.toString()).code());
    }
  }
}
