package sim.redis.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.redis.command.ClientState;
import sim.redis.config.RedisConfig;
import sim.redis.testing.LocalRedis;
import sim.redis.testing.ReplicationPair;

/** PSYNC2 between two models: full and partial resync, the backlog's reach, WAIT, min-replicas, read-only, promotion. */
class ReplicationTest {
  private static ReplicationPair pair(long backlog) {
    RedisConfig m = LocalRedis.noPersistence();
    m.replBacklogSize = backlog;
    RedisConfig r = ReplicationPair.replicaOf(LocalRedis.noPersistence());
    r.replBacklogSize = backlog;
    ReplicationPair p = new ReplicationPair(m, r);
    p.second(); // the replica's first replicationCron: PSYNC ? -1, +FULLRESYNC, the RDB
    return p;
  }

  private static void write(ReplicationPair p, int from, int to) {
    for (int i = from; i < to; i++) assertEquals("+OK\r\n", p.master.call("SET", "key:" + i, "value-" + i));
    p.pump();
  }

  private static String info(LocalRedis r, String field) {
    for (String line : r.call("INFO", "replication").split("\r\n")) if (line.startsWith(field + ":")) return line.substring(field.length() + 1);
    return null;
  }

  @Test
  void fullResyncThenTheStreamGivesTheReplicaTheMastersDataset() {
    ReplicationPair p = pair(1 << 20);
    write(p, 0, 50);
    assertEquals(p.master.server.keyspace().describe(), p.replica.server.keyspace().describe());
    assertEquals(1, p.replica.server.replicationState().fullSyncs());
    assertEquals(info(p.master, "master_replid"), info(p.replica, "master_replid"));
    assertEquals(info(p.master, "master_repl_offset"), info(p.replica, "master_repl_offset"));
    assertEquals("up", info(p.replica, "master_link_status"));
    p.second(); // REPLCONF ACK
    String offset = info(p.master, "master_repl_offset");
    assertTrue(p.master.call("ROLE").contains("$6\r\nmaster\r\n:" + offset + "\r\n*1\r\n*3\r\n$7\r\nreplica\r\n$4\r\n6379\r\n$"
        + offset.length() + "\r\n" + offset + "\r\n"), p.master.call("ROLE"));
    assertEquals("*5\r\n$5\r\nslave\r\n$6\r\nmaster\r\n:6379\r\n$9\r\nconnected\r\n:" + offset + "\r\n", p.replica.call("ROLE"));
  }

  @Test
  void aShortBreakContinuesFromTheBacklogALongOneNeedsAFullResync() {
    ReplicationPair p = pair(16 * 1024);
    write(p, 0, 20);
    p.cut();
    write(p, 20, 40); // lost on the way
    p.heal();
    write(p, 40, 41); // the gap shows: the link is down
    p.second(); // PSYNC <replid> <offset+1>: +CONTINUE
    assertEquals(1, p.replica.server.replicationState().partialSyncs());
    assertEquals(p.master.server.keyspace().describe(), p.replica.server.keyspace().describe());
    p.cut();
    write(p, 41, 700); // far more than 16 KB
    p.heal();
    write(p, 700, 701);
    p.second();
    assertEquals(2, p.replica.server.replicationState().fullSyncs(), "the offset fell out of the backlog");
    assertEquals(p.master.server.keyspace().describe(), p.replica.server.keyspace().describe());
  }

  @Test
  void aReplicaRefusesWritesAndWaitIsRefusedThere() {
    ReplicationPair p = pair(1 << 20);
    assertEquals("-READONLY You can't write against a read only replica.\r\n", p.replica.call("SET", "a", "1"));
    assertTrue(p.replica.call("WAIT", "1", "0").startsWith("-ERR WAIT cannot be used with replica instances."));
    assertEquals("$-1\r\n", p.replica.call("GET", "a"));
  }

  @Test
  void minReplicasToWriteCountsReplicasThatAckedRecently() {
    ReplicationPair p = pair(1 << 20);
    p.second();
    p.master.call("CONFIG", "SET", "min-replicas-to-write", "1");
    assertEquals("+OK\r\n", p.master.call("SET", "a", "1"));
    p.cut(); // no more ACKs
    for (int s = 0; s < 12; s++) p.second();
    assertEquals("-NOREPLICAS Not enough good replicas to write.\r\n", p.master.call("SET", "a", "2"));
    assertEquals("0", info(p.master, "min_slaves_good_slaves"));
  }

  @Test
  void waitCountsOnlyReplicasThatAcknowledgedTheClientsLastWrite() {
    ReplicationPair p = pair(1 << 20);
    ClientState c = p.master.client;
    p.master.call("SET", "a", "1");
    p.master.server.execute(c, java.util.List.of("WAIT", "1", "0"));
    assertTrue(c.isBlocked(), "the replica has not acknowledged yet");
    p.pump(); // REPLCONF GETACK * -> REPLCONF ACK
    assertEquals(":1\r\n", c.out.toString());
    c.out.clear();
    p.cut();
    p.master.call("SET", "a", "2");
    p.master.server.execute(c, java.util.List.of("WAIT", "1", "100"));
    assertTrue(c.isBlocked());
    p.second();
    assertEquals(":0\r\n", c.out.toString(), "the timeout answers how many did acknowledge");
  }

  @Test
  void aPromotedReplicaKeepsTheOldHistoryAsReplid2() {
    ReplicationPair p = pair(1 << 20);
    write(p, 0, 10);
    String oldId = info(p.master, "master_replid");
    long offset = Long.parseLong(info(p.master, "master_repl_offset"));
    assertEquals("+OK\r\n", p.replica.call("REPLICAOF", "NO", "ONE"));
    assertEquals(oldId, info(p.replica, "master_replid2"));
    assertEquals(Long.toString(offset + 1), info(p.replica, "second_repl_offset"));
    assertEquals("role:master", "role:" + info(p.replica, "role"));
    assertEquals("+OK\r\n", p.replica.call("SET", "after", "1"));
  }

  @Test
  void theBacklogKeepsTheLastBytesAcrossTheWrap() {
    Backlog b = new Backlog(16, 0);
    byte[] data = "abcdefghijklmnopqrstuvwxyz".getBytes();
    b.feed(data, 0, 10);
    b.feed(data, 10, 16);
    assertEquals(16, b.histlen());
    assertEquals(11, b.offset(), "offsets start at 1; 10 bytes fell out");
    assertEquals("klmnopqrstuvwxyz", new String(b.readFrom(11)));
    assertEquals("xyz", new String(b.readFrom(24)));
    assertTrue(b.covers(27) && !b.covers(10) && !b.covers(28));
  }
}
