package sim.redis.testing;

import java.util.ArrayDeque;
import java.util.List;
import sim.redis.command.ClientState;
import sim.redis.config.RedisConfig;

/**
 * A master and a replica model in-process, the link between them a queue the test pumps by hand: the replica's
 * requests (PSYNC, REPLCONF ACK) run on the master as a client, and what the master writes to that client is
 * handed to the replica as its stream, with the epoch and position RedisNode gives it. {@link #cut} breaks
 * the link (lost bytes, then the RST).
 */
public final class ReplicationPair {
  public final LocalRedis master;
  public final LocalRedis replica;
  private final ArrayDeque<Object[]> requests = new ArrayDeque<>();
  private ClientState link;
  private long epoch = -1;
  private long sent;
  private boolean cut;

  public ReplicationPair(RedisConfig masterConfig, RedisConfig replicaConfig) {
    master = new LocalRedis(masterConfig, LocalRedis.freshDisk(), 1_700_000_000_000L);
    replica = new LocalRedis(replicaConfig, LocalRedis.freshDisk(), 1_700_000_000_000L);
    replica.server.masterLink((host, port, id, argv) -> requests.add(new Object[] {id, argv}));
    master.server.start();
    replica.server.start();
    link = master.server.connect("replica:6379");
  }

  public static RedisConfig replicaOf(RedisConfig c) {
    c.replicaofHost = "master";
    return c;
  }

  /** Runs one second of both servers' crons (replicationCron: connect, ACK, ping), then pumps. */
  public void second() {
    for (int i = 0; i < master.server.config().hz; i++) {
      master.nowMs += 1000 / master.server.config().hz;
      replica.nowMs = master.nowMs;
      master.server.cron();
      replica.server.cron();
      pump();
    }
  }

  /** Delivers requests and stream bytes until both sides are quiet. */
  @SuppressWarnings("unchecked")
  public void pump() {
    for (int round = 0; round < 100; round++) {
      boolean moved = false;
      while (!requests.isEmpty()) {
        Object[] r = requests.poll();
        if (cut) continue;
        List<String> argv = (List<String>) r[1];
        master.server.execute(link, argv);
        if (argv.get(0).equalsIgnoreCase("psync")) {
          epoch = (long) r[0];
          sent = 0;
        }
        moved = true;
      }
      master.server.beforeSleep();
      master.server.takePendingWrites();
      if (link.out.length() > 0 && epoch >= 0) {
        byte[] bytes = link.out.toByteArray();
        link.out.clear();
        long seq = sent;
        sent += bytes.length;
        if (!cut) replica.server.replicationState().onStream(epoch, seq, bytes);
        moved = true;
      }
      replica.server.beforeSleep();
      replica.server.takePendingWrites();
      if (!moved) return;
    }
  }

  /** The network drops everything from now on. */
  public void cut() {
    cut = true;
  }

  /** The network works again; a lost stretch shows as a gap at the next bytes. */
  public void heal() {
    cut = false;
  }

  /** The master's host answered RST: the replica sees the link down at once. */
  public void reset() {
    replica.server.replicationState().onMasterDisconnected("master");
  }
}
