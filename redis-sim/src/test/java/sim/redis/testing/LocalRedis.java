package sim.redis.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import sim.core.disk.SimDisk;
import sim.redis.resp.RespOut;
import sim.redis.command.ClientState;
import sim.redis.config.RedisConfig;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.server.RedisServer;
import sim.redis.host.SimDiskFiles;

/**
 * Our server model in-process on a simulated disk, with a settable clock: the test-side twin of RealRedis.
 * The disk crosses to real directories with SimDisk.exportTo / importFrom, the kernel's bridge for real tools.
 */
public final class LocalRedis {
  public final RedisServer server;
  public final SimDisk disk;
  public final ClientState client = new ClientState("test");
  public long nowMs;
  private int rnd = 12345;

  public LocalRedis(RedisConfig config, SimDisk disk, long nowMs) {
    this.nowMs = nowMs;
    this.disk = disk;
    RedisEnv env = new RedisEnv() {
      @Override
      public long nowMs() {
        return LocalRedis.this.nowMs;
      }

      @Override
      public int randomInt(int bound) {
        rnd = rnd * 1103515245 + 12345;
        return Math.floorMod(rnd >>> 1, bound);
      }

      @Override
      public void point(String name, String detail, Object... attributes) {}

      @Override
      public void log(String line) {}
    };
    SimDiskFiles files = new SimDiskFiles(disk);
    server = new RedisServer(config, files, env, Durability.synchronous(files));
  }

  /** A fresh empty simulated disk. */
  public static SimDisk freshDisk() {
    return SimDisk.standalone("disk", 1);
  }

  /** A started server on a fresh disk at the wall-clock time (for comparing with a real server). */
  public static LocalRedis started(RedisConfig config) {
    LocalRedis r = new LocalRedis(config, freshDisk(), System.currentTimeMillis());
    r.server.start();
    return r;
  }

  public String call(String... argv) {
    return call(List.of(argv));
  }

  public String call(List<String> argv) {
    RespOut out = new RespOut();
    server.execute(client, argv, out);
    server.beforeSleep();
    return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
  }

  public static RedisConfig noPersistence() {
    RedisConfig c = new RedisConfig();
    c.savePoints = List.of();
    return c;
  }
}
