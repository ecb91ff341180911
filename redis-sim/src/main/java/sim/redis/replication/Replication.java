package sim.redis.replication;

import java.util.List;
import java.util.Locale;
import sim.redis.command.Call;
import sim.redis.command.ClientState;
import sim.redis.command.Propagation;
import sim.redis.command.ReplicationControl;
import sim.redis.resp.Numbers;

/**
 * PSYNC2 replication (replication.c of Redis 7.0), on whatever carries the link: the server's identity of its
 * history ({@link ReplIds}), its master half ({@link MasterSide}: replicas, backlog, WAIT, min-replicas) and,
 * while it replicates, its replica half ({@link ReplicaSide}). It sees the server only through {@link
 * ReplicationHost}, so the simulated node and a test harness drive the same code.
 */
public final class Replication implements ReplicationControl, Propagation.Sink {
  final ReplicationHost host;
  final ReplIds ids;
  final MasterSide master;
  ReplicaSide replica;
  private long cronTicks;

  /** @param replid the server's first replication id (drawn with its run id at start) */
  public Replication(ReplicationHost host, String replid) {
    this.host = host;
    this.ids = new ReplIds(host.env(), replid);
    this.master = new MasterSide(this, ids);
  }

  /** Rules switched off by --break (never a redis.conf setting). */
  public void breakRules(boolean psyncIgnoresReplid, boolean waitCountsUnacked) {
    master.ignoreReplid = psyncIgnoresReplid;
    master.waitCountsUnacked = waitCountsUnacked;
  }

  /**
   * replicationCron's manual_failover_in_progress: while a Redis Cluster manual failover has the clients paused, the
   * master sends its replicas no PING, which would move the offset the replica must reach.
   */
  public void pausePings(boolean paused) {
    master.pingsPaused = paused;
  }

  /** A propagated command: into the stream when we are a master (a replica forwards its master's bytes). */
  @Override
  public void propagate(Propagation op) {
    if (replica == null) master.feed(op);
  }

  @Override
  public boolean isReplica() {
    return replica != null;
  }

  public String replid() {
    return ids.replid;
  }

  public long offset() {
    return ids.masterReplOffset;
  }

  /** The master this server replicates from ("host:port"), or null. */
  public String masterAddress() {
    return replica == null ? null : replica.masterHost + ":" + replica.masterPort;
  }

  /** True while a replica's link is up and streaming. */
  public boolean linkUp() {
    return replica != null && replica.state == ReplicaSide.State.CONNECTED;
  }

  /** The offsets the connected replicas acknowledged with REPLCONF ACK, by their address (none yet: absent). */
  public java.util.Map<String, Long> replicaAcks() {
    java.util.Map<String, Long> m = new java.util.TreeMap<>();
    for (MasterSide.Replica r : master.replicas) if (r.acked) m.put(r.client.addr(), r.ackOffset);
    return m;
  }

  public int fullSyncs() {
    return replica == null ? 0 : replica.fullSyncs;
  }

  public int partialSyncs() {
    return replica == null ? 0 : replica.partialSyncs;
  }

  // ---- the event loop ------------------------------------------------------------------------------------

  /** From serverCron: replicationCron runs once a second. */
  public void cron() {
    int hz = Math.max(1, host.config().hz);
    if (cronTicks++ % hz != 0) return;
    long seconds = cronTicks / hz;
    if (replica != null) replica.cron();
    master.cron(seconds);
  }

  public void beforeSleep() {
    master.beforeSleep();
  }

  /** Bytes of the replication link from our master. */
  public void onStream(long epoch, long seq, byte[] bytes) {
    if (replica != null) replica.onStream(epoch, seq, bytes);
  }

  /** The master's host closed the connection (a crash: the RST). */
  public void onMasterDisconnected(String hostName) {
    if (replica != null && replica.masterHost.equals(hostName)) replica.linkDown("Connection with master lost.");
  }

  /** freeClient of a replica connection. */
  public void disconnected(ClientState c) {
    master.forget(c);
  }

  /** Refusals for writes: min-replicas-to-write on a master, read-only on a replica. */
  public String noGoodReplicas() {
    return replica == null ? master.noGoodReplicas() : null;
  }

  public String readOnlyReplica() {
    return replica != null && host.config().replicaReadOnly ? "READONLY You can't write against a read only replica." : null;
  }

  // ---- the commands --------------------------------------------------------------------------------------

