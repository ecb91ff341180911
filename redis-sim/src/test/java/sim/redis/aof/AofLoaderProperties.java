package sim.redis.aof;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import sim.core.disk.SimDisk;
import sim.redis.rdb.RdbException;
import sim.redis.config.RedisConfig;
import sim.redis.testing.LocalRedis;

/** Damaged multi-part AOF directories: the server either loads or refuses with a clear error; nothing else. */
class AofLoaderProperties {
  private static SimDisk validDir() {
    RedisConfig c = LocalRedis.noPersistence();
    c.appendonly = true;
    c.appendfsync = RedisConfig.AppendFsync.ALWAYS;
    LocalRedis r = new LocalRedis(c, LocalRedis.freshDisk(), 1_700_000_000_000L);
    r.server.start();
    for (int i = 0; i < 30; i++) r.call("SET", "k" + i, "v" + i);
    r.call("RPUSH", "l", "a", "b");
    r.call("BGREWRITEAOF");
    r.nowMs += 1000;
    r.server.cron();
    r.call("MULTI");
    r.call("INCR", "n");
    r.call("HSET", "h", "f", "v");
    r.call("EXEC");
    r.call("ZADD", "z", "1", "m");
    return r.disk;
  }

  @Property(tries = 300)
  void damagedAofDirectoryLoadsOrIsRefusedClearly(@ForAll @IntRange(min = 0, max = 2) int which,
      @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask,
      @ForAll boolean truncateInstead) {
    SimDisk disk = validDir();
    List<String> files = disk.list("appendonlydir/");
    String file = files.get(which % files.size());
    long size = disk.size(file);
    if (size == 0) return;
    if (truncateInstead) {
      disk.truncate(file, where % size);
    } else {
      byte[] b = disk.readAll(file);
      b[(int) (where % size)] ^= (byte) mask;
      disk.truncate(file, 0);
      disk.write(file, 0, b);
    }
    disk.fsync(file);
    RedisConfig c = LocalRedis.noPersistence();
    c.appendonly = true;
    LocalRedis restarted = new LocalRedis(c, disk, 1_700_000_001_000L);
    try {
      restarted.server.start();
    } catch (AofException | RdbException e) {
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }
}
