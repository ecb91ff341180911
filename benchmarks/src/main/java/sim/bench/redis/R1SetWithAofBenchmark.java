package sim.bench.redis;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.disk.SimDisk;

import sim.redis.resp.RespOut;
import sim.redis.command.ClientState;
import sim.redis.config.RedisConfig;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.server.RedisServer;
import sim.redis.host.SimDiskFiles;

/**
 * R1: one SET through the Redis model with {@code appendonly yes, appendfsync everysec} on the simulated
 * disk (command lookup, arity, keyspace update, propagation into aof_buf with SELECT handling, beforeSleep
 * writing the buffer, the everysec fsync each simulated second), against the baseline: the irreducible work
 * of "SET plus AOF append" written by hand, a HashMap put plus the command RESP-encoded with a
 * StringBuilder and appended to the same simulated disk, fsynced as often. The ratio is what the model's
 * fidelity costs per write. Both truncate the file every 100k writes to keep memory flat. Goal: ≥ 0.5×.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class R1SetWithAofBenchmark {
  private static final int KEYS = 10_000;
  private static final String INCR = "appendonlydir/appendonly.aof.1.incr.aof";
  private final String[] keys = new String[KEYS];
  private final String[] values = new String[KEYS];
  private final List<List<String>> commands = new java.util.ArrayList<>();
  private SimDisk modelDisk;
  private SimDisk baselineDisk;
  private RedisServer server;
  private final ClientState client = new ClientState("bench");
  private final RespOut out = new RespOut(256);
  private long nowMs = 1_700_000_000_000L;
  private final HashMap<String, String> map = new HashMap<>();
  private long ops;

  @Setup
  public void setup() {
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key:" + String.format("%012d", i);
      values[i] = "xxx";
      commands.add(List.of("SET", keys[i], values[i]));
    }
    modelDisk = SimDisk.standalone("model", 1);
    baselineDisk = SimDisk.standalone("baseline", 1);
    RedisConfig config = new RedisConfig();
    config.appendonly = true;
    config.appendfsync = RedisConfig.AppendFsync.EVERYSEC;
    config.savePoints = List.of();
    SimDiskFiles files = new SimDiskFiles(modelDisk);
    server = new RedisServer(config, files, new RedisEnv() {
      @Override
      public long nowMs() {
        return nowMs;
      }

      @Override
      public int randomInt(int bound) {
        return 0;
      }

      @Override
      public void point(String name, String detail, Object... attributes) {}

      @Override
      public void log(String line) {}

      @Override
      public boolean pointsEnabled() {
        return false;
      }
    }, Durability.synchronous(files));
    server.start();
    baselineDisk.create("aof");
  }

  @Benchmark
  public int setThroughModelWithAof() {
    int i = (int) (ops++ % KEYS);
    nowMs++; // one simulated millisecond per write: an everysec fsync every 1000 writes
    out.clear();
    server.execute(client, commands.get(i), out);
    server.beforeSleep();
    if (ops % 100_000 == 0) {
      modelDisk.truncate(INCR, 0);
      modelDisk.fsync(INCR);
    }
    return out.length();
  }

  @Benchmark
  public int baselineHashMapPlusRespAppend() {
    int i = (int) (ops++ % KEYS);
    map.put(keys[i], values[i]);
    String resp = "*3\r\n$3\r\nSET\r\n$" + keys[i].length() + "\r\n" + keys[i] + "\r\n$" + values[i].length() + "\r\n" + values[i] + "\r\n";
    baselineDisk.append("aof", resp.getBytes(StandardCharsets.ISO_8859_1));
    if (ops % 1000 == 0) baselineDisk.fsync("aof");
    if (ops % 100_000 == 0) {
      baselineDisk.truncate("aof", 0);
      baselineDisk.fsync("aof");
    }
    return resp.length();
  }
}
