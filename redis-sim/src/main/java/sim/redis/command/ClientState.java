package sim.redis.command;

import java.util.ArrayList;
import java.util.List;
import sim.redis.resp.RespOut;

/**
 * Per-connection state (Redis's client struct): the reply buffer, the selected db, the MULTI queue and WATCHed
 * keys, pub/sub subscriptions, the blocking state and the CLIENT name. The host (the simulated node or the TCP
 * edge) reads the reply buffer after each event-loop iteration and sends what it holds.
 */
public final class ClientState {
  /**
   * What a blocked client waits for (blocked.c's c->bpop): the keys, the deadline (0: none), the command to run
   * again when a key is ready, and what to reply at the deadline (null: a null array).
   */
  public record Blocked(String kind, List<String> keys, long timeoutAtMs, List<String> argv, int db,
      java.util.function.Consumer<ClientState> onTimeout) {}

  private String name;
  private final String addr;
  private final long id;
  private final long createdMs;
  long lastInteractionMs;
  /** c->buf / c->reply: what the client has still to read. */
  public final RespOut out = new RespOut(256);
  int db;
  boolean inMulti;
  boolean dirtyExec; // CLIENT_DIRTY_EXEC: a command failed to queue
  boolean dirtyCas; // CLIENT_DIRTY_CAS: a WATCHed key changed
  boolean inExec;
  final List<List<String>> queued = new ArrayList<>();
  final List<Watches.Watch> watched = new ArrayList<>();
  final sim.redis.keyspace.Dict<Boolean> channels = new sim.redis.keyspace.Dict<>(); // c->pubsub_channels
  final List<String> patterns = new ArrayList<>(); // c->pubsub_patterns
  final sim.redis.keyspace.Dict<Boolean> shardChannels = new sim.redis.keyspace.Dict<>();
  Blocked blocked;
  String lastCommand = "NULL";
  boolean closeAfterReply;
  boolean master; // the replication link from our master: its writes are obeyed, never refused
  long flagsReplica; // a replica connection (CLIENT_SLAVE): 0 when not
  /** c->woff: master_repl_offset after this client's last propagated write (what WAIT waits for). */
  public long woff;
  /** The host's stream of a replica connection: the id of the PSYNC request that opened it (-1: not a replica). */
  public long replicaStreamEpoch = -1;
  /** Bytes of that stream sent so far. */
  public long replicaStreamSent;

  /** A client outside the server's registry (the AOF loader's fake client, tests). */
  public ClientState(String name) {
    this(name, 0, "127.0.0.1:0", 0);
  }

  public ClientState(String addr, long id, long nowMs) {
    this("", id, addr, nowMs);
  }

  private ClientState(String name, long id, String addr, long nowMs) {
    this.name = name;
    this.id = id;
    this.addr = addr;
    this.createdMs = nowMs;
    this.lastInteractionMs = nowMs;
  }

  /** CLIENT SETNAME's name ("" when none). */
  public String name() {
    return name;
  }

  void setName(String name) {
    this.name = name;
  }

  public String addr() {
    return addr;
  }

  /** CLIENT ID: unique per server incarnation, 0 for clients outside the registry. */
  public long id() {
    return id;
  }

  public long createdMs() {
    return createdMs;
  }

  public int db() {
    return db;
  }

  public void select(int db) {
    this.db = db;
  }

  public boolean inMulti() {
    return inMulti;
  }

  /** True while blocked (BLPOP, WAIT, XREAD BLOCK...): no command of this client runs until it is served. */
  public boolean isBlocked() {
    return blocked != null;
  }

  /** Subscribed to a channel or pattern: RESP2 then only allows the (un)subscribe commands, PING, QUIT, RESET. */
  public boolean inPubSub() {
    return !channels.isEmpty() || !patterns.isEmpty() || !shardChannels.isEmpty();
  }

  /** QUIT, CLIENT KILL: the host closes the connection once the reply is written. */
  public boolean closeRequested() {
    return closeAfterReply;
  }

  public void markMaster() {
    this.master = true;
  }

  public boolean isMaster() {
    return master;
  }

  void resetMulti() {
    inMulti = false;
    dirtyExec = false;
    dirtyCas = false;
    queued.clear();
  }
}
