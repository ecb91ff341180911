package sim.redis.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.disk.SimDisk;
import sim.redis.config.RedisConfig;
import sim.redis.testing.Datasets;
import sim.redis.testing.LocalRedis;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/** Multi-part AOF directories cross both ways between our model and a real redis-server 7.0. */
class AofCrossLoadTest {
  @TempDir Path dir;

  @BeforeEach
  void needRealRedis() {
    RealRedis.require();
  }

  static final List<List<String>> AFTER_REWRITE = List.of(
      List.of("INCR", "int"), List.of("DEL", "short"), List.of("LPUSH", "smalllist", "new"),
      List.of("EXPIRE", "compressible", "5000"), List.of("HDEL", "smallhash", "f1"), List.of("ZADD", "smallz", "9", "z"),
      List.of("SELECT", "5"), List.of("SET", "db5", "five"), List.of("MULTI"), List.of("INCR", "ctr"), List.of("INCR", "ctr"),
      List.of("EXEC"), List.of("SET", "ex", "v", "EX", "1000"), List.of("SELECT", "0"));

  static RedisConfig aofConfig(boolean preamble) {
    RedisConfig c = LocalRedis.noPersistence();
    c.appendonly = true;
    c.appendfsync = RedisConfig.AppendFsync.ALWAYS;
    c.aofUseRdbPreamble = preamble;
    return c;
  }

  private LocalRedis oursWithRewrite(boolean preamble) {
    LocalRedis ours = LocalRedis.started(aofConfig(preamble));
    for (List<String> cmd : Datasets.richWorkload()) ours.call(cmd);
    assertEquals("+Background append only file rewriting started\r\n", ours.call("BGREWRITEAOF"));
    ours.call("SET", "during-rewrite", "x");
    ours.nowMs += 10_000;
    ours.server.cron();
    for (List<String> cmd : AFTER_REWRITE) ours.call(cmd);
    return ours;
  }

  @Test
  void realRedisLoadsOurAofWithRdbPreambleBase() throws Exception {
    realLoadsOurs(true);
  }

  @Test
  void realRedisLoadsOurAofWithCommandBase() throws Exception {
    realLoadsOurs(false);
  }

