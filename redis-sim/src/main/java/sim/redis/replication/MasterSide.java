package sim.redis.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import sim.redis.command.Call;
import sim.redis.command.ClientState;
import sim.redis.command.Propagation;
import sim.redis.command.StreamEncoder;
import sim.redis.resp.RespOut;

/**
 * The master's half of replication.c: the replicas (server.slaves), PSYNC answered from the backlog or with a
 * full resync (masterTryPartialResynchronization), the stream fed to every replica and the backlog
 * (replicationFeedSlaves), REPLCONF ACK, WAIT (clients_waiting_acks) and min-replicas-to-write.
 */
final class MasterSide {
  /** A connected replica: its connection, and the last offset and time it acknowledged. */
  static final class Replica {
    final ClientState client;
    String state = "online"; // SLAVE_STATE_ONLINE once its RDB or backlog is on its way
    long ackOffset;
    boolean acked; // a REPLCONF ACK arrived on this link
    long ackTimeMs;
    int listeningPort = 6379;

    Replica(ClientState client, long nowMs) {
      this.client = client;
      this.ackTimeMs = nowMs;
    }
  }

  private record Waiting(ClientState client, long offset, long numreplicas) {}

  private final Replication repl;
  boolean pingsPaused; // a cluster manual failover paused the clients
  private final ReplIds ids;
  final List<Replica> replicas = new ArrayList<>();
  private final List<Waiting> waiting = new ArrayList<>();
  private final StreamEncoder encoder = new StreamEncoder();
  private final RespOut scratch = new RespOut(256);
  private boolean getAckFromReplicas;
  int goodReplicas;
  /** Under --break redis.psync-ignores-replid: the offset alone decides a partial resync. */
  boolean ignoreReplid;
  /** Under --break redis.wait-counts-unacked: WAIT counts connected replicas, acknowledged or not. */
  boolean waitCountsUnacked;

  MasterSide(Replication repl, ReplIds ids) {
    this.repl = repl;
    this.ids = ids;
  }

  // ---- PSYNC ----------------------------------------------------------------------------------------------

