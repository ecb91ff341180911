package sim.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import sim.redis.config.RedisConfig;
import org.junit.jupiter.api.Test;
import sim.redis.rdb.RdbReader;
import sim.redis.testing.LocalRedis;

/** serverCron's jobs on the simulated clock: active expire, save points, children, the everysec fsync. */
class ServerCronTest {
  private static LocalRedis aof(RedisConfig.AppendFsync policy) {
    RedisConfig c = LocalRedis.noPersistence();
    c.appendonly = true;
    c.appendfsync = policy;
    LocalRedis r = new LocalRedis(c, LocalRedis.freshDisk(), 1_700_000_000_000L);
    r.server.start();
    return r;
  }

  private static String incr(LocalRedis r) {
    return new String(r.disk.readAll("appendonlydir/appendonly.aof.1.incr.aof"), StandardCharsets.ISO_8859_1);
  }

  @Test
  void activeExpireRemovesUntouchedKeysAndPropagatesDel() {
    LocalRedis r = aof(RedisConfig.AppendFsync.ALWAYS);
    for (int i = 0; i < 200; i++) r.call("SET", "k" + i, "v", "PX", "100");
    r.call("SET", "keep", "v");
    r.nowMs += 200;
    for (int i = 0; i < 20 && r.server.keyspace().db(0).size() > 1; i++) r.server.cron();
    assertEquals(":1\r\n", r.call("DBSIZE"));
    assertTrue(incr(r).contains("*2\r\n$3\r\nDEL\r\n"), "expired keys are propagated as DEL");
    assertTrue(incr(r).contains("$4\r\nPXAT\r\n"), "SET PX is propagated as SET PXAT");
  }

  @Test
  void lazyExpireOnAccess() {
    LocalRedis r = aof(RedisConfig.AppendFsync.ALWAYS);
    r.call("SET", "a", "1", "PX", "50");
    assertEquals("$1\r\n1\r\n", r.call("GET", "a"));
    r.nowMs += 51;
    assertEquals("$-1\r\n", r.call("GET", "a"));
    assertEquals(":-2\r\n", r.call("TTL", "a"));
  }

  @Test
  void savePointTriggersABgsaveThatHoldsTheForkSnapshot() {
    RedisConfig c = new RedisConfig();
    c.savePoints = RedisConfig.parseSave("1 2");
    LocalRedis r = new LocalRedis(c, LocalRedis.freshDisk(), 1_700_000_000_000L);
    r.server.start();
    r.call("SET", "a", "1");
    r.call("SET", "b", "2");
    r.nowMs += 1001;
    r.server.cron();
    assertTrue(r.server.rdbChildActive(), "2 changes in more than 1 s: BGSAVE");
    r.call("SET", "after-fork", "x");
    assertFalse(r.disk.exists("dump.rdb"));
    r.nowMs += 1000;
    r.server.cron();
    assertFalse(r.server.rdbChildActive());
    var saved = RdbReader.read(r.disk.readAll("dump.rdb"), "dump.rdb").keyspace().db(0);
    assertEquals(List.of("a", "b"), saved.keys());
    assertEquals(1, r.server.dirty(), "the write after the fork still counts as unsaved");
  }

  @Test
  void everysecFsyncsOnceTheSecondChanges() {
    LocalRedis r = aof(RedisConfig.AppendFsync.EVERYSEC);
    r.nowMs = 1_700_000_000_100L;
    r.call("SET", "a", "1");
    assertTrue(r.disk.unsyncedBytes() > 0, "written but not yet fsynced within the same second");
    r.nowMs = 1_700_000_001_000L;
    r.server.cron();
    assertEquals(0, r.disk.unsyncedBytes());
  }

  @Test
  void alwaysFsyncsBeforeTheReply() {
    LocalRedis r = aof(RedisConfig.AppendFsync.ALWAYS);
    r.call("SET", "a", "1");
    assertEquals(0, r.disk.unsyncedBytes());
  }

  @Test
  void bgrewriteaofSwapsTheManifestAndDeletesHistory() {
    LocalRedis r = aof(RedisConfig.AppendFsync.ALWAYS);
    r.call("SET", "a", "1");
    assertEquals("+Background append only file rewriting started\r\n", r.call("BGREWRITEAOF"));
    assertEquals("-ERR Background append only file rewriting already in progress\r\n", r.call("BGREWRITEAOF"));
    assertEquals("-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n",
        r.call("BGSAVE"));
    String during = new String(r.disk.readAll("appendonlydir/appendonly.aof.manifest"), StandardCharsets.ISO_8859_1);
    assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.2.incr.aof seq 2 type i\n", during);
    r.nowMs += 1000;
    r.server.cron();
    String after = new String(r.disk.readAll("appendonlydir/appendonly.aof.manifest"), StandardCharsets.ISO_8859_1);
    assertEquals("file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n", after);
    assertEquals(List.of("appendonlydir/appendonly.aof.2.base.rdb", "appendonlydir/appendonly.aof.2.incr.aof", "appendonlydir/appendonly.aof.manifest"),
        r.disk.list("appendonlydir/"));
  }
}
