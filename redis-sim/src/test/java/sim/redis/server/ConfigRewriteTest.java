package sim.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfigFile;
import sim.redis.host.SimDiskFiles;
import sim.redis.testing.LocalRedis;

/**
 * CONFIG REWRITE and redis.conf across crashes: the role a REPLICAOF gave the server survives a crash only
 * once CONFIG REWRITE has renamed the new file into place; before that, or when the rewrite fails, the
 * restart reads the old file and takes the old role back.
 */
class ConfigRewriteTest {
  private static RedisConfig replicaConfig() {
    RedisConfig c = LocalRedis.noPersistence();
    c.configfile = "redis.conf";
    c.replicaofHost = "redis";
    return c;
  }

  /** A start of the server on {@code disk} (a fresh RedisConfig each time, as a process restart has). */
  private static LocalRedis boot(SimDisk disk) {
    RedisConfig c = replicaConfig();
    RedisConfigFile.install(new SimDiskFiles(disk), c);
    LocalRedis r = new LocalRedis(c, disk, 1_700_000_000_000L);
    r.server.start();
    return r;
  }

  private static SimDisk crashableDisk() {
    SimDisk disk = LocalRedis.freshDisk();
    disk.setCrashLossMode(CrashLossMode.LOSE_UNSYNCED);
    return disk;
  }

  private static String conf(SimDisk disk) {
    return new String(disk.readAll("redis.conf"), StandardCharsets.UTF_8);
  }

  private static List<String> replicaofLines(String conf) {
    return conf.lines().filter(l -> l.startsWith("replicaof ") || l.startsWith("slaveof ")).toList();
  }

  @Test
  void withoutAConfigFileRewriteAnswersRedisError() {
    LocalRedis r = LocalRedis.started(LocalRedis.noPersistence());
    assertEquals("-ERR The server is running without a config file\r\n", r.call("CONFIG", "REWRITE"));
  }

  @Test
  void aPromotionRewrittenIntoRedisConfSurvivesACrash() {
    SimDisk disk = crashableDisk();
    LocalRedis r = boot(disk);
    assertEquals("redis:6379", r.server.replicationState().masterAddress(), "started from the installed redis.conf");
    assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
    assertEquals("+OK\r\n", r.call("CONFIG", "REWRITE"));
    assertEquals(List.of(), replicaofLines(conf(disk)), "a master's redis.conf has no replicaof: " + conf(disk));
    assertFalse(disk.exists(RedisConfigFile.tempName(r.server.config())), "the temp file was renamed over redis.conf");
    disk.crash();
    LocalRedis again = boot(disk);
    assertNull(again.server.replicationState().masterAddress(), "restarted as the master it was promoted to: " + conf(disk));
  }

  @Test
  void aRepointedReplicaRestartsWithItsNewMaster() {
    SimDisk disk = crashableDisk();
    LocalRedis r = boot(disk);
    assertEquals("+OK\r\n", r.call("REPLICAOF", "replica2", "6379"));
    assertEquals("+OK\r\n", r.call("CONFIG", "REWRITE"));
    assertEquals(List.of("replicaof replica2 6379"), replicaofLines(conf(disk)), conf(disk));
    disk.crash();
    assertEquals("replica2:6379", boot(disk).server.replicationState().masterAddress());
  }

  @Test
  void aCrashBeforeTheRewriteBringsTheOldRoleBack() {
    SimDisk disk = crashableDisk();
    LocalRedis r = boot(disk);
    assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
    assertNull(r.server.replicationState().masterAddress());
    disk.crash(); // REPLICAOF changed only memory
    assertEquals("redis:6379", boot(disk).server.replicationState().masterAddress(), "the old file, the old role");
  }

  @Test
  void aFailedFsyncLeavesTheOldFileAndNoTempFile() {
    SimDisk disk = crashableDisk();
    LocalRedis r = boot(disk);
    String before = conf(disk);
    assertEquals("+OK\r\n", r.call("REPLICAOF", "NO", "ONE"));
    disk.failNextFsyncs(1);
    String reply = r.call("CONFIG", "REWRITE");
    assertEquals("-ERR Rewriting config file: Input/output error\r\n", reply, "configRewriteCommand's text with strerror(EIO)");
    assertFalse(disk.exists(RedisConfigFile.tempName(r.server.config())), "rewriteConfigOverwriteFile unlinks its temp file");
    assertEquals(before, conf(disk), "not renamed: redis.conf is the old one");
    disk.crash();
    assertEquals("redis:6379", boot(disk).server.replicationState().masterAddress());
  }

  @Test
  void insideMultiExecTheRewriteSeesTheNewRole() {
    SimDisk disk = crashableDisk();
    LocalRedis r = boot(disk);
    for (List<String> cmd : List.of(List.of("MULTI"), List.of("SLAVEOF", "NO", "ONE"), List.of("CONFIG", "REWRITE"),
        List.of("CLIENT", "KILL", "TYPE", "normal"), List.of("CLIENT", "KILL", "TYPE", "pubsub"))) {
      assertEquals(cmd.get(0).equals("MULTI") ? "+OK\r\n" : "+QUEUED\r\n", r.call(cmd.toArray(String[]::new)));
    }
    assertEquals("*4\r\n+OK\r\n+OK\r\n:0\r\n:0\r\n", r.call("EXEC"));
    disk.crash();
    assertNull(boot(disk).server.replicationState().masterAddress(), conf(disk));
  }

  @Test
  void theRewriteKeepsCommentsAndUnknownLinesAndBlanksTheOldReplicaof() {
    SimDisk disk = crashableDisk();
    new SimDiskFiles(disk).create("redis.conf");
    new SimDiskFiles(disk).append("redis.conf", "# my comment\nappendonly no\nreplicaof redis 6379\nsave \"\"\nunknown-to-us 1\n"
        .getBytes(StandardCharsets.UTF_8));
    disk.fsync("redis.conf");
    LocalRedis r = boot(disk);
    r.call("REPLICAOF", "NO", "ONE");
    r.call("CONFIG", "SET", "appendfsync", "always");
    assertEquals("+OK\r\n", r.call("CONFIG", "REWRITE"));
    assertEquals("# my comment\nappendonly no\n\nsave \"\"\nunknown-to-us 1\n" + RedisConfigFile.SIGNATURE + "\nappendfsync always\n",
        conf(disk), "the old lines in place, the replicaof line blanked, the changed option appended after the signature");
  }
}
