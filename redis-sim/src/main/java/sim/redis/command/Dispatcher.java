package sim.redis.command;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RedisObject;
import sim.redis.resp.RespOut;

/**
 * Command dispatch and propagation (server.c's processCommand, call, alsoPropagate and
 * propagatePendingCommands): lookup, arity, the refusals in Redis's order, MULTI queueing and EXEC, the lazy
 * expire, what each call propagates, the clients blocked on keys (blocked.c), WATCH (multi.c) and pub/sub
 * (pubsub.c). The server owns one; the AOF loader uses the same one with a fake client, so loading replays
 * exactly what serving would have done.
 */
public final class Dispatcher {
  /** Why a command must be refused before it runs (writeCommandsDeniedByDiskError, replication), else null. */
  public interface Refusals {
    String diskError();

    default String noGoodReplicas() {
      return null;
    }

    default String readOnlyReplica() {
      return null;
    }
  }

  private final CommandTable table = CommandTable.get();
  private final Keyspace keyspace;
  private final CommandHost host;
  private final Refusals refusals;
  private final List<Propagation> alsoPropagate = new ArrayList<>();
  private final List<Propagation.Sink> sinks = new ArrayList<>();
  private int callDepth;
  private boolean loading;
  private long dirty;
  private long expiredKeys;
  private final Stats stats = new Stats();
  private final TreeMap<Long, ClientState> clients = new TreeMap<>();
  private long nextClientId = 1;
  private final LinkedHashSet<ClientState> pendingWrite = new LinkedHashSet<>();
  final Watches watches = new Watches();
  final Blocking blocking = new Blocking(this);
  final PubSub pubsub = new PubSub(this);
  private ClientState current;

  public Dispatcher(Keyspace keyspace, CommandHost host, Refusals refusals) {
    this.keyspace = keyspace;
    this.host = host;
    this.refusals = refusals;
  }

  /** Adds a destination for propagated commands (the AOF buffer, the replication stream). */
  public void propagateTo(Propagation.Sink sink) {
    sinks.add(sink);
  }