  @Override
  public void psync(Call c) {
    if (replica != null && replica.state != ReplicaSide.State.CONNECTED) {
      c.out.error("NOMASTERLINK Can't SYNC while not connected with my master");
      return;
    }
    master.psync(c);
  }

  @Override
  public void replconf(Call c) {
    for (int j = 1; j < c.argc(); j += 2) {
      String opt = c.arg(j).toLowerCase(Locale.ROOT);
      switch (opt) {
        case "ack" -> { // no reply: the master is the only one talking on this link
          Long off = Numbers.parseLong(c.arg(j + 1));
          if (off != null) master.ack(c.client, off);
          return;
        }
        case "getack" -> {
          if (c.client.isMaster() && replica != null) replica.sendAck();
          return;
        }
        case "listening-port" -> {
          Long port = c.longArg(j + 1);
          if (port == null) return;
        }
        case "capa", "ip-address", "rdb-only", "rdb-filter-only" -> { }
        default -> {
          c.out.error("ERR Unrecognized REPLCONF option: " + c.arg(j));
          return;
        }
      }
    }
    c.out.ok();
  }

  @Override
  public void waitFor(Call c, long numreplicas, long timeoutMs) {
    master.waitFor(c, numreplicas, timeoutMs);
  }

  @Override
  public void replicaof(Call c) {
    if (c.isArg(1, "no") && c.isArg(2, "one")) {
      if (replica != null) unsetMaster();
      c.out.ok();
      return;
    }
    if (master.find(c.client) != null) {
      c.out.error("ERR Command is not valid when client is a replica.");
      return;
    }
    Long port = c.longInRange(2, 0, 65535, "ERR Invalid master port");
    if (port == null) return;
    if (replica != null && replica.masterHost.equalsIgnoreCase(c.arg(1)) && replica.masterPort == port) {
      host.env().log("REPLICAOF would result into synchronization with the master we are already connected with. No operation performed.");
      c.out.simple("OK Already connected to specified master");
      return;
    }
    setMaster(c.arg(1), port.intValue(), true);
    c.out.ok();
  }

  /**
   * replicationSetMaster. From REPLICAOF a former master PSYNCs with its own history
   * (replicationCacheMasterUsingMyself); a server started with replicaof in its configuration has none to offer
   * and sends PSYNC ? -1.
   */
  public void setMaster(String hostName, int port, boolean fromCommand) {
    boolean cached = replica == null ? fromCommand : replica.cachedMaster;
    if (replica != null) replica.linkDown("REPLICAOF: switching master");
    master.abandonWaiters();
    master.dropAll();
    replica = new ReplicaSide(this, ids, hostName, port, cached);
    host.env().point("redis.repl.replicaof", "Connecting to MASTER " + hostName + ":" + port, "master", hostName);
  }

  /** replicationUnsetMaster as Redis Cluster calls it when a replica wins a failover election. */
  public void replicationUnsetMaster() {
    if (replica != null) unsetMaster();
  }

  /** replicationUnsetMaster (REPLICAOF NO ONE): a promotion, with shiftReplicationId. */
  private void unsetMaster() {
    replica.linkDown("MASTER MODE enabled");
    replica = null;
    ids.shiftReplicationId();
    if (ids.backlog == null) ids.createBacklog(host.config().replBacklogSize);
    host.env().point("redis.repl.promoted", "MASTER MODE enabled: new replication ID " + ids.replid + ", replid2 "
        + ids.replid2 + " valid up to offset " + ids.secondReplidOffset, "replid", ids.replid, "offset", ids.masterReplOffset);
  }

  @Override
  public void role(Call c) {
    if (replica == null) {
      c.out.arrayHeader(3).bulk("master").integer(ids.masterReplOffset);
      List<MasterSide.Replica> online = master.replicas.stream().filter(r -> r.state.equals("online")).toList();
      c.out.arrayHeader(online.size());
      for (MasterSide.Replica r : online) {
        c.out.arrayHeader(3).bulk(ip(r.client)).bulk(Integer.toString(r.listeningPort)).bulk(Long.toString(r.ackOffset));
      }
      return;
    }
    c.out.arrayHeader(5).bulk("slave").bulk(replica.masterHost).integer(replica.masterPort).bulk(replica.stateName())
        .integer(replica.state == ReplicaSide.State.CONNECTED ? ids.masterReplOffset : -1);
  }

  static String ip(ClientState c) {
    String a = c.addr();
    int colon = a.lastIndexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  /** INFO's # Replication section, field by field as genRedisInfoString prints it. */
  public void info(StringBuilder sb) {
    new ReplicationInfo(this).render(sb);
  }
}
