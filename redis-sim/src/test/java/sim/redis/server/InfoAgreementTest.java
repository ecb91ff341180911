package sim.redis.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.redis.config.RedisConfig;
import sim.redis.testing.LocalRedis;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * INFO has Redis 7.0's shape: the same sections in the same order for every way of asking, and within each
 * section our fields are real Redis's fields, in its order (we leave some out: allocator, CPU and I/O-thread
 * figures the model has no value for); the values that follow from the dataset are equal.
 */
class InfoAgreementTest {
  @TempDir Path dir;

  @BeforeEach
  void needRealRedis() {
    RealRedis.require();
  }

  /** section name → field names, in order. */
  static Map<String, List<String>> shape(String bulk) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> fields = null;
    for (String line : bulk.split("\r\n")) {
      if (line.startsWith("# ")) {
        fields = new ArrayList<>();
        out.put(line.substring(2), fields);
      } else if (!line.isEmpty() && fields != null) {
        fields.add(line.substring(0, line.indexOf(':')));
      }
    }
    return out;
  }

  static String body(String reply) {
    return reply.substring(reply.indexOf("\r\n") + 2);
  }

  @Test
  void sectionsAndFieldsAreRealRedisOnes() throws Exception {
    RedisConfig config = LocalRedis.noPersistence();
    config.appendonly = true;
    LocalRedis ours = LocalRedis.started(config);
    try (RealRedis real = RealRedis.start(dir, "--appendonly", "yes"); RespClient c = real.client()) {
      for (List<String> cmd : List.of(List.of("SET", "a", "1"), List.of("SET", "b", "2", "EX", "100"), List.of("SELECT", "3"),
          List.of("SET", "c", "3"), List.of("NOSUCH"), List.of("SELECT", "0"))) {
        c.call(cmd);
        ours.call(cmd);
      }
      for (List<String> ask : List.of(List.of("INFO"), List.of("INFO", "default"), List.of("INFO", "all"), List.of("INFO", "everything"),
          List.of("INFO", "server"), List.of("INFO", "keyspace", "persistence"), List.of("INFO", "nosuchsection"))) {
        Map<String, List<String>> theirs = shape(body(c.call(ask)));
        Map<String, List<String>> mine = shape(body(ours.call(ask)));
        assertEquals(List.copyOf(theirs.keySet()), List.copyOf(mine.keySet()), "sections of " + ask);
        for (Map.Entry<String, List<String>> e : mine.entrySet()) {
          List<String> real1 = theirs.get(e.getKey());
          List<String> kept = new ArrayList<>(real1);
          kept.retainAll(e.getValue());
          if (e.getKey().equals("Commandstats") || e.getKey().equals("Errorstats") || e.getKey().equals("Latencystats")) continue;
          assertEquals(kept, e.getValue(), "fields of " + e.getKey() + " (ours must be real ones, in real order)");
        }
      }
      assertEquals(keyspaceKeys(body(c.call("INFO", "keyspace"))), keyspaceKeys(body(ours.call("INFO", "keyspace"))));
      assertEquals("$0\r\n\r\n", ours.call("INFO", "nosuchsection"));
      assertTrue(ours.call("INFO", "errorstats").contains("errorstat_ERR:count=1"), ours.call("INFO", "errorstats"));
    }
  }

  /** "db0:keys=2,expires=1" without the estimated avg_ttl. */
  static String keyspaceKeys(String reply) {
    return reply.replaceAll(",avg_ttl=\\d+", "");
  }

  @Test
  void lastBgsaveTimeIsSetAfterASuccessfulBgsave() {
    LocalRedis r = new LocalRedis(LocalRedis.noPersistence(), LocalRedis.freshDisk(), 1_700_000_000_000L);
    r.server.start();
    assertTrue(r.call("INFO", "persistence").contains("rdb_last_bgsave_time_sec:-1\r\n"));
    r.call("SET", "a", "1");
    assertEquals("+Background saving started\r\n", r.call("BGSAVE"));
    r.nowMs += 2_500;
    r.server.cron();
    String info = r.call("INFO", "persistence");
    assertTrue(info.contains("rdb_last_bgsave_status:ok\r\n") && info.contains("rdb_last_bgsave_time_sec:2\r\n"), info);
  }
}
