package sim.redis.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** RDB files cross both ways between our model and a real redis-server 7.0. */
class RdbCrossLoadTest {
  @TempDir Path dir;

  @BeforeEach
  void needRealRedis() {
    RealRedis.require();
  }

  @Test
  void realRedisLoadsOurDumpWithTheSameDataset() throws Exception {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    for (List<String> cmd : Datasets.richWorkload()) ours.call(cmd);
    assertEquals("+OK\r\n", ours.call("SAVE"));
    TreeMap<String, String> expected = Datasets.describe(ours);
    ours.disk.exportTo(dir);
    try (RealRedis real = RealRedis.start(dir); RespClient c = real.client()) {
      assertEquals(expected, Datasets.describe(c));
      assertTrue(real.log().contains("Done loading RDB"), real.log());
    }
  }

  @Test
  void weLoadRealRedisDumpWithListpackIntsetAndQuicklistEncodings() throws Exception {
    TreeMap<String, String> expected;
    TreeMap<String, String> encodings = new TreeMap<>();
    try (RealRedis real = RealRedis.start(dir); RespClient c = real.client()) {
      for (List<String> cmd : Datasets.richWorkload()) c.call(cmd);
      assertEquals("$8\r\nlistpack\r\n", c.call("OBJECT", "ENCODING", "smallhash"));
      assertEquals("$6\r\nintset\r\n", c.call("OBJECT", "ENCODING", "intset"));
      assertEquals("$9\r\nquicklist\r\n", c.call("OBJECT", "ENCODING", "biglist"));
      assertEquals("$8\r\nskiplist\r\n", c.call("OBJECT", "ENCODING", "bigz"));
      assertEquals("+OK\r\n", c.call("SAVE"));
      expected = Datasets.describe(c);
      for (String key : List.of("smallhash", "bighash", "intset", "strset", "bigintset", "smallz", "bigz", "biglist", "int", "short", "long")) {
        encodings.put(key, c.call("OBJECT", "ENCODING", key));
      }
    }
    SimDisk disk = LocalRedis.freshDisk();
    disk.importFrom(dir);
    LocalRedis ours = new LocalRedis(LocalRedis.noPersistence(), disk, System.currentTimeMillis());
    ours.server.start();
    assertEquals(expected, Datasets.describe(ours));
    for (String key : List.of("smallhash", "bighash", "intset", "strset", "bigintset", "smallz", "bigz", "biglist", "int", "short", "long")) {
      assertEquals(encodings.get(key), ours.call("OBJECT", "ENCODING", key), key);
    }
  }

  @Test
  void bgsaveFileFromRealRedisLoadsToo() throws Exception {
    TreeMap<String, String> expected;
    try (RealRedis real = RealRedis.start(dir); RespClient c = real.client()) {
      for (List<String> cmd : Datasets.richWorkload()) c.call(cmd);
      long before = Long.parseLong(c.call("LASTSAVE").substring(1).trim());
      assertEquals("+Background saving started\r\n", c.call("BGSAVE"));
      for (int i = 0; i < 200 && c.call("INFO", "persistence").contains("rdb_bgsave_in_progress:1"); i++) Thread.sleep(25);
      assertTrue(Long.parseLong(c.call("LASTSAVE").substring(1).trim()) >= before);
      expected = Datasets.describe(c);
    }
    SimDisk disk = LocalRedis.freshDisk();
    disk.importFrom(dir);
    LocalRedis ours = new LocalRedis(LocalRedis.noPersistence(), disk, System.currentTimeMillis());
    ours.server.start();
    assertEquals(expected, Datasets.describe(ours));
  }

  @Test
  void corruptedDumpIsRefusedByBothAndLeftUntouched() throws Exception {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    for (List<String> cmd : Datasets.richWorkload()) ours.call(cmd);
    ours.call("SAVE");
    SimDisk disk = ours.disk;
    disk.corrupt("dump.rdb", disk.size("dump.rdb") / 2, 1);
    byte[] before = disk.readAll("dump.rdb");
    LocalRedis restarted = new LocalRedis(LocalRedis.noPersistence(), disk, System.currentTimeMillis());
    RdbException e = assertThrows(RdbException.class, restarted.server::start);
    assertTrue(e.getMessage().contains("dump.rdb"), e.getMessage());
    assertTrue(java.util.Arrays.equals(before, disk.readAll("dump.rdb")), "the data dir must stay untouched");
    disk.exportTo(dir);
    String failure = RealRedis.startExpectingFailure(dir);
    assertNotNull(failure, "real Redis must refuse the corrupted file too");
    assertTrue(Files.exists(dir.resolve("dump.rdb")));
  }

  @Test
  void expiredKeysInTheRdbAreSkippedOnLoad() {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    ours.call("SET", "soon", "v", "PX", "500");
    ours.call("SET", "later", "v");
    ours.call("SAVE");
    LocalRedis restarted = new LocalRedis(new RedisConfig(), ours.disk, ours.nowMs + 1000);
    restarted.server.start();
    assertEquals("*1\r\n$5\r\nlater\r\n", restarted.call("KEYS", "*"));
  }

  /** INFO persistence names the same fields, in the same order, as real Redis 7.0. */
  @Test
  void infoPersistenceHasRealRedisFields() throws Exception {
    for (String aof : List.of("no", "yes")) {
      java.nio.file.Path d = java.nio.file.Files.createDirectories(dir.resolve("info-" + aof));
      String theirs;
      try (RealRedis real = RealRedis.start(d, "--appendonly", aof); RespClient c = real.client()) {
        theirs = c.call("INFO", "persistence");
      }
      sim.redis.config.RedisConfig cfg = LocalRedis.noPersistence();
      cfg.appendonly = aof.equals("yes");
      String ours = LocalRedis.started(cfg).call("INFO", "persistence");
      assertEquals(fieldNames(theirs), fieldNames(ours));
    }
  }

  private static List<String> fieldNames(String info) {
    List<String> names = new java.util.ArrayList<>();
    for (String line : info.split("\r\n")) if (line.contains(":")) names.add(line.substring(0, line.indexOf(':')));
    return names;
  }

  /** With appendonly yes and no AOF yet, Redis 7.0 ignores dump.rdb and starts empty; so do we. */
  @Test
  void appendonlyWithoutAofIgnoresTheRdbLikeRealRedis() throws Exception {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    ours.call("SET", "only-in-rdb", "1");
    ours.call("SAVE");
    ours.disk.exportTo(dir);
    String theirs;
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes"); RespClient c = real.client()) {
      theirs = c.call("DBSIZE");
    }
    sim.redis.config.RedisConfig aofOn = LocalRedis.noPersistence();
    aofOn.appendonly = true;
    LocalRedis restarted = new LocalRedis(aofOn, ours.disk, System.currentTimeMillis());
    restarted.server.start();
    assertEquals(theirs, restarted.call("DBSIZE"));
    assertEquals(":0\r\n", theirs);
  }
}
