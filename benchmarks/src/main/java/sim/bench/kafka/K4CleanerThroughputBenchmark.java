package sim.bench.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
import sim.kafka.log.CleanerPolicy;
import sim.kafka.log.Log;
import sim.kafka.log.LogCleaner;
import sim.kafka.log.LogConfig;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * K4: the log cleaner over a compacted topic's partition — 8 MiB in 1 MiB segments, 100-byte values over 2,000
 * keys, so most records are superseded — building the offset map, reading every batch, keeping each key's last
 * record and writing the cleaned segments back (LogCleaner.clean, what Cleaner.doClean does); against copying
 * the same segments' bytes to new files on the same simulated disk, the least a cleaner that kept everything
 * would do. Each operation starts from a fresh copy of the dirty log. Throughput in MB/s of input is ops/s
 * times the same 8 MiB on both sides, so the ratio is the same. Goal ≥ 0.3×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class K4CleanerThroughputBenchmark {
  static final int LOG_BYTES = 8 << 20;
  static final int SEGMENT_BYTES = 1 << 20;
  static final int KEYS = 2_000;
  private final List<byte[]> batches = new ArrayList<>();
  private LogConfig config;
  private Log log;
  private SimDisk disk;
  private int run;

  @Setup(Level.Trial)
  public void batches() {
    config = new LogConfig(SEGMENT_BYTES, 4096, LogConfig.UNSET).withCleanupPolicy("compact");
    byte[] value = new byte[100];
    java.util.Arrays.fill(value, (byte) 'v');
    long offset = 0;
    int bytes = 0;
    int key = 0;
    while (bytes < LOG_BYTES) {
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < 20; i++, key = (key * 7 + 13) % KEYS) {
        records.add(new LogRecord(i, 1_700_000_000_000L, ("key-" + key).getBytes(StandardCharsets.UTF_8), value, List.of()));
      }
      byte[] batch = RecordBatches.build(offset, 0, RecordBatches.ProducerFields.NONE, records);
      batches.add(batch);
      offset += records.size();
      bytes += batch.length;
    }
  }

  /** A fresh dirty log for every operation (its cost is outside the measurement). */
  @Setup(Level.Invocation)
  public void dirtyLog() {
    disk = SimDisk.standalone("k4-" + run++, 1);
    log = new Log(disk, "prices-0", config);
    for (byte[] b : batches) log.append(b);
  }

  @Benchmark
  public long clean() {
    CleanerPolicy.Decision d = CleanerPolicy.decide(log.segmentInfos(), log.logStartOffset(), log.logEndOffset(), log.logEndOffset(),
        Optional.empty(), config, 1_700_000_100_000L);
    return LogCleaner.clean(log, d, 1_700_000_100_000L).bytesWritten();
  }

  @Benchmark
  public long baselineCopySegmentBytes() {
    long copied = 0;
    for (Log.SegmentInfo s : log.segmentInfos()) {
      if (s.active()) continue;
      String file = String.format("prices-0/%020d.log", s.baseOffset());
      byte[] bytes = disk.read(file, 0, s.sizeBytes());
      disk.write(file + ".cleaned", 0, bytes);
      copied += bytes.length;
    }
    return copied;
  }
}
