package sim.redis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.redis.config.RedisConfig;
import sim.redis.testing.LocalRedis;
import sim.redis.testing.RealRedis;
import sim.redis.testing.ReplicationPair;
import sim.redis.testing.RespClient;

/**
 * Replication agrees with a real redis-server 7.0 master-replica pair: INFO replication has the same fields in
 * the same order on a master with one replica and on a connected replica, ROLE has the same shape, the
 * replication errors are the same bytes, and PSYNC answers +FULLRESYNC &lt;replid&gt; &lt;offset&gt; and
 * +CONTINUE &lt;replid&gt; alike.
 */
class ReplicationAgreementTest {
  @TempDir Path dir;

  @BeforeEach
  void needRealRedis() {
    RealRedis.require();
  }

  private RealRedis[] realPair() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    Files.createDirectories(dir.resolve("r"));
    RealRedis m = RealRedis.start(dir.resolve("m"), "--repl-diskless-sync-delay", "0");
    RealRedis r = RealRedis.start(dir.resolve("r"), "--replicaof", "127.0.0.1", Integer.toString(m.port));
    try (RespClient c = r.client()) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!c.call("INFO", "replication").contains("master_link_status:up") && System.currentTimeMillis() < deadline) Thread.sleep(100);
    }
    try (RespClient c = m.client()) { // the master puts its replica online once the RDB transfer ended (serverCron)
      long deadline = System.currentTimeMillis() + 20_000;
      while (!c.call("INFO", "replication").contains("state=online") && System.currentTimeMillis() < deadline) Thread.sleep(100);
      c.call("SET", "a", "1");
      c.call("WAIT", "1", "2000");
    }
    return new RealRedis[] {m, r};
  }

  private static ReplicationPair ourPair() {
    ReplicationPair p = new ReplicationPair(LocalRedis.noPersistence(), ReplicationPair.replicaOf(LocalRedis.noPersistence()));
    p.second();
    p.master.call("SET", "a", "1");
    p.pump();
    p.second();
    return p;
  }

  /** The field names of an INFO section, and of slave0's value. */
  static List<String> fields(String info) {
    List<String> out = new ArrayList<>();
    for (String line : info.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon < 0 || line.startsWith("#") || line.startsWith("$")) continue;
      out.add(line.substring(0, colon));
      if (line.startsWith("slave0:")) for (String kv : line.substring(colon + 1).split(",")) out.add("slave0." + kv.substring(0, kv.indexOf('=')));
    }
    return out;
  }

  /** A RESP reply with its values replaced by their types: the shape. */
  static String shape(String resp) {
    StringBuilder sb = new StringBuilder();
    String[] lines = resp.split("\r\n");
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      char t = l.charAt(0);
      if (t == '$') {
        sb.append("bulk ");
        i++;
      } else if (t == '*') {
        sb.append("array").append(l.substring(1)).append(' ');
      } else {
        sb.append(t == ':' ? "int " : l + " ");
      }
    }
    return sb.toString().trim();
  }

  @Test
  void infoReplicationAndRoleHaveRealRedisShape() throws Exception {
    RealRedis[] real = realPair();
    ReplicationPair ours = ourPair();
    try (RealRedis m = real[0]; RealRedis r = real[1]; RespClient mc = m.client(); RespClient rc = r.client()) {
      assertEquals(fields(mc.call("INFO", "replication")), fields(ours.master.call("INFO", "replication")), "master");
      assertEquals(fields(rc.call("INFO", "replication")), fields(ours.replica.call("INFO", "replication")), "replica");
      assertEquals(shape(mc.call("ROLE")).replace("bulk bulk bulk", "row"), shape(ours.master.call("ROLE")).replace("bulk bulk bulk", "row"));
      assertEquals(shape(rc.call("ROLE")), shape(ours.replica.call("ROLE")));
      assertTrue(rc.call("ROLE").contains("connected") && ours.replica.call("ROLE").contains("connected"));
    }
  }

  @Test
  void replicationErrorsAreRealRedisBytes() throws Exception {
    RealRedis[] real = realPair();
    ReplicationPair ours = ourPair();
    try (RealRedis m = real[0]; RealRedis r = real[1]; RespClient mc = m.client(); RespClient rc = r.client()) {
      for (List<String> cmd : List.of(List.of("SET", "x", "1"), List.of("WAIT", "1", "0"), List.of("REPLICAOF", "h"))) {
        assertEquals(rc.call(cmd), ours.replica.call(cmd), "replica: " + cmd);
      }
      for (List<String> cmd : List.of(List.of("WAIT", "a", "1"), List.of("WAIT", "1", "-1"), List.of("WAIT", "1", "x"),
          List.of("REPLICAOF", "127.0.0.1", "notaport"), List.of("REPLICAOF", "127.0.0.1", "70000"), List.of("REPLCONF", "nosuch", "x"),
          List.of("REPLCONF", "ack"), List.of("CONFIG", "SET", "min-replicas-to-write", "2"),
          List.of("SET", "x", "1"), List.of("CONFIG", "SET", "min-replicas-to-write", "0"), List.of("SET", "x", "1"))) {
        assertEquals(mc.call(cmd), ours.master.call(cmd), "master: " + cmd);
      }
    }
  }

  @Test
  void psyncAnswersFullresyncThenContinueLikeRealRedis() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    RedisConfig cfg = LocalRedis.noPersistence();
    LocalRedis ours = new LocalRedis(cfg, LocalRedis.freshDisk(), 1_700_000_000_000L);
    ours.server.start();
    try (RealRedis m = RealRedis.start(dir.resolve("m"), "--repl-diskless-sync-delay", "0"); RespClient c1 = m.client(); RespClient c2 = m.client()) {
      c1.call("SET", "a", "1");
      ours.call("SET", "a", "1");
      String theirs = c1.call("PSYNC", "?", "-1");
      String mine = firstLine(ours.call("PSYNC", "?", "-1"));
      String pattern = "\\+FULLRESYNC [0-9a-f]{40} \\d+\r\n";
      assertTrue(theirs.matches(pattern), theirs);
      assertTrue(mine.matches(pattern), mine);
      String[] t = theirs.trim().split(" ");
      String[] o = mine.trim().split(" ");
      assertEquals("+OK\r\n", c2.call("REPLCONF", "capa", "psync2"));
      String theirsContinue = c2.call("PSYNC", t[1], Long.toString(Long.parseLong(t[2]) + 1));
      LocalRedis.class.getName();
      sim.redis.command.ClientState second = ours.server.connect("second:1");
      sim.redis.resp.RespOut out = new sim.redis.resp.RespOut();
      ours.server.execute(second, List.of("REPLCONF", "capa", "psync2"), out);
      assertEquals("+OK\r\n", out.toString());
      out = new sim.redis.resp.RespOut();
      ours.server.execute(second, List.of("PSYNC", o[1], Long.toString(Long.parseLong(o[2]) + 1)), out);
      assertEquals("+CONTINUE " + t[1] + "\r\n", theirsContinue);
      assertEquals("+CONTINUE " + o[1] + "\r\n", out.toString());
    }
  }

  private static String firstLine(String s) {
    return s.substring(0, s.indexOf("\r\n") + 2);
  }
}