  private void realLoadsOurs(boolean preamble) throws Exception {
    LocalRedis ours = oursWithRewrite(preamble);
    String manifest = new String(ours.disk.readAll("appendonlydir/appendonly.aof.manifest"), StandardCharsets.ISO_8859_1);
    assertEquals("file appendonly.aof.2.base." + (preamble ? "rdb" : "aof") + " seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n", manifest);
    TreeMap<String, String> expected = Datasets.describe(ours);
    ours.disk.exportTo(dir);
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes"); RespClient c = real.client()) {
      assertEquals(expected, Datasets.describe(c));
    }
  }

  @Test
  void weLoadRealRedisAofAfterBgrewriteaofWithRdbPreamble() throws Exception {
    weLoadReal(true);
  }

  @Test
  void weLoadRealRedisAofAfterBgrewriteaofWithCommandBase() throws Exception {
    weLoadReal(false);
  }

  private void weLoadReal(boolean preamble) throws Exception {
    TreeMap<String, String> expected;
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes", "--appendfsync", "always",
        "--aof-use-rdb-preamble", preamble ? "yes" : "no"); RespClient c = real.client()) {
      for (List<String> cmd : Datasets.richWorkload()) c.call(cmd);
      assertEquals("+Background append only file rewriting started\r\n", c.call("BGREWRITEAOF"));
      for (int i = 0; i < 400 && !c.call("INFO", "persistence").contains("aof_rewrite_in_progress:0"); i++) Thread.sleep(25);
      Thread.sleep(100);
      for (List<String> cmd : AFTER_REWRITE) c.call(cmd);
      expected = Datasets.describe(c);
    }
    SimDisk disk = LocalRedis.freshDisk();
    disk.importFrom(dir);
    String manifest = new String(disk.readAll("appendonlydir/appendonly.aof.manifest"), StandardCharsets.ISO_8859_1);
    assertTrue(manifest.contains("appendonly.aof.2.base." + (preamble ? "rdb" : "aof")), manifest);
    LocalRedis ours = new LocalRedis(aofConfig(preamble), disk, System.currentTimeMillis());
    ours.server.start();
    assertEquals(expected, Datasets.describe(ours));
  }

  @Test
  void truncatedTailIsTrimmedByUsAndLoadsTheSameInRealRedis() throws Exception {
    LocalRedis ours = LocalRedis.started(aofConfig(true));
    for (int i = 0; i < 50; i++) ours.call("SET", "key" + i, "value" + i);
    String incr = "appendonlydir/appendonly.aof.1.incr.aof";
    long size = ours.disk.size(incr);
    ours.disk.truncate(incr, size - 7);
    ours.disk.fsync(incr);
    SimDisk copy = LocalRedis.freshDisk();
    ours.disk.exportTo(dir);
    copy.importFrom(dir);
    LocalRedis restarted = new LocalRedis(aofConfig(true), copy, System.currentTimeMillis());
    restarted.server.start();
    assertEquals(":49\r\n", restarted.call("DBSIZE"));
    assertEquals("$-1\r\n", restarted.call("GET", "key49"));
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes"); RespClient c = real.client()) {
      assertEquals(Datasets.describe(restarted), Datasets.describe(c));
      assertTrue(real.log().contains("AOF loaded anyway because aof-load-truncated is enabled")
          || real.log().contains("loaded anyway because aof-load-truncated is enabled"), real.log());
    }
  }

  @Test
  void garbageInTheMiddleIsRefusedByUsAndByRealRedis() throws Exception {
    LocalRedis ours = LocalRedis.started(aofConfig(true));
    for (int i = 0; i < 20; i++) ours.call("SET", "key" + i, "value" + i);
    String incr = "appendonlydir/appendonly.aof.1.incr.aof";
    byte[] data = ours.disk.readAll(incr);
    int middle = new String(data, StandardCharsets.ISO_8859_1).indexOf("*3", data.length / 2);
    data[middle] = '!';
    ours.disk.truncate(incr, 0);
    ours.disk.write(incr, 0, data);
    ours.disk.fsync(incr);
    LocalRedis restarted = new LocalRedis(aofConfig(true), ours.disk, System.currentTimeMillis());
    AofException e = assertThrows(AofException.class, restarted.server::start);
    assertTrue(e.getMessage().startsWith("Bad file format reading the append only file appendonly.aof.1.incr.aof"), e.getMessage());
    ours.disk.exportTo(dir);
    assertNotNull(RealRedis.startExpectingFailure(dir, "--appendonly", "yes"), "real Redis must refuse it too");
    assertTrue(Files.readString(dir.resolve("redis.log")).contains("Bad file format reading the append only file"));
  }

  /** The incr file is what real Redis appends for the same commands, byte for byte (SELECT, MULTI/EXEC, rewrites). */
  @Test
  void incrementalFileIsByteIdenticalToRealRedis() throws Exception {
    List<List<String>> cmds = List.of(List.of("SET", "a", "1"), List.of("INCR", "a"), List.of("GET", "a"), List.of("SELECT", "2"),
        List.of("RPUSH", "l", "x", "y"), List.of("LPOP", "l"), List.of("DEL", "nothing"), List.of("SELECT", "0"),
        List.of("MULTI"), List.of("SET", "b", "2"), List.of("INCRBY", "b", "5"), List.of("EXEC"), List.of("MULTI"),
        List.of("SET", "c", "3"), List.of("EXEC"), List.of("HSET", "h", "f", "v"), List.of("SADD", "s", "m"),
        List.of("ZADD", "z", "1.5", "m"), List.of("EXPIREAT", "a", "4102444800"), List.of("PERSIST", "a"),
        List.of("SET", "k", "v", "PXAT", "4102444800000"), List.of("APPEND", "k", "w"), List.of("FLUSHDB"), List.of("MSET", "x", "1", "y", "2"));
    String incr = "appendonlydir/appendonly.aof.1.incr.aof";
    byte[] theirs;
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes", "--appendfsync", "always"); RespClient c = real.client()) {
      for (List<String> cmd : cmds) c.call(cmd);
      theirs = Files.readAllBytes(dir.resolve(incr));
    }
    LocalRedis ours = LocalRedis.started(aofConfig(true));
    for (List<String> cmd : cmds) ours.call(cmd);
    assertEquals(new String(theirs, StandardCharsets.ISO_8859_1), new String(ours.disk.readAll(incr), StandardCharsets.ISO_8859_1));
  }
}
