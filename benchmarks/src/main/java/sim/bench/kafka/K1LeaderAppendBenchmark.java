package sim.bench.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.disk.SimDisk;
import sim.kafka.log.Log;
import sim.kafka.log.LogConfig;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;
import sim.kafka.record.RecordBatches.ProducerFields;

/**
 * K1: the leader append path, building a RecordBatch v2 of 10 records (16-byte keys, 100-byte values, one
 * header) with producer fields and appending it to a log segment on the simulated disk, against
 * kafka-clients' {@code MemoryRecordsBuilder} building the same batch (no append at all). Goal: ≥ 1.5×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class K1LeaderAppendBenchmark {
  private static final int RECORDS = 10;
  private final List<LogRecord> records = new ArrayList<>();
  private final byte[][] keys = new byte[RECORDS][];
  private final byte[][] values = new byte[RECORDS][];
  private final Header[] headers = {new RecordHeader("trace", "abc".getBytes(StandardCharsets.UTF_8))};
  private Log log;
  private byte[] prebuilt;
  private int appends;
  private long sequence;

  @Setup(Level.Trial)
  public void records() {
    for (int i = 0; i < RECORDS; i++) {
      keys[i] = String.format("key-%012d", i).getBytes(StandardCharsets.UTF_8);
      values[i] = new byte[100];
      records.add(new LogRecord(0, 1_700_000_000_000L + i, keys[i], values[i], List.of(sim.kafka.record.Header.of("trace", "abc"))));
    }
    prebuilt = RecordBatches.build(0, -1, new ProducerFields(1000, (short) 0, 0), records);
  }

  @Setup(Level.Iteration)
  public void freshLog() {
    newLog();
  }

  private void newLog() {
    SimDisk disk = SimDisk.standalone("bench", 1);
    log = new Log(disk, "orders-0", LogConfig.simulation().withSegmentBytes(64 << 20));
    appends = 0;
  }

  @Benchmark
  public long leaderAppend() {
    if (++appends == 1000) newLog(); // bounded memory: the simulated disk keeps every byte (and a copy until fsync)
    byte[] batch = RecordBatches.build(0, -1, new ProducerFields(1000, (short) 0, (int) (sequence++ & 0x3fffffff)), records);
    RecordBatches.stamp(batch, 0, log.logEndOffset(), 3);
    log.appendValidated(batch, RecordBatches.header(batch, 0));
    return log.logEndOffset();
  }

  /** The encoding half alone, for the record: where the time of the append path goes. */
  @Benchmark
  public byte[] buildOnly() {
    return RecordBatches.build(0, -1, new ProducerFields(1000, (short) 0, (int) (sequence++ & 0x3fffffff)), records);
  }

  /** The append half alone, of a batch built once: stamp, header, segment write on the simulated disk. */
  @Benchmark
  public long appendOnly() {
    if (++appends == 1000) newLog();
    byte[] batch = prebuilt.clone();
    RecordBatches.stamp(batch, 0, log.logEndOffset(), 3);
    log.appendValidated(batch, RecordBatches.header(batch, 0));
    return log.logEndOffset();
  }

  @Benchmark
  public MemoryRecords baselineKafkaMemoryRecordsBuilder() {
    MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(2048), RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
        TimestampType.CREATE_TIME, 0, RecordBatch.NO_TIMESTAMP, 1000, (short) 0, (int) (sequence++ & 0x3fffffff), false, false, 3);
    for (int i = 0; i < RECORDS; i++) b.append(1_700_000_000_000L + i, keys[i], values[i], headers);
    return b.build();
  }
}