  /** syncCommand for PSYNC: partial when replid and offset fit the backlog, else +FULLRESYNC and the RDB. */
  void psync(Call c) {
    ClientState client = c.client;
    String replid = c.arg(1);
    Long psyncOffset = sim.redis.resp.Numbers.parseLong(c.arg(2));
    forget(client); // a PSYNC on a connection that was a replica: the old link is gone (freeClient)
    if (psyncOffset != null && tryPartial(client, replid, psyncOffset)) return;
    if (replicas.isEmpty() && ids.backlog == null) { // the first replica of a master that never had one
      ids.changeReplicationId();
      ids.clearReplicationId2();
      ids.createBacklog(repl.host.config().replBacklogSize);
    }
    c.out.simple("FULLRESYNC " + ids.replid + " " + ids.masterReplOffset);
    byte[] rdb = repl.host.rdbForReplication();
    byte[] header = ("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
    c.out.raw(header, 0, header.length);
    c.out.raw(rdb, 0, rdb.length);
    encoder.forgetSelectedDb(); // slaveseldb = -1: the stream after the RDB starts with a SELECT
    add(client).state = "wait_bgsave"; // online once the RDB is known to have arrived: its first ACK
    repl.host.env().point("redis.repl.fullresync", "Full resync requested by replica " + client.addr()
        + (replid.equals("?") ? "" : " (PSYNC " + replid.substring(0, Math.min(8, replid.length())) + "… " + c.arg(2) + " not servable)")
        + ": +FULLRESYNC " + ids.replid + " " + ids.masterReplOffset + ", RDB " + rdb.length + " bytes",
        "replica", client.addr(), "offset", ids.masterReplOffset, "rdb_bytes", rdb.length);
  }

  private boolean tryPartial(ClientState client, String replid, long psyncOffset) {
    boolean idOk = replid.equalsIgnoreCase(ids.replid)
        || (replid.equalsIgnoreCase(ids.replid2) && psyncOffset <= ids.secondReplidOffset);
    if (!idOk && !ignoreReplid) return false;
    if (ids.backlog == null || !ids.backlog.covers(psyncOffset)) return false;
    byte[] missed = ids.backlog.readFrom(psyncOffset);
    client.out.simple("CONTINUE " + ids.replid);
    client.out.raw(missed, 0, missed.length);
    add(client);
    repl.host.env().point("redis.repl.continue", "Partial resynchronization request from " + client.addr() + " accepted. "
        + "Sending " + missed.length + " bytes of backlog starting from offset " + psyncOffset + ".",
        "replica", client.addr(), "offset", psyncOffset, "bytes", missed.length);
    return true;
  }

  private Replica add(ClientState client) {
    Replica r = new Replica(client, repl.host.env().nowMs());
    replicas.add(r);
    refreshGoodReplicasCount();
    return r;
  }

  /** The replica's connection closed, or it asked again: it is no replica of ours any more. */
  void forget(ClientState client) {
    if (replicas.removeIf(r -> r.client == client)) refreshGoodReplicasCount();
  }

  Replica find(ClientState client) {
    for (Replica r : replicas) if (r.client == client) return r;
    return null;
  }

  // ---- the stream -----------------------------------------------------------------------------------------

  /** replicationFeedSlaves: one propagated command into the backlog and every replica's output buffer. */
  void feed(Propagation op) {
    if (ids.backlog == null && replicas.isEmpty()) return; // no backlog, no replicas: nothing is kept, offset stays
    scratch.clear();
    encoder.feed(scratch, op.db(), op.argv());
    ids.feed(scratch.array(), 0, scratch.length());
    for (Replica r : replicas) {
      r.client.out.raw(scratch.array(), 0, scratch.length());
      repl.host.dispatcher().markPendingWrite(r.client);
    }
  }

  /** A replica's applied stream bytes, verbatim: its own offset and backlog, and its replicas (chained). */
  void feedRaw(byte[] p, int from, int len) {
    ids.feed(p, from, len);
    for (Replica r : replicas) {
      r.client.out.raw(p, from, len);
      repl.host.dispatcher().markPendingWrite(r.client);
    }
  }

  /** REPLCONF ACK offset: the replica has processed the stream up to there. */
  void ack(ClientState client, long offset) {
    Replica r = find(client);
    if (r == null) return;
    if (offset > r.ackOffset) r.ackOffset = offset;
    r.acked = true;
    if (!r.state.equals("online")) { // replicaPutOnline: the RDB has been loaded on the other side
      r.state = "online";
      refreshGoodReplicasCount();
    }
    r.ackTimeMs = repl.host.env().nowMs();
  }

  // ---- WAIT -----------------------------------------------------------------------------------------------

  /** replicationCountAcksByOffset. */
  int countAcks(long offset) {
    int n = 0;
    for (Replica r : replicas) if (r.state.equals("online") && (waitCountsUnacked || r.ackOffset >= offset)) n++;
    return n;
  }

  void waitFor(Call c, long numreplicas, long timeoutMs) {
    long offset = c.client.woff;
    int acked = countAcks(offset);
    if (acked >= numreplicas || c.client.inMulti()) {
      c.out.integer(acked);
      return;
    }
    long deadline = timeoutMs == 0 ? 0 : repl.host.env().nowMs() + timeoutMs;
    c.block("wait", List.of(), deadline, cl -> {
      waiting.removeIf(w -> w.client == cl);
      cl.out.integer(countAcks(offset));
    });
    waiting.add(new Waiting(c.client, offset, numreplicas));
    getAckFromReplicas = true; // replicationRequestAckFromSlaves
  }

  /** beforeSleep: REPLCONF GETACK * when a WAIT asked, then processClientsWaitingReplicas. */
  void beforeSleep() {
    if (getAckFromReplicas && !replicas.isEmpty()) feed(new Propagation(-1, List.of("REPLCONF", "GETACK", "*")));
    getAckFromReplicas = false;
    for (Waiting w : List.copyOf(waiting)) {
      if (!w.client.isBlocked()) {
        waiting.remove(w);
        continue;
      }
      int acked = countAcks(w.offset);
      if (acked < w.numreplicas) continue;
      waiting.remove(w);
      repl.host.dispatcher().unblock(w.client, cl -> cl.out.integer(acked));
    }
  }

  /** disconnectAllBlockedClients when the instance turns replica: WAITers get an error. */
  void abandonWaiters() {
    for (Waiting w : List.copyOf(waiting)) {
      repl.host.dispatcher().unblock(w.client, cl -> cl.out.error(
          "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)"));
    }
    waiting.clear();
  }

  // ---- replicationCron, once a second ---------------------------------------------------------------------

  /** Pings every repl-ping-replica-period seconds; replicas silent for repl-timeout are dropped. */
  void cron(long cronSeconds) {
    long now = repl.host.env().nowMs();
    int period = Math.max(1, repl.host.config().replPingReplicaPeriod);
    if (!replicas.isEmpty() && cronSeconds % period == 0 && !pingsPaused) feed(new Propagation(-1, List.of("PING")));
    for (Replica r : List.copyOf(replicas)) {
      if (now - r.ackTimeMs > repl.host.config().replTimeoutSec * 1000L) {
        repl.host.env().point("redis.repl.replica-timeout", "Disconnecting timedout replica (streaming sync): " + r.client.addr(),
            "replica", r.client.addr());
        forget(r.client);
      }
    }
    refreshGoodReplicasCount();
  }

  /** refreshGoodSlavesCount: online replicas whose last ACK is at most min-replicas-max-lag seconds old. */
  void refreshGoodReplicasCount() {
    long nowSec = repl.host.env().nowMs() / 1000;
    int good = 0;
    for (Replica r : replicas) {
      if (r.state.equals("online") && nowSec - r.ackTimeMs / 1000 <= repl.host.config().minReplicasMaxLag) good++;
    }
    goodReplicas = good;
  }

  /** checkGoodReplicasStatus / the NOREPLICAS refusal. */
  String noGoodReplicas() {
    int min = repl.host.config().minReplicasToWrite;
    if (min > 0 && repl.host.config().minReplicasMaxLag > 0 && goodReplicas < min) return "NOREPLICAS Not enough good replicas to write.";
    return null;
  }

  /** Turning replica: our replicas are disconnected (they will resync with us or elsewhere). */
  void dropAll() {
    replicas.clear();
    refreshGoodReplicasCount();
  }
}
