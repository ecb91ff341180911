package sim.bench.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * "Why is Kafka fast": a broker answers a fetch by handing the kernel a slice of the segment file
 * ({@code FileRecords.writeTo} → {@code FileChannel.transferTo}, sendfile(2) on Linux), so the batch bytes go
 * from the page cache to the socket without entering the JVM; the baseline reads the same slice into a heap
 * buffer and writes it to the socket, as a broker that decoded or copied the records would at least have to.
 * Both send the same 1 MiB slices (max.partition.fetch.bytes' default) of a real 64 MiB segment file of
 * RecordBatch v2 batches, round-robin, to a loopback TCP peer that drains them on its own thread (an edge:
 * benchmark code, not simulation). The file is written once and read once before measuring, so both read from
 * the page cache. Operations per second = fetch responses sent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class K6ZeroCopyFetchBenchmark {
  static final int SEGMENT_BYTES = 64 << 20;
  static final int FETCH_BYTES = 1 << 20;

  private Path dir;
  private FileChannel segment;
  private ServerSocketChannel server;
  private SocketChannel client;
  private Thread drainer;
  private final ByteBuffer heap = ByteBuffer.allocate(FETCH_BYTES);
  private long position;
  private long segmentSize;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("k6-zero-copy");
    Path file = dir.resolve("00000000000000000000.log");
    writeSegment(file);
    segment = FileChannel.open(file, StandardOpenOption.READ);
    segmentSize = segment.size();
    warmPageCache();
    server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    client = SocketChannel.open(server.getLocalAddress());
    SocketChannel peer = server.accept();
    drainer = new Thread(() -> drain(peer), "k6-consumer");
    drainer.setDaemon(true);
    drainer.start();
  }

  /** Batches of 100 records of 1 KiB each, as a producer with batch.size 100 KiB would leave them. */
  private static void writeSegment(Path file) throws IOException {
    byte[] value = new byte[1024];
    java.util.Arrays.fill(value, (byte) 'x');
    java.util.List<LogRecord> records = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      records.add(new LogRecord(i, 1_700_000_000_000L + i, ("key-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), value, java.util.List.of()));
    }
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      long offset = 0;
      while (out.size() < SEGMENT_BYTES) {
        byte[] batch = RecordBatches.build(offset, 0, RecordBatches.ProducerFields.NONE, records);
        out.write(ByteBuffer.wrap(batch));
        offset += records.size();
      }
    }
  }

  private void warmPageCache() throws IOException {
    ByteBuffer b = ByteBuffer.allocate(FETCH_BYTES);
    for (long p = 0; p < segmentSize; p += FETCH_BYTES) {
      b.clear();
      segment.read(b, p);
    }
  }

  private static void drain(SocketChannel peer) {
    ByteBuffer sink = ByteBuffer.allocateDirect(FETCH_BYTES);
    try {
      while (peer.read(sink) >= 0) sink.clear();
    } catch (IOException e) {
      // the benchmark closed the connection
    }
  }

  private long nextSlice() {
    long p = position;
    position = (position + FETCH_BYTES) % (segmentSize - FETCH_BYTES);
    return p;
  }

  @Benchmark
  public long transferTo() throws IOException {
    long p = nextSlice();
    long sent = 0;
    while (sent < FETCH_BYTES) sent += segment.transferTo(p + sent, FETCH_BYTES - sent, client);
    return sent;
  }

  @Benchmark
  public long baselineReadIntoHeapThenWrite() throws IOException {
    long p = nextSlice();
    heap.clear();
    while (heap.hasRemaining()) {
      if (segment.read(heap, p + heap.position()) < 0) break;
    }
    heap.flip();
    long sent = 0;
    while (heap.hasRemaining()) sent += client.write(heap);
    return sent;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException, InterruptedException {
    client.close();
    server.close();
    drainer.join(1000);
    segment.close();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
    }
    Files.delete(dir);
  }
}
