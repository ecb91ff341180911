package sim.bench.kafka;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.Utils;
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
import sim.kafka.record.BatchHeader;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * K3: the consumer's side of a fetch response — 1 MiB of RecordBatch v2 batches (10 records of 1 KiB values a
 * batch) checked (check.crcs=true: CRC-32C over each batch) and turned into records with their keys and values
 * as byte arrays. Ours is what {@code client.Consumer} runs ({@code RecordBatches.validate} then {@code records});
 * the baseline is kafka-clients' own path over the same bytes: {@code MemoryRecords.readableRecords},
 * {@code RecordBatch.ensureValid}, and each record's key and value copied out as ByteArrayDeserializer gets them
 * ({@code Utils.toArray}, as CompletedFetch.parseRecord does). One operation = the whole response; bytes/s is
 * ops/s times 1 MiB on both sides, so the ratio is the same. Goal ≥ 1×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class K3ConsumerFetchPathBenchmark {
  static final int RESPONSE_BYTES = 1 << 20;
  private byte[] response;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] value = new byte[1024];
    java.util.Arrays.fill(value, (byte) 'v');
    List<LogRecord> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) records.add(new LogRecord(i, 1_700_000_000_000L + i, ("key-" + i).getBytes(StandardCharsets.UTF_8), value, List.of()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    while (out.size() < RESPONSE_BYTES) {
      out.writeBytes(RecordBatches.build(offset, 0, RecordBatches.ProducerFields.NONE, records));
      offset += records.size();
    }
    response = out.toByteArray();
    if (ours() != kafkaClients()) throw new IllegalStateException("the two paths read different data");
  }

  @Benchmark
  public long consumerFetchPath() {
    return ours();
  }

  @Benchmark
  public long baselineKafkaClientsMemoryRecords() {
    return kafkaClients();
  }

  private long ours() {
    long sum = 0;
    for (int pos = 0; pos < response.length; ) {
      BatchHeader h = RecordBatches.validate(response, pos, response.length);
      for (LogRecord r : RecordBatches.records(response, pos)) sum += r.offset() + r.key().length + r.value().length;
      pos += h.sizeInBytes();
    }
    return sum;
  }

  private long kafkaClients() {
    long sum = 0;
    for (RecordBatch batch : MemoryRecords.readableRecords(ByteBuffer.wrap(response)).batches()) {
      batch.ensureValid();
      for (Record r : batch) {
        byte[] key = Utils.toArray(r.key());
        byte[] value = Utils.toArray(r.value());
        sum += r.offset() + key.length + value.length;
      }
    }
    return sum;
  }
}