  public CommandTable table() {
    return table;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  CommandHost host() {
    return host;
  }

  public boolean isLoading() {
    return loading;
  }

  /** While loading: no lazy expire, no propagation, no refusals (loadDataFromDisk's server.loading). */
  public void setLoading(boolean loading) {
    this.loading = loading;
  }

  /** server.dirty: changes since the last successful save. */
  public long dirty() {
    return dirty;
  }

  public void addDirty(long n) {
    dirty += n;
  }

  /** After a save: the changes the snapshot covered are no longer dirty. */
  public void subtractDirty(long saved) {
    dirty -= saved;
  }

  public long expiredKeys() {
    return expiredKeys;
  }

  public Stats stats() {
    return stats;
  }

  // ---- clients -----------------------------------------------------------------------------------------

  /** createClient: a new connection with the next client id. */
  public ClientState connect(String addr) {
    ClientState c = new ClientState(addr, nextClientId++, host.nowMs());
    clients.put(c.id(), c);
    stats.connectionsReceived++;
    return c;
  }

  /** freeClient: unwatch, unsubscribe, unblock. */
  public void disconnect(ClientState c) {
    watches.unwatchAll(c);
    pubsub.unsubscribeAll(c, false);
    blocking.unblock(c);
    clients.remove(c.id());
    pendingWrite.remove(c);
  }

  public java.util.Collection<ClientState> clients() {
    return clients.values();
  }

  public ClientState client(long id) {
    return clients.get(id);
  }

  /** The clients with unsent replies since the last call (handleClientsWithPendingWrites), in order. */
  public List<ClientState> takePendingWrites() {
    List<ClientState> out = new ArrayList<>(pendingWrite);
    pendingWrite.clear();
    return out;
  }

  /** The client has bytes to send that no command of its own produced (the replication stream). */
  public void markPendingWrite(ClientState c) {
    wrote(c);
  }

  /** Unblocks a blocked client (WAIT served, the instance changed role) and lets {@code reply} answer it. */
  public void unblock(ClientState c, java.util.function.Consumer<ClientState> reply) {
    if (c.blocked == null) return;
    blocking.unblock(c);
    reply.accept(c);
    wrote(c);
  }

  void wrote(ClientState c) {
    if (c.out.length() > 0 && c.id() != 0) pendingWrite.add(c);
  }

  ClientState currentClient() {
    return current;
  }

  // ---- processCommand ----------------------------------------------------------------------------------

  /** processCommand for one command of {@code c}; the reply goes to {@code c.out}. */
  public void execute(ClientState c, List<String> argv) {
    if (argv.isEmpty()) return;
    ClientState previous = current;
    current = c;
    try {
      process(c, argv);
      if (callDepth == 0) blocking.handleReadyKeys();
    } finally {
      current = previous;
      wrote(c);
    }
  }

  /** The same with an explicit reply buffer (the AOF loader's fake client, tests): {@code out} gets c's reply. */
  public void execute(ClientState c, List<String> argv, RespOut out) {
    execute(c, argv);
    out.raw(c.out.array(), 0, c.out.length());
    c.out.clear();
  }

  private void process(ClientState c, List<String> argv) {
    c.lastInteractionMs = host.nowMs();
    Command cmd = table.lookup(argv);
    if (cmd == null) {
      Command base = table.lookupName(argv.get(0));
      if (base != null && base.isContainer() && argv.size() > 1) {
        reject(c, "ERR unknown subcommand '" + truncate(argv.get(1)) + "'. Try " + base.name().toUpperCase(java.util.Locale.ROOT) + " HELP.", null);
      } else {
        reject(c, Errors.unknownCommand(argv), null);
      }
      return;
    }
    if (!cmd.arityOk(argv.size())) {
      stats.of(cmd.fullName()).rejected++;
      reject(c, Errors.arity(cmd.fullName()), cmd);
      return;
    }
    String refusal = refusal(c, cmd);
    if (refusal != null) {
      stats.of(cmd.fullName()).rejected++;
      reject(c, refusal, cmd);
      return;
    }
    if (c.inMulti && !Transactions.runsAtOnceInMulti(cmd.fullName())) {
      if (!c.dirtyExec && !c.dirtyCas) c.queued.add(argv);
      c.out.simple("QUEUED");
      return;
    }
    call(c, cmd, argv);
  }

  private static String truncate(String s) {
    return s.length() <= 128 ? s : s.substring(0, 128);
  }

  /** processCommand's checks between arity and execution, in Redis's order. */
  private String refusal(ClientState c, Command cmd) {
    if (c.inMulti && cmd.hasFlag("NO_MULTI")) return "ERR Command not allowed inside a transaction";
    if (loading || c.isMaster()) return null;
    boolean write = cmd.write() || (cmd.name().equals("exec") && queuedWrites(c));
    String disk = refusals.diskError();
    if (disk != null && (write || cmd.name().equals("ping"))) return disk;
    if (write) {
      String r = refusals.noGoodReplicas();
      if (r != null) return r;
      r = refusals.readOnlyReplica();
      if (r != null) return r;
    }
    if (c.inPubSub() && !PubSub.allowedInContext(cmd.name())) {
      return "ERR Can't execute '" + cmd.fullName() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
          + "are allowed in this context";
    }
    return null;
  }

  private boolean queuedWrites(ClientState c) {
    if (!c.inMulti) return false;
    for (List<String> q : c.queued) {
      Command qc = table.lookup(q);
      if (qc != null && qc.write()) return true;
    }
    return false;
  }

  /**
   * rejectCommand: an error before queueing; inside MULTI it also flags the transaction (CLIENT_DIRTY_EXEC); a
   * refused EXEC discards the transaction (execCommandAbort).
   */
  private void reject(ClientState c, String error, Command cmd) {
    if (c.inMulti) c.dirtyExec = true;
    if (cmd != null && cmd.name().equals("exec") && c.inMulti) {
      discard(c);
      error = "EXECABORT Transaction discarded because of: " + error;
    }
    stats.error(error);
    c.out.error(error);
  }

  /** call(): run the handler; when it changed the dataset (dirty moved) propagate what it asked for. */
  void call(ClientState c, Command cmd, List<String> argv) {
    long before = dirty;
    int replyAt = c.out.length();
    Call call = new Call(this, c, cmd, argv);
    callDepth++;
    try {
      cmd.handler().run(call);
    } finally {
      callDepth--;
    }
    c.lastCommand = cmd.fullName();
    stats.commandsProcessed++;
    Stats.CommandCounts counts = stats.of(cmd.fullName());
    counts.calls++;
    RespOut out = c.out;
    if (out.length() > replyAt && out.array()[replyAt] == '-') {
      counts.failed++;
      stats.error(errorText(out, replyAt));
    }
    boolean exec = cmd.name().equals("exec"); // never propagated itself: propagatePending wraps what ran
    if ((dirty > before || call.isForced()) && !call.isNoPropagation() && !exec) alsoPropagate(new Propagation(c.db(), call.propagated()));
    for (Propagation extra : call.extraPropagation()) alsoPropagate(extra);
    if (callDepth == 0) propagatePending();
  }

  void alsoPropagate(Propagation op) {
    if (!loading && !sinks.isEmpty()) alsoPropagate.add(op);
  }

  /** propagatePendingCommands: more than one op from one call is wrapped in MULTI/EXEC. */
  void propagatePending() {
    if (alsoPropagate.isEmpty()) return;
    boolean wrap = alsoPropagate.size() > 1;
    List<Propagation> ops = new ArrayList<>();
    if (wrap) ops.add(new Propagation(alsoPropagate.get(0).db(), List.of("MULTI"))); // MULTI carries the first op's db
    ops.addAll(alsoPropagate);
    if (wrap) ops.add(new Propagation(-1, List.of("EXEC")));
    alsoPropagate.clear();
    for (Propagation.Sink s : sinks) for (Propagation op : ops) s.propagate(op);
  }

  private static String errorText(RespOut out, int at) {
    int end = at + 1;
    while (end < out.length() && out.array()[end] != '\r' && out.array()[end] != ' ') end++;
    return new String(out.array(), at + 1, end - at - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** EXEC: runs the queue unless a WATCHed key changed (nil) or a queueing error happened (EXECABORT). */
  void exec(ClientState c) {
    if (!c.inMulti) {
      c.out.error("ERR EXEC without MULTI");
      return;
    }
    if (c.dirtyExec) {
      c.out.error(Errors.EXECABORT);
      discard(c);
      return;
    }
    if (watches.anyExpired(c, keyspace, host.nowMs())) c.dirtyCas = true;
    if (c.dirtyCas) {
      c.out.nullArray();
      discard(c);
      return;
    }
    List<List<String>> queued = new ArrayList<>(c.queued);
    discard(c);
    c.out.arrayHeader(queued.size());
    c.inExec = true;
    callDepth++;
    try {
      for (List<String> argv : queued) call(c, table.lookup(argv), argv);
    } finally {
      callDepth--;
      c.inExec = false;
    }
    propagatePending();
  }

  /** discardTransaction: drops the queue and unwatches. */
  void discard(ClientState c) {
    c.resetMulti();
    watches.unwatchAll(c);
  }

  // ---- the keyspace hooks every command goes through ---------------------------------------------------

  /** lookupKey with expireIfNeeded: an expired key is deleted and a DEL is propagated. */
  RedisObject lookup(Db db, String key, boolean read) {
    RedisObject o = db.get(key);
    if (o != null && !loading && !(current != null && current.isMaster())) {
      long at = db.expireAtMs(key);
      if (at >= 0 && at <= host.nowMs()) {
        if (!host.isReplica()) deleteExpired(db, key); // a replica waits for its master's DEL (expireIfNeeded)
        o = null;
      }
    }
    if (read) {
      if (o == null) stats.keyspaceMisses++;
      else stats.keyspaceHits++;
    }
    return o;
  }

  /** deleteExpiredKeyAndPropagate: used by the lazy expire and by the active expire cycle. */
  public void deleteExpired(Db db, String key) {
    db.delete(key);
    expiredKeys++;
    signalModifiedKey(db, key);
    alsoPropagate(new Propagation(db.id, List.of("DEL", key)));
    if (callDepth == 0) propagatePending();
  }

  /** signalModifiedKey: WATCHers of the key see their EXEC fail. */
  void signalModifiedKey(Db db, String key) {
    watches.touch(db.id, key, db);
  }

  /** signalKeyAsReady: clients blocked on the key are served after the current command. */
  void signalKeyAsReady(Db db, String key) {
    blocking.ready(db.id, key);
  }

  /** touchAllWatchedKeysInDb (FLUSHDB, FLUSHALL, SWAPDB): every WATCH on those dbs fails. */
  void touchAllWatched(int dbOrAll) {
    watches.touchAll(dbOrAll, keyspace);
  }

  /** handleBlockedClientsTimeout: reply to clients whose block timed out (from beforeSleep). */
  public void handleBlockedClientsTimeout() {
    blocking.timeouts(host.nowMs());
  }

  public int blockedClients() {
    return blocking.count();
  }

  public int pubsubChannels() {
    return pubsub.channelCount();
  }

  public int pubsubPatterns() {
    return pubsub.patternCount();
  }
}
